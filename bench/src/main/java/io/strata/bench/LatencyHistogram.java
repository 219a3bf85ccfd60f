package io.strata.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A log-bucketed latency histogram in the spirit of HdrHistogram, for non-negative {@code long} values
 * (nanoseconds here). Values below 128 get a bucket each; above, every power-of-two range
 * {@code [2^e, 2^(e+1))} is split into 128 equal buckets, so a bucket is never wider than 1/128 of its
 * lower bound. Percentiles report the bucket's midpoint (clamped to the exact min and max), hence a
 * relative error of at most 1/256 (about 0.4%) over the whole {@code long} range, in 7,296 counters (57 KiB).
 *
 * <p>Thread-safe and lock-free for {@link #record}: any number of threads (driver I/O threads) may record
 * concurrently. Readings taken while others record are approximate; read after recording has stopped
 * (with a happens-before edge, e.g. through the semaphore the load runner drains) for exact figures.
 */
final class LatencyHistogram {
    static final int SUB_BUCKET_BITS = 7;
    static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Upper bound on the relative error of {@link #valueAtPercentile}. */
    static final double MAX_RELATIVE_ERROR = 1.0 / (2 * SUB_BUCKETS);
    private static final int BUCKETS = (64 - SUB_BUCKET_BITS) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final LongAdder sum = new LongAdder();
    private final LongAccumulator min = new LongAccumulator(Math::min, Long.MAX_VALUE);
    private final LongAccumulator max = new LongAccumulator(Math::max, Long.MIN_VALUE);

    /** @throws IllegalArgumentException if {@code value} is negative */
    void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value: " + value);
        }
        counts.incrementAndGet(bucketOf(value));
        sum.add(value);
        min.accumulate(value);
        max.accumulate(value);
        total.incrementAndGet();
    }

    long count() {
        return total.get();
    }

    /** @return the smallest recorded value, exactly; 0 if empty */
    long min() {
        return count() == 0 ? 0 : min.get();
    }

    /** @return the largest recorded value, exactly; 0 if empty */
    long max() {
        return count() == 0 ? 0 : max.get();
    }

    /** @return the exact arithmetic mean; 0 if empty */
    double mean() {
        long n = count();
        return n == 0 ? 0 : sum.doubleValue() / n;
    }

    /**
     * @param percentile in [0, 100]; 50 is the median, 99.9 the 999th permille
     * @return the value below or at which {@code percentile}% of recorded values lie, within
     *     {@link #MAX_RELATIVE_ERROR}; 0 if empty
     */
    long valueAtPercentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + percentile);
        }
        long n = count();
        if (n == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * n));
        // the extremes are known exactly
        if (rank == 1) {
            return min();
        }
        if (rank >= n) {
            return max();
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.max(min(), Math.min(max(), midpointOf(i)));
            }
        }
        return max();
    }

    static int bucketOf(long value) {
        if (value < SUB_BUCKETS) {
            return (int) value;
        }
        int shift = (63 - Long.numberOfLeadingZeros(value)) - SUB_BUCKET_BITS;
        int sub = (int) (value >>> shift) - SUB_BUCKETS;
        return (shift + 1) * SUB_BUCKETS + sub;
    }

    static long lowerBoundOf(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int shift = bucket / SUB_BUCKETS - 1;
        return (long) (SUB_BUCKETS + bucket % SUB_BUCKETS) << shift;
    }

    static long widthOf(int bucket) {
        return bucket < SUB_BUCKETS ? 1 : 1L << (bucket / SUB_BUCKETS - 1);
    }

    private static long midpointOf(int bucket) {
        return lowerBoundOf(bucket) + (widthOf(bucket) - 1) / 2;
    }
}
