package io.strata.cql.request;

import io.strata.cql.capacity.CapacityUnits;
import java.util.Arrays;

/**
 * What one request did to storage: rows and bytes read (the columns the request fetched, filtered rows
 * included) and rows and bytes written, as raw storage sizes (for tracing and Cassandra's batch-size warning);
 * and what it costs in Amazon Keyspaces' capacity units, from the rows' encoded sizes (see
 * {@code io.strata.cql.capacity} and docs/capacity.md): write units summed row by row, read bytes summed and
 * turned into read units once, at the end, at the request's consistency. Units are also kept per partition
 * token, for per-partition ceilings. Executors add to it as they go; capacity metering reads it once the request
 * ran. Thread-safe (the stages of a request run one after another, possibly on different threads; a lock is
 * cheaper here than many atomics). Allocates nothing until a request touches a second partition.
 */
public final class RequestUsage {
    private static final long[] NONE = new long[0];

    private long rowsRead;
    private long bytesRead;
    private long rowsWritten;
    private long bytesWritten;

    private boolean metered;
    private boolean conditionFailed;
    private long writeUnits;
    private long encodedBytesRead;
    private long expiringRowsWritten;
    private long expiringCellsWritten;
    // Per partition token: parallel arrays, the first partition inline (most requests touch one).
    private int partitions;
    private long token0;
    private long writeUnits0;
    private long readBytes0;
    private long[] tokens = NONE;
    private long[] partitionWriteUnits = NONE;
    private long[] partitionReadBytes = NONE;
    private int last; // index of the partition last added to: rows of one partition come together
    private long maxToken; // scans go in token order: a token above every one seen is new, without a search

    public synchronized void read(long rows, long bytes) {
        rowsRead += rows;
        bytesRead += bytes;
    }

    public synchronized void written(long rows, long bytes) {
        rowsWritten += rows;
        bytesWritten += bytes;
    }

    public synchronized long rowsRead() {
        return rowsRead;
    }

    public synchronized long bytesRead() {
        return bytesRead;
    }

    public synchronized long rowsWritten() {
        return rowsWritten;
    }

    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Marks the request as a metered read of a user table: it costs at least one read unit even when it finds
     * nothing. System and virtual tables never call this (they are free).
     */
    public synchronized void meteredRead() {
        metered = true;
    }

    /** A row (or the static row) read from partition {@code token}, of Keyspaces' encoded size. */
    public synchronized void rowRead(long token, long encodedBytes) {
        metered = true;
        encodedBytesRead += encodedBytes;
        int i = partition(token);
        if (i == 0) {
            readBytes0 += encodedBytes;
        } else {
            partitionReadBytes[i - 1] += encodedBytes;
        }
    }

    /**
     * A row (the static row, a row deletion, a range or partition tombstone) written to partition {@code token}:
     * {@code units} write units, {@code expiringCells} of its cells with a TTL.
     */
    public synchronized void rowWritten(long token, long units, int expiringCells) {
        writeUnits += units;
        if (expiringCells > 0) {
            expiringRowsWritten++;
            expiringCellsWritten += expiringCells;
        }
        int i = partition(token);
        if (i == 0) {
            writeUnits0 += units;
        } else {
            partitionWriteUnits[i - 1] += units;
        }
    }

    /** Marks a lightweight transaction whose condition did not hold (Keyspaces' ConditionalCheckFailedRequests). */
    public synchronized void conditionFailed() {
        conditionFailed = true;
    }

    public synchronized boolean isConditionFailed() {
        return conditionFailed;
    }

    public synchronized long writeUnits() {
        return writeUnits;
    }

    /** Keyspaces' encoded size of every row read (filtered rows included). */
    public synchronized long encodedBytesRead() {
        return encodedBytesRead;
    }

    /** Rows written with a TTL on some cell (what TTL deletes will later be billed on). */
    public synchronized long expiringRowsWritten() {
        return expiringRowsWritten;
    }

    public synchronized long expiringCellsWritten() {
        return expiringCellsWritten;
    }

    /** Read units at {@code consistency}: 0 when the request read no user table. */
    public synchronized double readUnits(Consistency consistency) {
        return metered ? CapacityUnits.readUnits(encodedBytesRead, consistency) : 0;
    }

    /** How many partitions (by token) the request read or wrote. */
    public synchronized int partitions() {
        return partitions;
    }

    /** The request's capacity units at {@code consistency} (the request's read consistency). */
    public synchronized CapacityUnits capacity(Consistency consistency) {
        if (partitions == 0 && !metered) {
            return writeUnits == 0 ? CapacityUnits.NONE : new CapacityUnits(writeUnits, 0, writeUnits, 0, 0);
        }
        long maxWrite = writeUnits0;
        long maxRead = readBytes0;
        for (int i = 0; i < partitions - 1; i++) {
            maxWrite = Math.max(maxWrite, partitionWriteUnits[i]);
            maxRead = Math.max(maxRead, partitionReadBytes[i]);
        }
        double reads = metered ? CapacityUnits.readUnits(encodedBytesRead, consistency) : 0;
        double maxPartitionReads = maxRead > 0 ? CapacityUnits.readUnits(maxRead, consistency) : 0;
        return new CapacityUnits(writeUnits, reads, maxWrite, maxPartitionReads, partitions);
    }

    /** What one partition of a request took, as {@link #forEachPartition} reports it. */
    @FunctionalInterface
    public interface PartitionVisitor {
        /**
         * @param writeUnits write units the request spent on this partition
         * @param encodedBytesRead bytes read from it (0 if only written); its read units are
         *     {@link CapacityUnits#readUnits} of this, when positive
         */
        void partition(long token, long writeUnits, long encodedBytesRead);
    }

    /** Reports each partition (by token) the request read or wrote, in the order first touched. */
    public synchronized void forEachPartition(PartitionVisitor visitor) {
        if (partitions == 0) {
            return;
        }
        visitor.partition(token0, writeUnits0, readBytes0);
        for (int i = 0; i < partitions - 1; i++) {
            visitor.partition(tokens[i], partitionWriteUnits[i], partitionReadBytes[i]);
        }
    }

    /** The index of {@code token}'s counters, added if new: 0 is the inline first partition, i > 0 is arrays[i - 1]. */
    private int partition(long token) {
        if (partitions == 0) {
            partitions = 1;
            token0 = token;
            maxToken = token;
            return 0;
        }
        if (last == 0 ? token0 == token : tokens[last - 1] == token) {
            return last;
        }
        if (token <= maxToken) {
            if (token0 == token) {
                return last = 0;
            }
            for (int i = 0; i < partitions - 1; i++) {
                if (tokens[i] == token) {
                    return last = i + 1;
                }
            }
        }
        maxToken = Math.max(maxToken, token);
        int n = partitions - 1;
        if (n == tokens.length) {
            int size = Math.max(4, n * 2);
            tokens = Arrays.copyOf(tokens, size);
            partitionWriteUnits = Arrays.copyOf(partitionWriteUnits, size);
            partitionReadBytes = Arrays.copyOf(partitionReadBytes, size);
        }
        tokens[n] = token;
        partitions++;
        return last = n + 1;
    }
}
