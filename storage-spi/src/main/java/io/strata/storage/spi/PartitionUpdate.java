package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Everything one statement (or one batch) writes to one partition of one table: a partition-level
 * deletion, range tombstones, an optional static row and rows. Applied atomically.
 */
public record PartitionUpdate(
        TableId table,
        PartitionKey key,
        DeletionTime partitionDeletion,
        List<RangeTombstone> rangeTombstones,
        Row staticRow,
        List<Row> rows) {
    public PartitionUpdate {
        requireNonNull(table, "table is null");
        requireNonNull(key, "key is null");
        requireNonNull(partitionDeletion, "partitionDeletion is null");
        rangeTombstones = List.copyOf(rangeTombstones);
        rows = List.copyOf(rows);
        if (staticRow != null && !staticRow.isStatic()) {
            throw new IllegalArgumentException("staticRow must have the STATIC clustering");
        }
    }

    public static PartitionUpdate ofRows(TableId table, PartitionKey key, List<Row> rows) {
        return new PartitionUpdate(table, key, DeletionTime.LIVE, List.of(), null, rows);
    }

    public static PartitionUpdate deletePartition(TableId table, PartitionKey key, DeletionTime deletion) {
        return new PartitionUpdate(table, key, deletion, List.of(), null, List.of());
    }
}
