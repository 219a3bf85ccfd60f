package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * One cell: a column (by name) and, for collection elements, a {@code path} (list: timeuuid key,
 * set: element, map: key; null for simple columns). Reconciliation is last-write-wins by timestamp;
 * on a tie a tombstone wins, then the greater value (Cassandra's rule).
 *
 * <ul>
 *   <li>{@link Kind#REGULAR}: a value, optionally expiring ({@code ttl > 0}, {@code localDeletionTime}
 *       is then the expiry second).</li>
 *   <li>{@link Kind#TOMBSTONE}: a deleted cell; {@code value} is null, {@code localDeletionTime} is
 *       when it was deleted (for gc_grace).</li>
 *   <li>{@link Kind#COUNTER_DELTA}: an increment to a counter column; {@code value} is an 8-byte
 *       big-endian long. The engine folds deltas into a running total when it reconciles.</li>
 * </ul>
 */
public record Cell(String column, byte[] path, Kind kind, long timestamp, int ttl, int localDeletionTime, byte[] value) {
    public enum Kind { REGULAR, TOMBSTONE, COUNTER_DELTA }

    public static final int NO_DELETION_TIME = Integer.MAX_VALUE;

    public Cell {
        requireNonNull(column, "column is null");
        requireNonNull(kind, "kind is null");
        if ((kind == Kind.TOMBSTONE) != (value == null)) {
            throw new IllegalArgumentException("tombstones, and only tombstones, have no value");
        }
    }

    public static Cell live(String column, byte[] path, long timestamp, byte[] value) {
        return new Cell(column, path, Kind.REGULAR, timestamp, 0, NO_DELETION_TIME, value);
    }

    public static Cell expiring(String column, byte[] path, long timestamp, int ttl, int nowInSeconds, byte[] value) {
        if (ttl <= 0) {
            return live(column, path, timestamp, value);
        }
        return new Cell(column, path, Kind.REGULAR, timestamp, ttl, LivenessInfo.saturatedAdd(nowInSeconds, ttl), value);
    }

    public static Cell tombstone(String column, byte[] path, long timestamp, int nowInSeconds) {
        return new Cell(column, path, Kind.TOMBSTONE, timestamp, 0, nowInSeconds, null);
    }

    public static Cell counterDelta(String column, long timestamp, long delta) {
        byte[] v = java.nio.ByteBuffer.allocate(8).putLong(delta).array();
        return new Cell(column, null, Kind.COUNTER_DELTA, timestamp, 0, NO_DELETION_TIME, v);
    }

    public boolean isTombstone() {
        return kind == Kind.TOMBSTONE;
    }

    public boolean isExpiring() {
        return kind == Kind.REGULAR && ttl > 0;
    }

    /** True when this cell carries a value visible at {@code nowInSeconds}. */
    public boolean isLive(int nowInSeconds) {
        return kind != Kind.TOMBSTONE && (ttl == 0 || nowInSeconds < localDeletionTime);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cell c && column.equals(c.column) && Arrays.equals(path, c.path) && kind == c.kind
                && timestamp == c.timestamp && ttl == c.ttl && localDeletionTime == c.localDeletionTime
                && Arrays.equals(value, c.value);
    }

    @Override
    public int hashCode() {
        return ((column.hashCode() * 31 + Arrays.hashCode(path)) * 31 + Long.hashCode(timestamp)) * 31
                + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Cell[" + column + (path == null ? "" : "[" + Bytes.hex(path) + "]") + " " + kind + " ts=" + timestamp
                + (ttl > 0 ? " ttl=" + ttl : "") + " v=" + Bytes.hex(value) + "]";
    }
}
