package io.strata.storage.engine.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The overhead of {@link FairShareExecutor}'s single lock against the fixed {@code ThreadPoolExecutor} it replaced
 * for reads: each operation submits one trivial task from one of 4 submitting threads to a 4-worker pool; the
 * batch waits for all of its tasks. {@code keys} is how many tenants the tasks are spread over (the fixed pool
 * ignores it). The result is the time per task, queueing and hand-off included; a real read costs microseconds
 * (cached block) to milliseconds (S3 fetch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(4)
public class FairShareBenchmark {
    private static final int BATCH = 1000;
    private static final int WORKERS = 4;

    @Param({"fixed", "fair"})
    public String pool;

    @Param({"1", "64"})
    public int keys;

    private ExecutorService fixed;
    private FairShareExecutor<String> fair;
    private String[] names;

    @Setup(Level.Trial)
    public void setUp() {
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        };
        fixed = Executors.newFixedThreadPool(WORKERS, daemons);
        fair = new FairShareExecutor<>(WORKERS, FairShareExecutor.DEFAULT_SHARE, FairShareExecutor.DEFAULT_QUEUE_LIMIT,
                daemons);
        names = new String[keys];
        for (int i = 0; i < keys; i++) {
            names[i] = "tenant-" + i;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        fixed.shutdownNow();
        fair.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void submitAndRun() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        Runnable task = done::countDown;
        if (pool.equals("fixed")) {
            for (int i = 0; i < BATCH; i++) {
                fixed.execute(task);
            }
        } else {
            for (int i = 0; i < BATCH; i++) {
                fair.execute(names[i % names.length], task);
            }
        }
        done.await();
    }
}
