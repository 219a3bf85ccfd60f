package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * A bounded read of one table.
 *
 * @param table the table
 * @param partitions one key or a token range
 * @param slices clustering slices, sorted and non-overlapping, in clustering order ({@code [Slice.ALL]} for every row)
 * @param reversed return rows within each partition in reverse clustering order (partitions stay in token order)
 * @param columns the regular and static columns whose cells are returned; null means all. Row liveness is decided
 *     over all columns (a row alive only through an unselected column is still returned, with no cells), as in
 *     Cassandra
 * @param rowLimit at most this many rows in the result (a partition that has only a live static row and no live
 *     rows in the slices counts as one row)
 * @param perPartitionLimit at most this many rows per partition ({@code Integer.MAX_VALUE} for none)
 * @param nowInSeconds the query's "now" (server clock) for TTL expiry
 * @param resumeAfter when not null, resume strictly after this position (paging); position order follows
 *     {@code reversed} within a partition
 */
public record ReadQuery(
        TableId table,
        PartitionSelection partitions,
        List<Slice> slices,
        boolean reversed,
        Set<String> columns,
        int rowLimit,
        int perPartitionLimit,
        int nowInSeconds,
        Position resumeAfter) {

    public ReadQuery {
        requireNonNull(table, "table is null");
        requireNonNull(partitions, "partitions is null");
        slices = List.copyOf(slices);
        columns = columns == null ? null : Set.copyOf(columns);
        if (rowLimit <= 0 || perPartitionLimit <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /**
     * A position in a read: a partition and, optionally, the last clustering returned in it. A null
     * clustering means "after the whole partition"; {@link Clustering#STATIC} means "after the static row
     * only" (its rows still follow).
     */
    public record Position(PartitionKey key, Clustering clustering) {
        public Position {
            requireNonNull(key, "key is null");
        }
    }
}
