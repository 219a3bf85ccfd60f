package io.strata.cql.capacity;

import static java.util.Objects.requireNonNull;

import io.strata.cql.request.Consistency;

/**
 * The capacity one request consumed, in Amazon Keyspaces' units: write units (one per started KB of each row
 * written, at least one per row) and read units (one per started 4 KB of all the rows the request read, at
 * least one per read request; half of that at ONE or LOCAL_ONE). Read units are fractional only in halves.
 * See docs/capacity.md for the rules and their sources. Immutable.
 *
 * @param writeUnits WCUs/WRUs consumed
 * @param readUnits RCUs/RRUs consumed (a multiple of 0.5)
 * @param maxPartitionWriteUnits the most write units any one partition (by token) took
 * @param maxPartitionReadUnits the most read units any one partition (by token) took
 * @param partitions how many partitions (by token) the request read or wrote
 */
public record CapacityUnits(long writeUnits, double readUnits, long maxPartitionWriteUnits, double maxPartitionReadUnits,
        int partitions) {
    /** One write unit covers a row of up to 1 KB. */
    public static final int WRITE_UNIT_BYTES = 1024;
    /** One read unit covers 4 KB read at LOCAL_QUORUM (8 KB at LOCAL_ONE). */
    public static final int READ_UNIT_BYTES = 4096;

    public static final CapacityUnits NONE = new CapacityUnits(0, 0, 0, 0, 0);

    /** Write units for one row of {@code encodedBytes}: rounded up per row, and never less than one. */
    public static long writeUnits(long encodedBytes) {
        return Math.max(1, ceilDiv(encodedBytes, WRITE_UNIT_BYTES));
    }

    /**
     * Read units for a request that read {@code encodedBytes} in all (rounded up once per request, never less than
     * one unit), at {@code consistency}: half at ONE and LOCAL_ONE.
     */
    public static double readUnits(long encodedBytes, Consistency consistency) {
        return halves(encodedBytes, consistency) / 2.0;
    }

    /** {@link #readUnits} in half units, so that sums stay exact. */
    static long halves(long encodedBytes, Consistency consistency) {
        requireNonNull(consistency, "consistency is null");
        long units = Math.max(1, ceilDiv(encodedBytes, READ_UNIT_BYTES));
        return eventual(consistency) ? units : 2 * units;
    }

    /** ONE and LOCAL_ONE read one replica: Keyspaces charges them half (an 8 KB row costs 1 unit, not 2). */
    static boolean eventual(Consistency c) {
        return c == Consistency.ONE || c == Consistency.LOCAL_ONE;
    }

    private static long ceilDiv(long bytes, int unit) {
        return bytes <= 0 ? 0 : (bytes + unit - 1) / unit;
    }
}
