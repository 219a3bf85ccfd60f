package io.strata.storage.engine.compaction;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.runtime.EngineThreads;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.segment.SegmentStore;
import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.spi.ExpiryListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs size-tiered compactions ({@link Compaction}) on the engine's one compaction thread, shared by every
 * table of every tenant (bounded work, no per-table threads); a table is queued at most once. The output
 * segments (one per token cell) are uploaded, then the manifest swap replaces the inputs atomically. The inputs stay open a minute
 * for readers still holding them, and their blobs stay for the retention window (point-in-time recovery);
 * garbage collection deletes them after it.
 *
 * <p><b>Debt.</b> Writers can outrun the one compaction thread (on two cores a sustained overwrite load left 261
 * segments for 32 cells, and a table held 1.7 times its live bytes). So the compactor keeps the worst table's debt
 * ({@link Compaction#debt}: bytes beyond the largest segment of each cell group, against those largest ones), and
 * {@link #behind} tells the commit path to hold acknowledgements briefly while it exceeds {@link #DEBT_LIMIT} and
 * compaction has work queued: writes then go at the pace compaction keeps up with, instead of the disk filling
 * with copies. Tables under {@link #DEBT_FLOOR_BYTES} of debt never hold anyone (small tables compact in
 * milliseconds). Thread-safe.
 */
public final class Compactor {
    private static final Logger LOG = Logger.getLogger(Compactor.class);

    private final Tables tables;
    private final SegmentStore segments;
    private final ManifestStore manifests;
    private final LongSupplier segmentIds;
    private final WriteAmplification written;
    private final int defaultGcGraceSeconds;
    private final Clock clock;
    private final EngineThreads threads;
    private final Supplier<ExpiryListener> expiry;
    private volatile Runnable compacted = () -> { };
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    /** The worst table's debt beyond the limit, in bytes (0: none): see {@link #behind}. */
    private volatile long debtBeyondLimit;
    /** Bytes of every table's segments, as of the last flush or compaction. */
    private volatile long segmentBytes;
    private final Object progress = new Object();
    private final java.util.concurrent.atomic.AtomicLong heldBatches = new java.util.concurrent.atomic.AtomicLong();

    /** Segment bytes beyond each cell group's largest, as a share of those largest, that hold writers back. */
    public static final double DEBT_LIMIT = 0.2;
    /** Debt below this many bytes never holds writers back. */
    public static final long DEBT_FLOOR_BYTES = 32L << 20;
    /** {@link #DEBT_FLOOR_BYTES}, lowered by tests to drive the throttle with small tables. */
    private volatile long debtFloorBytes = DEBT_FLOOR_BYTES;

    public Compactor(Tables tables, SegmentStore segments, ManifestStore manifests, LongSupplier segmentIds,
            WriteAmplification written, int defaultGcGraceSeconds, Clock clock, EngineThreads threads,
            Supplier<ExpiryListener> expiry) {
        this.tables = requireNonNull(tables, "tables is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.segmentIds = requireNonNull(segmentIds, "segmentIds is null");
        this.written = requireNonNull(written, "written is null");
        this.defaultGcGraceSeconds = defaultGcGraceSeconds;
        this.clock = requireNonNull(clock, "clock is null");
        this.threads = requireNonNull(threads, "threads is null");
        this.expiry = requireNonNull(expiry, "expiry is null");
    }

    /**
     * Whether compaction lags far enough behind the writes for writers to wait: some table's debt is over
     * {@link #DEBT_LIMIT} (and {@link #DEBT_FLOOR_BYTES}) while a compaction is queued or running.
     */
    public boolean behind() {
        return debtBeyondLimit > 0 && !queued.isEmpty() && !stopped;
    }

    /** The table's debt as {@link Compaction#debt} counts it: {bytes beyond each group's largest, those largest}. */
    public long[] debt(Table t) {
        return Compaction.debt(t.segments(), segments.grid());
    }

    /** Sets the debt below which writers are never held (tests: the default needs tables of hundreds of MB). */
    public void debtFloorBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative debt floor " + bytes);
        }
        debtFloorBytes = bytes;
        recountDebt();
    }

    /** Bytes of every table's segments, as counted after the last flush or compaction. */
    public long segmentBytes() {
        return segmentBytes;
    }

    /** Waits up to {@code millis} for the next compaction to finish (or the debt to be recounted). */
    private void awaitProgress(long millis) throws InterruptedException {
        synchronized (progress) {
            if (behind()) {
                progress.wait(millis);
            }
        }
    }

    /**
     * Holds the calling writer while compaction is {@link #behind}, at most {@code maxNanos}: writes slow to the pace
     * compaction keeps, but never stop, even if compaction cannot catch up.
     */
    public void holdWhileBehind(long maxNanos) throws InterruptedException {
        if (!behind()) {
            return;
        }
        heldBatches.incrementAndGet();
        long until = System.nanoTime() + maxNanos;
        while (behind() && System.nanoTime() < until) {
            awaitProgress(20);
        }
    }

    /** How many times {@link #holdWhileBehind} held a writer (a batch of writes). */
    public long heldBatches() {
        return heldBatches.get();
    }

    /** Recounts the worst table's debt; called after every flush and compaction. */
    private void recountDebt() {
        long worst = 0;
        long all = 0;
        for (Table t : tables.all()) {
            long[] d = Compaction.debt(t.segments(), segments.grid());
            all += d[0] + d[1];
            long over = d[0] - (long) (d[1] * DEBT_LIMIT);
            if (d[0] >= debtFloorBytes && over > worst) {
                worst = over;
            }
        }
        debtBeyondLimit = worst;
        segmentBytes = all;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Queues a compaction of each table whose segments have a bucket worth merging. */
    public void schedule(Collection<Table> candidates) {
        try {
            queue(candidates);
        } finally {
            recountDebt();
        }
    }

    private void queue(Collection<Table> candidates) {
        for (Table t : candidates) {
            if (!stopped && !Compaction.choose(t.segments(), segments.grid()).isEmpty() && queued.add(t.id().id())) {
                threads.compactor().execute(() -> {
                    boolean done = false;
                    try {
                        compact(t);
                        done = true;
                    } catch (RuntimeException | IOException e) {
                        LOG.warnf(e, "compaction of %s failed; its segments are unchanged", t.id());
                    } finally {
                        queued.remove(t.id().id());
                    }
                    if (done) {
                        schedule(List.of(t)); // flushes that came meanwhile may have left more to merge
                    } else {
                        recountDebt(); // nothing queued for it now: nobody waits on a compaction that failed
                    }
                });
            }
        }
    }

    /** Runs after each committed compaction (the engine collects the inputs once their grace is over). */
    public void onCompacted(Runnable r) {
        this.compacted = requireNonNull(r, "r is null");
    }

    /** Queues nothing more (the engine is closing); nobody waits for compaction any more. */
    public void stop() {
        stopped = true;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Merges one bucket of similar segments of the table into one. */
    void compact(Table t) throws IOException {
        compact(t, Compaction.choose(t.segments(), segments.grid()));
    }

    /**
     * Merges every segment of the table into one now (a major compaction: what an operator asks for, as Cassandra's
     * {@code nodetool compact}); on the caller's thread, which must be the compaction thread.
     */
    public void compactFully(Table t) throws IOException {
        List<Segment> all = t.segments();
        if (all.size() > 1) {
            compact(t, all);
        }
    }

    private void compact(Table t, List<Segment> inputs) throws IOException {
        if (inputs.isEmpty() || !tables.isLive(t)) {
            return;
        }
        // major: no segment outside the inputs can hold an older copy a purged tombstone shadows
        boolean major = t.segments().stream().filter(s -> !inputs.contains(s)).noneMatch(s -> Compaction.overlaps(s, inputs));
        Integer tableGrace = t.gcGraceSeconds();
        int gcBefore = (int) (clock.millis() / 1000) - (tableGrace != null ? tableGrace : defaultGcGraceSeconds);
        long inputBytes = inputs.stream().mapToLong(Segment::fileSize).sum();
        // only a major compaction purges expired data (see Compaction)
        ExpiryListener.Purge purge = major ? expiry.get().purging(t.id()) : ExpiryListener.Purge.NONE;
        SegmentStore.Run run = segments.writeRun(t.id(), Compaction.merge(inputs, major, gcBefore, purge),
                segments.grid().bits(t.segments()), segmentIds);
        long bytes = run.bytes();
        synchronized (t) {
            if (!tables.isLive(t)) {
                run.close();
                return;
            }
            List<Long> ids = new ArrayList<>(run.ids());
            for (long id : t.manifest().segments()) {
                if (inputs.stream().noneMatch(s -> s.id() == id)) {
                    ids.add(id);
                }
            }
            try {
                t.commit(manifests, t.manifest().next(manifests.epoch(), clock.millis(), ids, t.manifest().flushedLog()));
            } catch (RuntimeException e) {
                run.close();
                throw e;
            }
            t.compacted(inputs, run.segments());
        }
        try {
            purge.committed();
        } catch (RuntimeException e) {
            LOG.warnf(e, "could not count the TTL deletes of a compaction of %s", t.id());
        }
        written.compacted(bytes);
        threads.closeLater(inputs);
        compacted.run();
        LOG.infof("Compacted %d segments of %s into %d (%d -> %d bytes%s); write amplification so far %.2f", inputs.size(),
                t.id(), run.segments().size(), inputBytes, bytes, major ? ", major: tombstones past gc_grace purged" : "",
                written.ratio());
    }
}
