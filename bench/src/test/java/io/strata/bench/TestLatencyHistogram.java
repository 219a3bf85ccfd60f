package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

final class TestLatencyHistogram {
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
    void percentilesStayWithinThreeSignificantDigits() {
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
                    .isLessThanOrEqualTo(LatencyHistogram.MAX_RELATIVE_ERROR);
        }
        assertThat((double) histogram.min()).isCloseTo(values[0], within(values[0] * 1e-3));
        assertThat((double) histogram.max()).isCloseTo(values[n - 1], within(values[n - 1] * 1e-3));
        double mean = Arrays.stream(values).average().orElseThrow();
        assertThat(histogram.mean()).isCloseTo(mean, within(mean * 1e-3));
        assertThat(histogram.count()).isEqualTo(n);
    }

    @Test
    void singleValueIsReportedWithinThePrecision() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(123_456_789);

        assertThat((double) histogram.valueAtPercentile(50)).isCloseTo(123_456_789, within(123_456.789));
        assertThat(histogram.valueAtPercentile(99.9)).isEqualTo(histogram.valueAtPercentile(50));
        assertThat(histogram.valueAtPercentile(100)).isEqualTo(histogram.max());
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
        // values beyond the trackable range are kept as the highest trackable value
        assertThat((double) histogram.valueAtPercentile(100))
                .isCloseTo(LatencyHistogram.HIGHEST_TRACKABLE, within(LatencyHistogram.HIGHEST_TRACKABLE * 1e-3));
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
        assertThat((double) histogram.max()).isCloseTo(perThread, within(perThread * 1e-3));
        assertThat(histogram.mean()).isCloseTo((perThread + 1) / 2.0, within(perThread * 1e-3));
    }
}
