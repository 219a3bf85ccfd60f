package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/**
 * One target of {@code DELETE targets FROM ...}: a whole column ({@code element} and {@code field} null),
 * one element {@code c[k]} (map key or list index), or one UDT field {@code c.f}.
 */
public record DeleteTarget(String column, Term element, String field) {
    public DeleteTarget {
        requireNonNull(column, "column is null");
        if (element != null && field != null) {
            throw new IllegalArgumentException("a delete target has an element or a field, not both");
        }
    }

    public DeleteTarget(String column, Term element) {
        this(column, element, null);
    }
}
