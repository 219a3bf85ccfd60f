package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

final class TestRequestBytesBudget {
    @Test
    void requestsTakeBytesUntilTheLimitAndGiveThemBack() {
        RequestBytesBudget budget = new RequestBytesBudget(100);

        assertThat(budget.tryAcquire(60)).isTrue();
        assertThat(budget.tryAcquire(40)).as("an exact fit").isTrue();
        assertThat(budget.inFlight()).isEqualTo(100);
        assertThat(budget.tryAcquire(1)).isFalse();
        assertThat(budget.inFlight()).as("a refusal takes nothing").isEqualTo(100);

        budget.release(60);
        assertThat(budget.tryAcquire(50)).isTrue();
        budget.release(40);
        budget.release(50);
        assertThat(budget.inFlight()).isZero();
    }

    @Test
    void aRequestLargerThanWhatRemainsIsRefusedWhileSmallerOnesFit() {
        RequestBytesBudget budget = new RequestBytesBudget(64 * 1024);
        assertThat(budget.tryAcquire(40 * 1024)).isTrue();

        assertThat(budget.tryAcquire(30 * 1024)).isFalse();
        assertThat(budget.tryAcquire(20 * 1024)).isTrue();
    }

    @Test
    void aLoneRequestIsAlwaysAdmittedSoNothingStarves() {
        RequestBytesBudget budget = new RequestBytesBudget(64 * 1024);
        int maxFrame = CqlServerOptions.DEFAULT_MAX_FRAME_SIZE;

        assertThat(budget.tryAcquire(maxFrame)).isTrue();
        assertThat(budget.inFlight()).isEqualTo(maxFrame);
        assertThat(budget.tryAcquire(1)).as("nothing more while it runs").isFalse();

        budget.release(maxFrame);
        assertThat(budget.tryAcquire(1)).isTrue();
        assertThat(budget.tryAcquire(maxFrame)).as("not lone any more").isFalse();
    }

    @Test
    void releasingMoreThanIsHeldThrowsAndLeavesTheCountAlone() {
        RequestBytesBudget budget = new RequestBytesBudget(100);
        budget.tryAcquire(10);

        assertThatThrownBy(() -> budget.release(11)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only 10 were in flight");
        assertThat(budget.inFlight()).isEqualTo(10);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RequestBytesBudget(0)).isInstanceOf(IllegalArgumentException.class);
        RequestBytesBudget budget = new RequestBytesBudget(100);
        assertThatThrownBy(() -> budget.tryAcquire(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget.release(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLimitNearLongMaxValueDoesNotOverflow() {
        RequestBytesBudget budget = new RequestBytesBudget(Long.MAX_VALUE);
        assertThat(budget.tryAcquire(Long.MAX_VALUE - 10)).isTrue();

        assertThat(budget.tryAcquire(20)).isFalse();
        assertThat(budget.tryAcquire(10)).isTrue();
    }

    @Test
    void concurrentAcquiresAndReleasesStayWithinTheLimitAndEndAtZero() throws Exception {
        long limit = 10_000;
        long largest = 2 * limit; // some requests only fit alone
        RequestBytesBudget budget = new RequestBytesBudget(limit);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong admitted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        try {
            // a watcher sees every value the count takes on its way, not only the final one
            Future<long[]> watched = pool.submit(() -> {
                long min = 0;
                long max = 0;
                go.await();
                while (running.get()) {
                    long now = budget.inFlight();
                    min = Math.min(min, now);
                    max = Math.max(max, now);
                }
                return new long[] {min, max};
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    go.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < 50_000; i++) {
                        long bytes = random.nextInt(20) == 0 ? random.nextLong(limit, largest + 1)
                                : random.nextLong(1, limit / 4);
                        if (budget.tryAcquire(bytes)) {
                            admitted.incrementAndGet();
                            Thread.onSpinWait();
                            budget.release(bytes);
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            running.set(false);
            long[] minMax = watched.get(10, TimeUnit.SECONDS);

            assertThat(minMax[0]).as("never negative").isGreaterThanOrEqualTo(0);
            assertThat(minMax[1]).as("beyond the limit only by a lone request").isLessThanOrEqualTo(largest);
            assertThat(budget.inFlight()).as("nothing leaked").isZero();
            assertThat(admitted.get()).isPositive();
            assertThat(refused.get()).isPositive();
        } finally {
            pool.shutdownNow();
        }
    }
}
