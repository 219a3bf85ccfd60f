package io.strata.tenancy.capacity;

import static java.util.Objects.requireNonNull;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Buckets in this process' memory, on an injected nanosecond clock (tests move time by hand). A bucket unused for
 * {@code idleNanos} is dropped by {@link #forgetIdle()}: a partition that went quiet, or a dropped table. A bucket
 * forgotten and recreated starts as configured; for partitions that is full, which is what an idle partition has
 * anyway. Thread-safe.
 */
public final class LocalBuckets implements Buckets {
    private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final TimeMeter meter;
    private final long idleNanos;

    private static final class Entry {
        final Bucket bucket;
        volatile long lastUsed;

        Entry(Bucket bucket, long now) {
            this.bucket = bucket;
            this.lastUsed = now;
        }
    }

    /**
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
     * @param idleNanos how long an unused bucket is kept
     */
    public LocalBuckets(LongSupplier nanoTime, long idleNanos) {
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.idleNanos = idleNanos;
        this.meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    @Override
    public Bucket bucket(String key, Supplier<BucketConfiguration> configuration) {
        long now = nanoTime.getAsLong();
        Entry e = buckets.computeIfAbsent(key, k -> {
            BucketConfiguration c = configuration.get();
            var builder = Bucket.builder().withCustomTimePrecision(meter);
            for (io.github.bucket4j.Bandwidth b : c.getBandwidths()) {
                builder.addLimit(b);
            }
            return new Entry(builder.build(), now);
        });
        e.lastUsed = now;
        return e.bucket;
    }

    @Override
    public void forgetIdle() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(e -> now - e.lastUsed > idleNanos);
    }

    /** How many buckets are held (for tests and metrics). */
    public int size() {
        return buckets.size();
    }
}
