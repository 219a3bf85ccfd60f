package io.strata.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * A latency histogram in nanoseconds, backed by HdrHistogram's {@link ConcurrentHistogram} with 3 significant
 * decimal digits: every reported value (percentiles, min, max) is within 0.1% of a recorded value, over
 * 1 ns to {@link #HIGHEST_TRACKABLE} (values above are recorded as that). The mean is HdrHistogram's, computed
 * from the buckets (also within 0.1%).
 *
 * <p>Thread-safe and wait-free for {@link #record}: any number of threads (driver I/O threads, synchronous
 * client threads) may record concurrently. Read after recording has stopped (with a happens-before edge,
 * e.g. through the semaphore the load runner drains or a thread join) for exact figures.
 */
final class LatencyHistogram {
    static final int SIGNIFICANT_DIGITS = 3;
    /** Upper bound on the relative error of every reported value. */
    static final double MAX_RELATIVE_ERROR = 1e-3;
    /** The largest latency kept apart: one hour, far above any request timeout. */
    static final long HIGHEST_TRACKABLE = TimeUnit.HOURS.toNanos(1);

    private final ConcurrentHistogram histogram = new ConcurrentHistogram(1, HIGHEST_TRACKABLE, SIGNIFICANT_DIGITS);

    /** @throws IllegalArgumentException if {@code nanos} is negative */
    void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative value: " + nanos);
        }
        histogram.recordValue(Math.min(nanos, HIGHEST_TRACKABLE));
    }

    long count() {
        return histogram.getTotalCount();
    }

    /** @return the smallest recorded value (within 0.1%); 0 if empty */
    long min() {
        return count() == 0 ? 0 : histogram.getMinValue();
    }

    /** @return the largest recorded value (within 0.1%); 0 if empty */
    long max() {
        return count() == 0 ? 0 : histogram.getMaxValue();
    }

    /** @return the mean (within 0.1%); 0 if empty */
    double mean() {
        return count() == 0 ? 0 : histogram.getMean();
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
        if (count() == 0) {
            return 0;
        }
        if (percentile == 0) {
            return min();
        }
        // HdrHistogram reports the highest value equivalent to the bucket's; never above the largest recorded
        return Math.min(histogram.getValueAtPercentile(percentile), max());
    }
}
