package io.strata.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Drives asynchronous operations with a bounded number in flight: one issuing thread acquires a permit
 * from a semaphore of {@code concurrency} permits before starting each operation, and the operation's
 * completion (on whatever thread completes it, e.g. a driver I/O thread) records its latency and returns
 * the permit. A phase ends after a number of operations or a duration, then waits for every operation in
 * flight. Latency is measured from just before the operation is started to its completion, so time spent
 * waiting for a permit (client-side queueing) is not counted.
 *
 * <p>Not thread-safe: run one phase at a time from one thread. The {@link Operation} is called only from
 * that thread; its completions may run anywhere.
 */
final class LoadRunner {
    /** The kind of an operation, each with its own statistics. */
    enum Kind {
        READ,
        WRITE,
        /** A YCSB update of an existing record (all fields or one). */
        UPDATE,
        /** A YCSB insert of a new record. */
        INSERT
    }

    /** What a completed operation found. */
    enum Outcome {
        /** A write was acknowledged. */
        WRITTEN,
        /** A read found the expected row. */
        FOUND,
        /** A read found no row (the key was never written). */
        MISSING,
        /** A read found a row with unexpected content. */
        MISMATCH
    }

    /** One started operation. */
    record Started(Kind kind, CompletionStage<Outcome> completion) {
        Started {
            requireNonNull(kind, "kind is null");
            requireNonNull(completion, "completion is null");
        }
    }

    /**
     * Starts operation number {@code sequence} (0, 1, 2, ... within a phase). Failures, including ones
     * detected before sending, must complete the returned stage exceptionally rather than throw.
     */
    @FunctionalInterface
    interface Operation {
        Started start(long sequence);
    }

    /** When a phase stops: after {@code operations} (if positive) or after {@code duration} (if positive). */
    record Limit(long operations, Duration duration) {
        Limit {
            requireNonNull(duration, "duration is null");
            if ((operations > 0) == (duration.compareTo(Duration.ZERO) > 0)) {
                throw new IllegalArgumentException("give exactly one of operations and duration");
            }
        }

        static Limit operations(long operations) {
            return new Limit(operations, Duration.ZERO);
        }

        static Limit duration(Duration duration) {
            return new Limit(0, duration);
        }
    }

    /** Statistics of one kind of operation in a phase. Read them after the phase has ended. */
    static final class KindStats {
        final LatencyHistogram latencyNanos = new LatencyHistogram();
        final LongAdder errors = new LongAdder();
        final LongAdder missing = new LongAdder();
        final LongAdder mismatches = new LongAdder();

        long succeeded() {
            return latencyNanos.count();
        }

        long completed() {
            return succeeded() + errors.sum();
        }
    }

    /**
     * The result of a phase.
     *
     * @param elapsedNanos from the first start to the last completion
     * @param maxInFlight the most operations observed in flight at once
     * @param errorCounts errors by exception type, with the first message seen
     */
    record PhaseResult(long elapsedNanos, Map<Kind, KindStats> stats, int maxInFlight, Map<String, Long> errorCounts,
            Map<String, String> errorSamples) {

        long succeeded() {
            return stats.values().stream().mapToLong(KindStats::succeeded).sum();
        }

        long errors() {
            return stats.values().stream().mapToLong(s -> s.errors.sum()).sum();
        }

        double opsPerSecond() {
            return elapsedNanos == 0 ? 0 : succeeded() * 1e9 / elapsedNanos;
        }
    }

    private final int concurrency;
    private final LongSupplier nanoTime;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests) */
    LoadRunner(int concurrency, LongSupplier nanoTime) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be positive: " + concurrency);
        }
        this.concurrency = concurrency;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    PhaseResult run(Operation operation, Limit limit) throws InterruptedException {
        requireNonNull(operation, "operation is null");
        requireNonNull(limit, "limit is null");
        Map<Kind, KindStats> stats = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            stats.put(kind, new KindStats());
        }
        ConcurrentMap<String, LongAdder> errorCounts = new ConcurrentHashMap<>();
        ConcurrentMap<String, String> errorSamples = new ConcurrentHashMap<>();
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        long durationNanos = limit.duration().toNanos();
        long start = nanoTime.getAsLong();

        for (long sequence = 0; limit.operations() <= 0 || sequence < limit.operations(); sequence++) {
            if (durationNanos > 0 && nanoTime.getAsLong() - start >= durationNanos) {
                break;
            }
            permits.acquire();
            if (durationNanos > 0 && nanoTime.getAsLong() - start >= durationNanos) {
                permits.release();
                break;
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            long begin = nanoTime.getAsLong();
            // an Operation reports failures through its stage; a throw here is a bug and ends the run
            Started started = operation.start(sequence);
            KindStats kindStats = stats.get(started.kind());
            started.completion().whenComplete((outcome, error) -> {
                try {
                    if (error != null) {
                        kindStats.errors.increment();
                        countError(error, errorCounts, errorSamples);
                    } else {
                        kindStats.latencyNanos.record(Math.max(0, nanoTime.getAsLong() - begin));
                        if (outcome == Outcome.MISSING) {
                            kindStats.missing.increment();
                        } else if (outcome == Outcome.MISMATCH) {
                            kindStats.mismatches.increment();
                        }
                    }
                } finally {
                    inFlight.decrementAndGet();
                    permits.release();
                }
            });
        }
        permits.acquire(concurrency);
        long elapsed = nanoTime.getAsLong() - start;
        permits.release(concurrency);

        Map<String, Long> counts = new TreeMap<>();
        errorCounts.forEach((type, count) -> counts.put(type, count.sum()));
        return new PhaseResult(elapsed, stats, maxInFlight.get(), counts, new TreeMap<>(errorSamples));
    }

    static void countError(Throwable error, ConcurrentMap<String, LongAdder> counts,
            ConcurrentMap<String, String> samples) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String type = cause.getClass().getSimpleName();
        counts.computeIfAbsent(type, t -> new LongAdder()).increment();
        samples.putIfAbsent(type, String.valueOf(cause.getMessage()));
    }
}
