package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

final class TestThreadRunner {
    @Test
    void runsExactlyTheOperationLimitAcrossThreads() throws Exception {
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        LoadRunner.PhaseResult result = new ThreadRunner(4, System::nanoTime).run(t -> sequence -> {
            seen.add(sequence);
            if (sequence == 7) {
                return new ThreadRunner.Prepared(LoadRunner.Kind.UPDATE, () -> {
                    throw new IllegalStateException("boom");
                });
            }
            return new ThreadRunner.Prepared(sequence % 2 == 0 ? LoadRunner.Kind.READ : LoadRunner.Kind.INSERT,
                    () -> sequence == 2 ? LoadRunner.Outcome.MISSING : LoadRunner.Outcome.FOUND);
        }, LoadRunner.Limit.operations(1000));

        assertThat(seen).hasSize(1000);
        assertThat(result.succeeded()).isEqualTo(999);
        assertThat(result.errors()).isEqualTo(1);
        assertThat(result.stats().get(LoadRunner.Kind.READ).succeeded()).isEqualTo(500);
        assertThat(result.stats().get(LoadRunner.Kind.READ).missing.sum()).isEqualTo(1);
        assertThat(result.errorCounts()).containsEntry("IllegalStateException", 1L);
        assertThat(result.maxInFlight()).isEqualTo(4);
    }

    @Test
    void stopsAfterTheDuration() throws Exception {
        long start = System.nanoTime();
        LoadRunner.PhaseResult result = new ThreadRunner(2, System::nanoTime).run(t -> sequence ->
                new ThreadRunner.Prepared(LoadRunner.Kind.READ, () -> {
                    Thread.sleep(1);
                    return LoadRunner.Outcome.FOUND;
                }), LoadRunner.Limit.duration(Duration.ofMillis(200)));

        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(result.succeeded()).isPositive();
        assertThat(result.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }
}
