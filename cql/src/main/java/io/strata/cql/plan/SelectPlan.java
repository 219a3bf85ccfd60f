package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.expr.Expr;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.TableMetadata;
import java.util.List;
import java.util.Set;

/**
 * A SELECT on a stored table: the rows to read ({@code where}), the expressions to return, DISTINCT,
 * aggregation and GROUP BY, order, limits, and JSON rendering. {@code fetched} are the stored non-key
 * columns the read needs (statics too when whole partitions are read: a partition holding only static data
 * is a row then). The result columns are computed once, with the plan, not per execution. Immutable.
 *
 * @param ordered whether ORDER BY was given (with IN on the partition key, rows are merged in clustering order)
 * @param limit LIMIT (null: none)
 * @param perPartitionLimit PER PARTITION LIMIT (null: none)
 * @param aggregation aggregates and GROUP BY, or null
 */
public record SelectPlan(TableMetadata table, List<Output> outputs, Restrictions where, boolean reversed, boolean ordered,
        ValueSource limit, ValueSource perPartitionLimit, Set<String> fetched, boolean distinct, boolean json,
        Aggregation aggregation, List<ResultColumn> resultColumns) implements Plan {
    /** One selected expression and its label. */
    public record Output(String label, Expr expr) {}

    public SelectPlan {
        requireNonNull(table, "table is null");
        outputs = List.copyOf(outputs);
        requireNonNull(where, "where is null");
        fetched = Set.copyOf(fetched);
        resultColumns = List.copyOf(resultColumns);
    }

    public SelectPlan(TableMetadata table, List<Output> outputs, Restrictions where, boolean reversed, boolean ordered,
            ValueSource limit, ValueSource perPartitionLimit, Set<String> fetched, boolean distinct, boolean json,
            Aggregation aggregation) {
        this(table, outputs, where, reversed, ordered, limit, perPartitionLimit, fetched, distinct, json, aggregation,
                columns(table, outputs, json));
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.select(this);
    }

    @Override
    public Access access() {
        return Access.READ;
    }

    /** The columns of each result row ({@code [json]} alone for SELECT JSON). */
    private static List<ResultColumn> columns(TableMetadata table, List<Output> outputs, boolean json) {
        if (json) {
            return List.of(new ResultColumn(table.keyspace(), table.name(), "[json]", io.strata.cql.types.NativeType.TEXT));
        }
        return outputs.stream().map(o -> new ResultColumn(table.keyspace(), table.name(), o.label(), o.expr().type())).toList();
    }

    /** Whether the query reads whole partitions (no clustering restriction), so static-only partitions count. */
    public boolean wholePartitions() {
        return where.clustering().fixedColumns() == 0 && where.clustering().range() == null;
    }
}
