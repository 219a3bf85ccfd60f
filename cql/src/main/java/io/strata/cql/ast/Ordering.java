package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** One {@code ORDER BY} entry. */
public record Ordering(String column, boolean descending) {
    public Ordering {
        requireNonNull(column, "column is null");
    }
}
