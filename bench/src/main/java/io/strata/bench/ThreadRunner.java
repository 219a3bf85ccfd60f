package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Drives synchronous client threads, as YCSB does: each of {@code threads} threads prepares an operation,
 * executes it and waits for its answer, then starts the next. Operations are numbered across threads (one
 * shared sequence), so an operation limit is exact. Latency is measured around the call only (binding is
 * done before). The statistics are those of {@link LoadRunner}.
 *
 * <p>Not thread-safe: run one phase at a time.
 */
final class ThreadRunner {
    /** An operation's work, run on a client thread; a throw is a failed operation. */
    @FunctionalInterface
    interface Call {
        LoadRunner.Outcome call() throws Exception;
    }

    record Prepared(LoadRunner.Kind kind, Call call) {
        Prepared {
            requireNonNull(kind, "kind is null");
            requireNonNull(call, "call is null");
        }
    }

    /** One thread's operations (called by that thread only). */
    @FunctionalInterface
    interface Operation {
        Prepared prepare(long sequence);
    }

    private final int threads;
    private final LongSupplier nanoTime;

    ThreadRunner(int threads, LongSupplier nanoTime) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + threads);
        }
        this.threads = threads;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** @param perThread the operation of thread {@code i} (0-based); called once per thread per phase */
    LoadRunner.PhaseResult run(IntFunction<Operation> perThread, LoadRunner.Limit limit) throws InterruptedException {
        requireNonNull(perThread, "perThread is null");
        requireNonNull(limit, "limit is null");
        Map<LoadRunner.Kind, LoadRunner.KindStats> stats = new EnumMap<>(LoadRunner.Kind.class);
        for (LoadRunner.Kind kind : LoadRunner.Kind.values()) {
            stats.put(kind, new LoadRunner.KindStats());
        }
        ConcurrentMap<String, LongAdder> errorCounts = new ConcurrentHashMap<>();
        ConcurrentMap<String, String> errorSamples = new ConcurrentHashMap<>();
        AtomicLong sequences = new AtomicLong();
        long durationNanos = limit.duration().toNanos();
        List<Thread> workers = new ArrayList<>();
        long start = nanoTime.getAsLong();
        for (int t = 0; t < threads; t++) {
            Operation operation = perThread.apply(t);
            Thread worker = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    if (durationNanos > 0 && nanoTime.getAsLong() - start >= durationNanos) {
                        return;
                    }
                    long sequence = sequences.getAndIncrement();
                    if (limit.operations() > 0 && sequence >= limit.operations()) {
                        return;
                    }
                    Prepared prepared;
                    LoadRunner.KindStats kindStats;
                    long begin = 0;
                    try {
                        prepared = operation.prepare(sequence);
                    } catch (RuntimeException e) {
                        // a generator bug: count it, do not spin on it
                        LoadRunner.countError(e, errorCounts, errorSamples);
                        return;
                    }
                    kindStats = stats.get(prepared.kind());
                    try {
                        begin = nanoTime.getAsLong();
                        LoadRunner.Outcome outcome = prepared.call().call();
                        kindStats.latencyNanos.record(Math.max(0, nanoTime.getAsLong() - begin));
                        if (outcome == LoadRunner.Outcome.MISSING) {
                            kindStats.missing.increment();
                        } else if (outcome == LoadRunner.Outcome.MISMATCH) {
                            kindStats.mismatches.increment();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        kindStats.errors.increment();
                        LoadRunner.countError(e, errorCounts, errorSamples);
                    }
                }
            }, "ycsb-client-" + t);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
        try {
            for (Thread worker : workers) {
                worker.join();
            }
        } catch (InterruptedException e) {
            workers.forEach(Thread::interrupt);
            throw e;
        }
        long elapsed = nanoTime.getAsLong() - start;
        Map<String, Long> counts = new TreeMap<>();
        errorCounts.forEach((type, count) -> counts.put(type, count.sum()));
        return new LoadRunner.PhaseResult(elapsed, stats, threads, counts, new TreeMap<>(errorSamples));
    }
}
