package io.strata.cql.capacity;

import static java.util.Objects.requireNonNull;

import io.strata.cql.expr.PartitionKeys;
import io.strata.cql.request.RequestUsage;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.ComparableEncoding;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.Row;
import java.util.List;

/**
 * Where executors report what a request read and wrote of a user table, so that its {@link RequestUsage} carries
 * Amazon Keyspaces' capacity units (rules in {@link RowSize} and docs/capacity.md):
 * <ul>
 *   <li>every row written, deleted or (static row) updated: write units on its encoded size, at least 1;
 *   <li>a range or partition deletion: 1 write unit per tombstone (Strata does not read the rows it covers);
 *   <li>a lightweight transaction whose condition failed: write units on the size of each row it named as it
 *       is now, 1 if absent, and no read units (Keyspaces charges LWTs no reads with client-side timestamps on);
 *   <li>every row read, filtered out or not: its encoded size ({@link #size}), toward read units computed once
 *       per request.
 * </ul>
 * Stateless; thread-safe as {@link RequestUsage} is.
 */
public final class Metering {
    private Metering() {}

    /** Meters one partition update a request writes. */
    public static void written(TableMetadata table, PartitionUpdate update, RequestUsage usage) {
        written(table, update, 1, usage);
    }

    /** Meters one partition update a request writes {@code writes} times (a logged batch writes each row twice). */
    public static void written(TableMetadata table, PartitionUpdate update, int writes, RequestUsage usage) {
        requireNonNull(table, "table is null");
        requireNonNull(usage, "usage is null");
        PartitionKey key = update.key();
        List<byte[]> pk = PartitionKeys.split(key.key(), table.partitionKey().size());
        long token = key.token();
        if (!update.partitionDeletion().isLive()) {
            usage.rowWritten(token, writes * CapacityUnits.writeUnits(RowSize.partitionKey(table, pk)), 0);
        }
        for (int i = 0; i < update.rangeTombstones().size(); i++) {
            usage.rowWritten(token, writes * CapacityUnits.writeUnits(RowSize.partitionKey(table, pk)), 0);
        }
        if (update.staticRow() != null) {
            wroteRow(table, token, pk, List.of(), update.staticRow(), writes, usage);
        }
        for (Row r : update.rows()) {
            wroteRow(table, token, pk, clustering(table, r), r, writes, usage);
        }
    }

    /**
     * Meters a lightweight transaction whose condition did not hold: for each row it named ({@code null}: the
     * static row), that row's current size, or 1 write unit if the row does not exist.
     *
     * @param current the row as read under the partition's lock, or null if absent
     */
    public static void conditionFailed(TableMetadata table, PartitionKey key, Row current, RequestUsage usage) {
        requireNonNull(table, "table is null");
        requireNonNull(usage, "usage is null");
        usage.conditionFailed();
        if (current == null || current.cells().isEmpty() && current.liveness().isEmpty()) {
            usage.rowWritten(key.token(), 1, 0);
            return;
        }
        List<byte[]> pk = PartitionKeys.split(key.key(), table.partitionKey().size());
        List<byte[]> ck = current.isStatic() ? List.of() : clustering(table, current);
        usage.rowWritten(key.token(), CapacityUnits.writeUnits(RowSize.row(table, pk, ck, current)), 0);
    }

    /**
     * The encoded size of one row read of a user table (filtered out or not), for {@link RequestUsage#rowRead}:
     * readers sum a partition's rows and report them once. {@code pk} and {@code ck} are the row's key values,
     * {@code ck} empty for the static row.
     */
    public static long size(TableMetadata table, List<byte[]> pk, List<byte[]> ck, Row row) {
        return RowSize.row(table, pk, ck, row);
    }

    /**
     * TTL delete units of a row whose expired data storage removed ({@link io.strata.storage.spi.ExpiryListener}):
     * 1 per started KB of the expired data's encoded size with the row's key columns, as Keyspaces bills a row
     * deleted by TTL; at least 1.
     */
    public static long ttlDeleteUnits(TableMetadata table, PartitionKey key, Row expired) {
        requireNonNull(table, "table is null");
        List<byte[]> pk = PartitionKeys.split(key.key(), table.partitionKey().size());
        List<byte[]> ck = expired.isStatic() ? List.of() : clustering(table, expired);
        return Math.max(1, CapacityUnits.writeUnits(RowSize.row(table, pk, ck, expired)));
    }

    private static void wroteRow(TableMetadata table, long token, List<byte[]> pk, List<byte[]> ck, Row r, int writes,
            RequestUsage usage) {
        int expiring = 0;
        for (Cell c : r.cells()) {
            if (c.ttl() > 0) {
                expiring++;
            }
        }
        if (expiring == 0 && r.liveness().ttl() > 0) {
            expiring = 1; // an INSERT of key columns only, with a TTL: the row itself expires
        }
        usage.rowWritten(token, writes * CapacityUnits.writeUnits(RowSize.row(table, pk, ck, r)), expiring);
    }

    private static List<byte[]> clustering(TableMetadata table, Row r) {
        return table.clustering().isEmpty() || r.isStatic() ? List.of()
                : ComparableEncoding.decode(table.clusteringTypes(), table.clusteringDescending(), r.clustering().encoded());
    }
}
