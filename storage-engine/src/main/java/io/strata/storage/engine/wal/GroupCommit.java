package io.strata.storage.engine.wal;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Group commit: one commit thread drains every queued record, appends them to the {@link CommitLog} as
 * one chunk, forces it once, hands the updates to the {@link Listener} (the memtables) and only then
 * completes their stages, so an acknowledged write is durable and visible to every later read. Over a store of
 * independent chunk objects (S3) several chunks are in flight at once ({@code LogStore.maxAppendsInFlight}),
 * acknowledged strictly in log order. Log rolls run on the same thread between two batches, after every chunk
 * in flight completed, so a roll is an exact record boundary.
 *
 * <p>Thread-safe: any thread may submit; stages complete on the commit thread.
 */
public final class GroupCommit {
    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 4096;

    /** What the commit thread drives; every method runs on the commit thread. */
    public interface Listener {
        /** Applies the updates of one durable record, before its writer is acknowledged. */
        void apply(List<PartitionUpdate> updates);

        /** After a batch was acknowledged; may block to slow writers down (their next batch waits). */
        void acknowledged() throws InterruptedException;

        /** Right after a roll closed {@code closedLog}: nothing appended later is in it. */
        void rolled(long closedLog);

        /** After each drained batch; {@code roll} rolls the log now (calling {@link #rolled}) and returns the closed log. */
        void drained(LongSupplier roll);
    }

    private sealed interface Pending permits Write, Roll, Stop {}

    private record Write(byte[] record, List<PartitionUpdate> updates, CompletableFuture<Void> done) implements Pending {}

    private record Roll(CompletableFuture<Long> done) implements Pending {}

    private record Stop() implements Pending {}

    private final CommitLog log;
    private final Listener listener;
    private final java.time.Clock clock;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    public GroupCommit(CommitLog log, Listener listener, java.time.Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.thread = new Thread(this::run, "strata-commit");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Queues the updates as one record (encoded on the caller's thread); the stage completes once durable. */
    public CompletableFuture<Void> submit(List<PartitionUpdate> updates) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Write(log.encode(updates), updates, done));
        return done;
    }

    /** Rolls the log after everything queued before; completes with the number of the closed log. */
    public CompletableFuture<Long> roll() {
        CompletableFuture<Long> rolled = new CompletableFuture<>();
        queue.add(new Roll(rolled));
        return rolled;
    }

    /** The number of the log being appended. */
    public long currentLog() {
        return log.number();
    }

    /** Bytes appended to the current log. */
    public long currentLogBytes() {
        return log.size();
    }

    /** Commits everything queued, stops the thread and forces the log. */
    public void stop() {
        queue.add(new Stop());
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }

    /** A crash: stops the thread at once and drops whatever was appended but not forced. */
    public void crash() {
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.closeWithoutForce();
    }

    /** A chunk issued to the store and the writes it holds, acknowledged once it (and every earlier one) is durable. */
    private record InFlight(CompletableFuture<Void> durable, List<Write> writes) {}

    private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.clear();
                // with chunks in flight, new writes go out at once (pipelined); when none came, finish the oldest
                Pending first = inFlight.isEmpty() ? queue.take() : queue.poll();
                if (first == null) {
                    completeOldest();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH);
                List<Write> writes = new ArrayList<>();
                for (Pending p : batch) {
                    if (p instanceof Write w) {
                        writes.add(w);
                    } else {
                        issue(writes);
                        writes = new ArrayList<>();
                        if (p instanceof Roll r) {
                            r.done().complete(rollNow());
                        } else {
                            completeAll();
                            return;
                        }
                    }
                }
                issue(writes);
                listener.drained(this::rollNow);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.error("commit thread failure", t);
                for (Pending p : batch) {
                    if (p instanceof Write w) {
                        w.done().completeExceptionally(new StorageException("commit log write failed: " + t, t));
                    } else if (p instanceof Roll r) {
                        r.done().completeExceptionally(t);
                    }
                }
            }
        }
    }

    /**
     * Issues the writes as one chunk. With a store that takes one append at a time this waits for it, as a plain
     * group commit does; a store of independent chunk objects (S3) lets several be in flight, so the next group
     * commit is issued while earlier ones are still being stored.
     */
    private void issue(List<Write> writes) throws InterruptedException {
        if (writes.isEmpty()) {
            return;
        }
        log.append(CommitLog.timeRecord(clock.millis())); // 20 bytes per group commit: restores cut at it
        for (Write w : writes) {
            log.append(w.record());
        }
        inFlight.add(new InFlight(log.forceAsync(), writes));
        while (inFlight.size() >= log.maxInFlight()) {
            completeOldest();
        }
    }

    /**
     * Waits for the oldest chunk; once durable its updates reach the memtables and its writers hear back, so
     * acknowledgements and memtable order follow the log's order. A failed chunk fails its writers and every later
     * one still in flight (their chunks may have landed: like any failed write, they may or may not persist).
     */
    private void completeOldest() throws InterruptedException {
        InFlight f = inFlight.poll();
        if (f == null) {
            return;
        }
        try {
            f.durable().get();
        } catch (java.util.concurrent.ExecutionException e) {
            List<Write> failed = new ArrayList<>(f.writes());
            inFlight.forEach(later -> failed.addAll(later.writes()));
            inFlight.clear();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.error("commit log append failed", cause);
            for (Write w : failed) {
                w.done().completeExceptionally(new StorageException("commit log write failed: " + cause, cause));
            }
            return;
        }
        for (Write w : f.writes()) {
            listener.apply(w.updates());
        }
        for (Write w : f.writes()) {
            w.done().complete(null);
        }
        listener.acknowledged();
    }

    private void completeAll() throws InterruptedException {
        while (!inFlight.isEmpty()) {
            completeOldest();
        }
    }

    private long rollNow() {
        try {
            completeAll(); // a rolled log is whole: everything in it durable and applied
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while rolling the commit log", e);
        }
        long closed = log.roll();
        listener.rolled(closed);
        return closed;
    }
}
