package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TestLatencyHistogram {
    @Test
    void bucketsTileTheWholeRangeWithoutGaps() {
        int last = LatencyHistogram.bucketOf(Long.MAX_VALUE);
        for (int i = 0; i < last; i++) {
            long lower = LatencyHistogram.lowerBoundOf(i);
            long width = LatencyHistogram.widthOf(i);
            assertThat(LatencyHistogram.bucketOf(lower)).as("bucket of lower bound %d", i).isEqualTo(i);
            assertThat(LatencyHistogram.bucketOf(lower + width - 1)).as("bucket of upper bound %d", i).isEqualTo(i);
            assertThat(LatencyHistogram.lowerBoundOf(i + 1)).as("next of %d", i).isEqualTo(lower + width);
            if (i < LatencyHistogram.SUB_BUCKETS) {
                assertThat(width).isEqualTo(1);
            } else {
                assertThat((double) width / lower).isLessThanOrEqualTo(1.0 / LatencyHistogram.SUB_BUCKETS);
            }
        }
        assertThat(LatencyHistogram.lowerBoundOf(last) + (LatencyHistogram.widthOf(last) - 1)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void smallValuesAreExact() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long v = 1; v <= 100; v++) {
            histogram.record(v);
        }

        assertThat(histogram.valueAtPercentile(50)).isEqualTo(50);
        assertThat(histogram.valueAtPercentile(99)).isEqualTo(99);
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(100);
        assertThat(histogram.valueAtPercentile(0)).isEqualTo(1);
        assertThat(histogram.mean()).isEqualTo(50.5);
    }

    @Test
    void percentilesStayWithinTheRelativeErrorBound() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 200_000;
        long[] values = new long[n];
        LatencyHistogram histogram = new LatencyHistogram();
        for (int i = 0; i < n; i++) {
            // log-uniform from 1 µs to 10 s, in nanoseconds, like real latencies with a long tail
            values[i] = (long) Math.pow(10, 3 + random.nextDouble() * 7);
            histogram.record(values[i]);
        }
        Arrays.sort(values);

        for (double p : new double[] {1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100}) {
            long exact = values[(int) Math.max(0, Math.ceil(p / 100 * n) - 1)];
            long estimate = histogram.valueAtPercentile(p);
            assertThat(Math.abs(estimate - exact) / (double) exact)
                    .as("p%s: exact %d, estimate %d", p, exact, estimate)
                    .isLessThanOrEqualTo(LatencyHistogram.MAX_RELATIVE_ERROR)
                    .isLessThan(0.01);
        }
        assertThat(histogram.min()).isEqualTo(values[0]);
        assertThat(histogram.max()).isEqualTo(values[n - 1]);
        assertThat(histogram.mean()).isCloseTo(Arrays.stream(values).average().orElseThrow(), within(1e-3));
        assertThat(histogram.count()).isEqualTo(n);
    }

    @Test
    void singleValueIsReportedExactly() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(123_456_789);

        assertThat(histogram.valueAtPercentile(50)).isEqualTo(123_456_789);
        assertThat(histogram.valueAtPercentile(99.9)).isEqualTo(123_456_789);
    }

    @Test
    void handlesExtremes() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.valueAtPercentile(99)).isZero();
        assertThat(histogram.min()).isZero();
        assertThat(histogram.max()).isZero();
        assertThat(histogram.mean()).isZero();

        histogram.record(0);
        histogram.record(Long.MAX_VALUE);
        assertThat(histogram.valueAtPercentile(50)).isZero();
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> histogram.record(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> histogram.valueAtPercentile(100.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> histogram.valueAtPercentile(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsEveryValueRecordedConcurrently() throws Exception {
        LatencyHistogram histogram = new LatencyHistogram();
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 1; i <= perThread; i++) {
                        histogram.record(i);
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(histogram.count()).isEqualTo((long) threads * perThread);
        assertThat(histogram.max()).isEqualTo(perThread);
        assertThat(histogram.mean()).isEqualTo((perThread + 1) / 2.0);
    }
}
