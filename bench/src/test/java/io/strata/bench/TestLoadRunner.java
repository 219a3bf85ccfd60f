package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class TestLoadRunner {
    @Test
    void runsExactlyTheRequestedOperations() throws Exception {
        AtomicLong started = new AtomicLong();
        LoadRunner runner = new LoadRunner(8, System::nanoTime);

        LoadRunner.PhaseResult result = runner.run(seq -> {
            started.incrementAndGet();
            return new LoadRunner.Started(LoadRunner.Kind.WRITE, CompletableFuture.completedFuture(LoadRunner.Outcome.WRITTEN));
        }, LoadRunner.Limit.operations(1000));

        assertThat(started).hasValue(1000);
        assertThat(result.succeeded()).isEqualTo(1000);
        assertThat(result.errors()).isZero();
        assertThat(result.stats().get(LoadRunner.Kind.WRITE).succeeded()).isEqualTo(1000);
        assertThat(result.stats().get(LoadRunner.Kind.READ).completed()).isZero();
        assertThat(result.maxInFlight()).isEqualTo(1);
    }

    @Test
    void neverHasMoreThanConcurrencyOperationsInFlight() throws Exception {
        int concurrency = 16;
        long total = 20L * concurrency;
        Deque<CompletableFuture<LoadRunner.Outcome>> pending = new ArrayDeque<>();
        AtomicLong issued = new AtomicLong();
        Thread completer = new Thread(() -> {
            long completed = 0;
            while (completed < total) {
                CompletableFuture<LoadRunner.Outcome> next = null;
                synchronized (pending) {
                    // complete only once the window is full (or nothing more will come), so it does fill up
                    if (pending.size() == concurrency || (issued.get() == total && !pending.isEmpty())) {
                        next = pending.poll();
                    }
                }
                if (next != null) {
                    next.complete(LoadRunner.Outcome.FOUND);
                    completed++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        completer.start();
        LoadRunner runner = new LoadRunner(concurrency, System::nanoTime);

        LoadRunner.PhaseResult result = runner.run(seq -> {
            CompletableFuture<LoadRunner.Outcome> future = new CompletableFuture<>();
            synchronized (pending) {
                pending.add(future);
                issued.incrementAndGet();
            }
            return new LoadRunner.Started(LoadRunner.Kind.READ, future);
        }, LoadRunner.Limit.operations(total));
        completer.join();

        assertThat(result.maxInFlight()).isEqualTo(concurrency);
        assertThat(result.stats().get(LoadRunner.Kind.READ).succeeded()).isEqualTo(total);
    }

    @Test
    void countsErrorsAndReadOutcomesSeparately() throws Exception {
        LoadRunner runner = new LoadRunner(4, System::nanoTime);

        LoadRunner.PhaseResult result = runner.run(seq -> {
            if (seq % 5 == 0) {
                return new LoadRunner.Started(LoadRunner.Kind.WRITE,
                        CompletableFuture.failedFuture(new IllegalStateException("overloaded #" + seq)));
            }
            LoadRunner.Outcome outcome = seq % 5 == 1 ? LoadRunner.Outcome.MISSING
                    : seq % 5 == 2 ? LoadRunner.Outcome.MISMATCH : LoadRunner.Outcome.FOUND;
            return new LoadRunner.Started(LoadRunner.Kind.READ, CompletableFuture.completedFuture(outcome));
        }, LoadRunner.Limit.operations(100));

        LoadRunner.KindStats reads = result.stats().get(LoadRunner.Kind.READ);
        LoadRunner.KindStats writes = result.stats().get(LoadRunner.Kind.WRITE);
        assertThat(writes.errors.sum()).isEqualTo(20);
        assertThat(writes.succeeded()).isZero();
        assertThat(reads.succeeded()).isEqualTo(80);
        assertThat(reads.missing.sum()).isEqualTo(20);
        assertThat(reads.mismatches.sum()).isEqualTo(20);
        assertThat(result.errors()).isEqualTo(20);
        assertThat(result.errorCounts()).containsExactly(java.util.Map.entry("IllegalStateException", 20L));
        assertThat(result.errorSamples().get("IllegalStateException")).startsWith("overloaded #");
    }

    @Test
    void measuresLatencyWithTheGivenClock() throws Exception {
        // every reading advances the fake clock by 1 µs
        AtomicLong clock = new AtomicLong();
        LoadRunner runner = new LoadRunner(2, () -> clock.addAndGet(1_000));

        LoadRunner.PhaseResult result = runner.run(seq -> new LoadRunner.Started(LoadRunner.Kind.WRITE,
                CompletableFuture.completedFuture(LoadRunner.Outcome.WRITTEN)), LoadRunner.Limit.operations(10));

        LatencyHistogram latency = result.stats().get(LoadRunner.Kind.WRITE).latencyNanos;
        assertThat(latency.count()).isEqualTo(10);
        assertThat(latency.min()).isEqualTo(1_000);
        assertThat(latency.max()).isEqualTo(1_000);
        assertThat(result.elapsedNanos()).isPositive();
    }

    @Test
    void stopsAfterTheDuration() throws Exception {
        AtomicLong clock = new AtomicLong();
        LoadRunner runner = new LoadRunner(4, () -> clock.addAndGet(1_000_000));

        LoadRunner.PhaseResult result = runner.run(seq -> new LoadRunner.Started(LoadRunner.Kind.WRITE,
                CompletableFuture.completedFuture(LoadRunner.Outcome.WRITTEN)), LoadRunner.Limit.duration(Duration.ofMillis(100)));

        // each operation reads the clock four times (two limit checks, start, completion): 1 ms apiece
        assertThat(result.succeeded()).isBetween(20L, 30L);
        assertThat(result.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
    }

    @Test
    void validatesLimitsAndConcurrency() {
        assertThatThrownBy(() -> new LoadRunner.Limit(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadRunner.Limit(5, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoadRunner(0, System::nanoTime)).isInstanceOf(IllegalArgumentException.class);
    }
}
