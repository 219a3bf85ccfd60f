package io.strata.storage.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fairness, caps, queue limits and shutdown of {@link FairShareExecutor}. Ordering is forced with latches and
 * semaphores; the only timeouts guard against hangs.
 */
class TestFairShareExecutor {
    private static final long GUARD_SECONDS = 30;
    private final List<FairShareExecutor<String>> executors = new ArrayList<>();

    @AfterEach
    void stop() {
        executors.forEach(FairShareExecutor::shutdownNow);
    }

    private FairShareExecutor<String> executor(int threads, double share, int queueLimit) {
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "fair-test");
            t.setDaemon(true);
            return t;
        };
        FairShareExecutor<String> x = new FairShareExecutor<>(threads, share, queueLimit, daemons);
        executors.add(x);
        return x;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(GUARD_SECONDS, TimeUnit.SECONDS)).as("latch released").isTrue();
    }

    @Test
    void anotherTenantRunsOnTheNextFreeWorkerNotBehindAFloodingTenantsBacklog() throws Exception {
        // share 1: the flooding tenant may take every worker, the worst case for the others
        FairShareExecutor<String> x = executor(4, 1.0, 10_000);
        Semaphore permits = new Semaphore(0);
        CountDownLatch allBusy = new CountDownLatch(4);
        CountDownLatch floodDone = new CountDownLatch(1000);
        ConcurrentLinkedQueue<String> started = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 1000; i++) {
            x.execute("flood", () -> {
                started.add("flood");
                allBusy.countDown();
                permits.acquireUninterruptibly();
                floodDone.countDown();
            });
        }
        await(allBusy);
        assertThat(x.queued("flood")).isEqualTo(996);

        CountDownLatch otherRan = new CountDownLatch(1);
        x.execute("other", () -> {
            started.add("other");
            otherRan.countDown();
        });
        permits.release(1); // one worker frees
        await(otherRan);
        // the freed worker took the other tenant's task before any of the 996 queued ones (after it, that worker
        // goes on with the flood)
        assertThat(new ArrayList<>(started).subList(0, 5)).containsExactly("flood", "flood", "flood", "flood", "other");

        permits.release(10_000);
        await(floodDone);
    }

    @Test
    void withAShareBelowOneAFloodingTenantLeavesAWorkerToOthers() throws Exception {
        FairShareExecutor<String> x = executor(4, 0.75, 10_000);
        assertThat(x.maxPerKey()).isEqualTo(3);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 1000; i++) {
            x.execute("flood", () -> awaitQuietly(release));
        }
        CountDownLatch otherRan = new CountDownLatch(1);
        x.execute("other", otherRan::countDown);
        await(otherRan); // while every flood task is still blocked
        release.countDown();
    }

    @Test
    void keysWithQueuedWorkAreServedRoundRobin() throws Exception {
        FairShareExecutor<String> x = executor(1, 1.0, 100);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch gateRunning = new CountDownLatch(1);
        x.execute("gate", () -> {
            gateRunning.countDown();
            awaitQuietly(gate);
        });
        await(gateRunning);
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(6);
        for (String task : List.of("a1", "a2", "a3", "c1", "c2", "c3")) {
            x.execute(task.substring(0, 1), () -> {
                order.add(task);
                done.countDown();
            });
        }
        gate.countDown();
        await(done);
        assertThat(new ArrayList<>(order)).containsExactly("a1", "c1", "a2", "c2", "a3", "c3");
    }

    @Test
    void oneKeyNeverOccupiesMoreThanItsCapAndIdleWorkersServeOthers() throws Exception {
        FairShareExecutor<String> x = executor(8, 0.5, 10_000);
        assertThat(x.maxPerKey()).isEqualTo(4);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger aStarted = new AtomicInteger();
        CountDownLatch aAtCap = new CountDownLatch(4);
        for (int i = 0; i < 100; i++) {
            x.execute("a", () -> {
                aStarted.incrementAndGet();
                aAtCap.countDown();
                awaitQuietly(release);
            });
        }
        await(aAtCap);
        CountDownLatch bRunning = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            x.execute("b", () -> {
                bRunning.countDown();
                awaitQuietly(release);
            });
        }
        await(bRunning);
        // all 8 workers are held (4 by a, 4 by b): no fifth task of a can have started
        assertThat(aStarted).hasValue(4);
        release.countDown();

        // and under churn, a high-water mark of concurrently running tasks of one key
        AtomicInteger running = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        CountDownLatch churned = new CountDownLatch(5000);
        for (int i = 0; i < 5000; i++) {
            x.execute("c", () -> {
                highWater.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.yield();
                running.decrementAndGet();
                churned.countDown();
            });
        }
        await(churned);
        assertThat(highWater.get()).isBetween(1, 4);
    }

    @Test
    void aKeyAloneGetsItsWholeCap() throws Exception {
        FairShareExecutor<String> x = executor(4, 0.75, 100);
        // completes only if all three run at once
        CountDownLatch together = new CountDownLatch(3);
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            x.execute("solo", () -> {
                together.countDown();
                awaitQuietly(together);
                done.countDown();
            });
        }
        await(done);
    }

    @Test
    void submissionsBeyondTheQueueLimitFailFastForThatKeyOnly() throws Exception {
        FairShareExecutor<String> x = executor(1, 1.0, 3);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch gateRunning = new CountDownLatch(1);
        x.execute("a", () -> {
            gateRunning.countDown();
            awaitQuietly(gate);
        });
        await(gateRunning);
        CountDownLatch ran = new CountDownLatch(4);
        for (int i = 0; i < 3; i++) {
            x.execute("a", ran::countDown); // the running task does not count against the limit
        }
        assertThatThrownBy(() -> x.execute("a", ran::countDown))
                .isInstanceOf(FairShareExecutor.QueueFullException.class)
                .isInstanceOf(RejectedExecutionException.class)
                .satisfies(e -> assertThat(((FairShareExecutor.QueueFullException) e).key()).isEqualTo("a"));
        x.execute("b", ran::countDown); // another key is unaffected
        gate.countDown();
        await(ran);
        CountDownLatch after = new CountDownLatch(1);
        x.execute("a", after::countDown); // room again once the queue drained
        await(after);
        assertThat(ran.getCount()).isZero();
    }

    @Test
    void shutdownRefusesNewTasksAndLetsQueuedOnesFinish() throws Exception {
        FairShareExecutor<String> x = executor(2, 0.5, 100);
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            x.execute("k" + (i % 5), () -> {
                awaitQuietly(gate);
                ran.incrementAndGet();
            });
        }
        x.shutdown();
        assertThat(x.isShutdown()).isTrue();
        assertThatThrownBy(() -> x.execute("k0", () -> { }))
                .isInstanceOf(RejectedExecutionException.class)
                .isNotInstanceOf(FairShareExecutor.QueueFullException.class);
        assertThat(x.isTerminated()).isFalse();
        gate.countDown();
        assertThat(x.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasValue(50);
        assertThat(x.activeKeys()).isZero();
    }

    @Test
    void shutdownNowDropsQueuedTasksAndInterruptsRunningOnes() throws Exception {
        FairShareExecutor<String> x = executor(2, 1.0, 100);
        CountDownLatch running = new CountDownLatch(2);
        AtomicInteger interrupted = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            x.execute("k", () -> {
                running.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                }
            });
        }
        await(running);
        List<Runnable> dropped = x.shutdownNow();
        assertThat(dropped).hasSize(8);
        assertThat(x.awaitTermination(GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted).hasValue(2);
        assertThat(x.activeKeys()).isZero();
    }

    @Test
    void idleKeysAreForgotten() throws Exception {
        // one worker: it finishes the bookkeeping of every earlier task before it takes the probe
        FairShareExecutor<String> x = executor(1, 1.0, 100);
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            x.execute("tenant-" + i, done::countDown);
        }
        await(done);
        AtomicInteger seenByProbe = new AtomicInteger(-1);
        CountDownLatch probed = new CountDownLatch(1);
        x.execute("probe", () -> {
            seenByProbe.set(x.activeKeys());
            probed.countDown();
        });
        await(probed);
        assertThat(seenByProbe).hasValue(1); // the probe's own key only
        assertThat(x.queued("tenant-1")).isZero();
    }

    @Test
    void aThrowingTaskDoesNotKillItsWorker() throws Exception {
        AtomicInteger reported = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> reported.incrementAndGet());
            return t;
        };
        FairShareExecutor<String> x = new FairShareExecutor<>(1, 1.0, 10, factory);
        executors.add(x);
        x.execute("k", () -> {
            throw new IllegalStateException("boom");
        });
        CountDownLatch next = new CountDownLatch(1);
        x.execute("k", next::countDown);
        await(next);
        assertThat(reported).hasValue(1);
    }

    @Test
    void capIsTheCeilingOfTheShareLeavingAWorkerToOthersBelowAShareOfOne() {
        assertThat(FairShareExecutor.capFor(0.75, 4)).isEqualTo(3);
        assertThat(FairShareExecutor.capFor(0.75, 8)).isEqualTo(6);
        assertThat(FairShareExecutor.capFor(0.75, 64)).isEqualTo(48);
        assertThat(FairShareExecutor.capFor(0.7, 10)).isEqualTo(7);
        assertThat(FairShareExecutor.capFor(0.75, 2)).isEqualTo(1);
        assertThat(FairShareExecutor.capFor(0.99, 3)).isEqualTo(2);
        assertThat(FairShareExecutor.capFor(0.75, 1)).isEqualTo(1);
        assertThat(FairShareExecutor.capFor(0.01, 64)).isEqualTo(1);
        assertThat(FairShareExecutor.capFor(1.0, 8)).isEqualTo(8);
        for (double bad : new double[] {0, -0.5, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> FairShareExecutor.capFor(bad, 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("share");
        }
        assertThatThrownBy(() -> new FairShareExecutor<String>(4, 0.75, 0, Thread::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue limit");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
