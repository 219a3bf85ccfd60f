package io.strata.cql.expr;

import io.strata.storage.spi.Row;
import java.util.List;

/**
 * One row as expressions see it: the serialized partition key and its components, the clustering values
 * (null for a partition that holds only static data), the static row and the row (either may be null),
 * the execution's bindings, and for aggregate outputs the group's aggregate results (else null).
 * Immutable by convention (arrays are not copied).
 */
public record RowView(byte[] partitionKey, List<byte[]> pk, List<byte[]> ck, Row staticRow, Row row,
        Bindings bindings, EvalContext ctx, byte[][] aggregates) {
    public RowView(byte[] partitionKey, List<byte[]> pk, List<byte[]> ck, Row staticRow, Row row, Bindings bindings,
            EvalContext ctx) {
        this(partitionKey, pk, ck, staticRow, row, bindings, ctx, null);
    }

    /** This row with the aggregate results of its group. */
    public RowView withAggregates(byte[][] results) {
        return new RowView(partitionKey, pk, ck, staticRow, row, bindings, ctx, results);
    }
}
