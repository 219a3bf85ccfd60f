package io.strata.cql.expr;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates version-1 (time-based) UUIDs and monotonic microsecond write timestamps from an injected
 * clock. Timestamps never go backwards within a process, even when the clock does. Thread-safe.
 */
public final class TimeUuids {
    /** 100ns intervals between the UUID epoch (1582-10-15) and the Unix epoch. */
    private static final long UUID_EPOCH_OFFSET = 0x01b21dd213814000L;

    /** 2010-01-01T00:00:00Z in UUID ticks: the mirror point of prepend times. */
    private static final long PREPEND_REFERENCE_TICKS = 1_262_304_000_000L * 10_000 + UUID_EPOCH_OFFSET;

    private final Clock clock;
    private final AtomicLong lastTicks = new AtomicLong();
    private final AtomicLong lastMicros = new AtomicLong();
    private final AtomicLong lastDescendingTicks = new AtomicLong();
    private final long clockSeqAndNode;

    public TimeUuids(Clock clock) {
        this.clock = clock;
        SecureRandom r = new SecureRandom();
        long node = r.nextLong() & 0x0000ffffffffffffL | 0x0000010000000000L; // multicast bit: not a MAC
        long seq = r.nextInt(0x3fff);
        this.clockSeqAndNode = (0x8000L | seq) << 48 | node;
    }

    public long nowMillis() {
        return clock.millis();
    }

    /** A strictly increasing microsecond timestamp close to the clock. */
    public long nextTimestampMicros() {
        long now = clock.millis() * 1000;
        return lastMicros.updateAndGet(prev -> Math.max(prev + 1, now));
    }

    /**
     * A time-based UUID older than every earlier one this method returned and than every {@link #next()}:
     * list prepends use them, mirroring the clock around 2010-01-01 as Cassandra does.
     */
    public UUID nextDescending() {
        long ticks = 2 * PREPEND_REFERENCE_TICKS - (clock.millis() * 10_000 + UUID_EPOCH_OFFSET);
        long t = lastDescendingTicks.updateAndGet(prev -> prev == 0 ? ticks : Math.min(prev - 1, ticks));
        return uuid(t);
    }

    public UUID next() {
        long ticks = clock.millis() * 10_000 + UUID_EPOCH_OFFSET;
        long t = lastTicks.updateAndGet(prev -> Math.max(prev + 1, ticks));
        return uuid(t);
    }

    private UUID uuid(long t) {
        long msb = (t << 32) | ((t >>> 16) & 0xffff0000L) | 0x1000L | ((t >>> 48) & 0x0fffL);
        return new UUID(msb, clockSeqAndNode);
    }
}
