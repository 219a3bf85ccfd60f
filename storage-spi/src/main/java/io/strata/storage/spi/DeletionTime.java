package io.strata.storage.spi;

/**
 * A deletion: everything written with a timestamp {@code <= markedForDeleteAt} is shadowed.
 * {@code localDeletionTime} (seconds since epoch, server clock) drives tombstone purging after
 * gc_grace_seconds. {@link #LIVE} means "not deleted".
 */
public record DeletionTime(long markedForDeleteAt, int localDeletionTime) {
    public static final DeletionTime LIVE = new DeletionTime(Long.MIN_VALUE, Integer.MAX_VALUE);

    public boolean isLive() {
        return markedForDeleteAt == Long.MIN_VALUE;
    }

    /** True when data written at {@code timestamp} is shadowed by this deletion. */
    public boolean deletes(long timestamp) {
        return timestamp <= markedForDeleteAt;
    }

    public boolean supersedes(DeletionTime other) {
        return markedForDeleteAt > other.markedForDeleteAt
                || (markedForDeleteAt == other.markedForDeleteAt && localDeletionTime > other.localDeletionTime);
    }

    public static DeletionTime max(DeletionTime a, DeletionTime b) {
        return b.supersedes(a) ? b : a;
    }
}
