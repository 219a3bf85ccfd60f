package io.strata.cql.plan;

import io.strata.cql.expr.Expr;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.types.DataType;
import java.util.List;

/**
 * The aggregates of a SELECT ({@code count(*)}, {@code count(x)}, {@code min}, {@code max}, {@code sum},
 * {@code avg}) and its GROUP BY columns (a primary-key prefix). Plain selectors next to aggregates take the
 * group's first row ({@link Kind#FIRST}), as in Cassandra. Immutable.
 */
public record Aggregation(List<Item> items, List<ColumnMetadata> groupBy) {
    public enum Kind { COUNT_ROWS, COUNT, MIN, MAX, SUM, AVG, FIRST }

    /** One output: its kind, its argument (null for count(*)) and its result type. */
    public record Item(Kind kind, Expr arg, DataType type) {}

    public Aggregation {
        items = List.copyOf(items);
        groupBy = List.copyOf(groupBy);
    }

    public boolean grouped() {
        return !groupBy.isEmpty();
    }
}
