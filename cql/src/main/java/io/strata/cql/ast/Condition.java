package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/**
 * One lightweight-transaction condition ({@code IF c op v AND ...}): on the column, on an element
 * ({@code c[k]}, {@code element} non-null) or on a UDT field ({@code c.f}, {@code field} non-null).
 * For IN the value is a {@link Term.InValues} or a bind marker.
 */
public record Condition(String column, Term element, String field, Relation.Operator op, Term value) {
    public Condition {
        requireNonNull(column, "column is null");
        requireNonNull(op, "op is null");
        requireNonNull(value, "value is null");
        if (element != null && field != null) {
            throw new IllegalArgumentException("a condition has an element or a field, not both");
        }
    }
}
