package io.strata.storage.engine.runtime;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Every pool an engine runs on (daemon threads, named {@code strata-<role>-<n>}), so that open, close and a
 * simulated crash start and stop them in one place. Bounded on purpose: one compaction thread serves every
 * table of every tenant (garbage collection runs there too), one flush thread, one metadata thread. Reads and
 * conditional writes run on {@link FairShareExecutor}s keyed by tenant, so that one tenant's backlog neither
 * occupies every thread nor delays another tenant's next task.
 * Thread-safe.
 */
public final class EngineThreads {
    private static final Logger LOG = Logger.getLogger(EngineThreads.class);
    /** How long segments replaced in a table stay open for readers still holding them in a view. */
    private static final long CLOSE_DELAY_SECONDS = 60;

    /** Lightweight transactions hold at most this many threads (each blocks until its write is durable). */
    private static final int CONDITIONAL_THREADS = 8;

    private final FairShareExecutor<String> reads;
    private final ExecutorService flusher;
    private final ExecutorService metadata;
    private final ExecutorService flushControl;
    private final ExecutorService compactor;
    /** Conditional writes wait for their durable write while holding a partition stripe: own pool, not the read pool. */
    private final FairShareExecutor<String> conditional;
    private final ExecutorService downloads;
    private final ScheduledExecutorService janitor;

    /**
     * @param readThreads threads serving reads
     * @param tenantThreadShare share of the read and of the conditional-write threads one tenant may occupy
     * @param tenantQueueLimit reads (and, separately, conditional writes) one tenant may have waiting
     */
    public EngineThreads(int readThreads, double tenantThreadShare, int tenantQueueLimit) {
        this.reads = new FairShareExecutor<>(readThreads, tenantThreadShare, tenantQueueLimit, named("strata-read"));
        this.flusher = Executors.newSingleThreadExecutor(named("strata-flush"));
        this.metadata = Executors.newSingleThreadExecutor(named("strata-meta"));
        this.flushControl = Executors.newSingleThreadExecutor(named("strata-flush-control"));
        this.compactor = Executors.newSingleThreadExecutor(named("strata-compaction"));
        this.conditional = new FairShareExecutor<>(CONDITIONAL_THREADS, tenantThreadShare, tenantQueueLimit,
                named("strata-lwt"));
        this.janitor = Executors.newSingleThreadScheduledExecutor(named("strata-janitor"));
        this.downloads = Executors.newFixedThreadPool(2, named("strata-fetch"));
    }

    private static ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Reads, keyed by tenant (a read blocks its thread on block fetches). */
    public FairShareExecutor<String> reads() {
        return reads;
    }

    /** Writes frozen memtables to segments. */
    public ExecutorService flusher() {
        return flusher;
    }

    /** Table creation, drops and truncation, catalog commits. */
    public ExecutorService metadata() {
        return metadata;
    }

    /** Forced flushes (waiting for a running flush, then rolling). */
    public ExecutorService flushControl() {
        return flushControl;
    }

    /** Compactions and garbage collection, one at a time. */
    public ExecutorService compactor() {
        return compactor;
    }

    /** Conditional writes, keyed by tenant. */
    public FairShareExecutor<String> conditional() {
        return conditional;
    }

    /** Background fetches of segments into the disk cache. */
    public ExecutorService downloads() {
        return downloads;
    }

    /** Runs {@code task} on the compaction thread every {@code intervalSeconds}. */
    public void onCompactionThreadEvery(long intervalSeconds, Runnable task) {
        janitor.scheduleWithFixedDelay(() -> compactor.execute(task), intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    /** Runs {@code task} once on the compaction thread, {@code delayMillis} from now (nothing once shutting down). */
    public void onCompactionThreadAfter(long delayMillis, Runnable task) {
        try {
            janitor.schedule(() -> compactor.execute(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the engine is closing: the next start collects
        }
    }

    /** Readers may still hold these in a view: close them a minute later (at once when shutting down). */
    public void closeLater(Collection<? extends AutoCloseable> resources) {
        List<AutoCloseable> copy = List.copyOf(resources);
        try {
            janitor.schedule(() -> closeAll(copy), CLOSE_DELAY_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            closeAll(copy);
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debugf(e, "closing %s failed", r);
            }
        }
    }

    /** Lets queued compactions finish (up to a minute) and accepts no new ones. */
    public void drainCompactions() {
        compactor.shutdown();
        try {
            compactor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clean close: running work may finish, background work stops. */
    public void shutdown() {
        downloads.shutdownNow();
        reads.shutdown();
        flusher.shutdown();
        flushControl.shutdown();
        compactor.shutdownNow();
        janitor.shutdownNow();
        conditional.shutdown();
        metadata.shutdown();
    }

    /** A crash, or a failed open: everything stops now. */
    public void shutdownNow() {
        reads.shutdownNow();
        conditional.shutdownNow();
        for (ExecutorService x : List.of(flusher, flushControl, compactor, janitor, metadata, downloads)) {
            x.shutdownNow();
        }
    }
}
