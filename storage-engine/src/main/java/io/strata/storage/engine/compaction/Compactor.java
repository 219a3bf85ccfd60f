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
 * garbage collection deletes them after it. Thread-safe.
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

    /** Queues a compaction of each table whose segments have a bucket worth merging. */
    public void schedule(Collection<Table> candidates) {
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
                    }
                });
            }
        }
    }

    /** Runs after each committed compaction (the engine collects the inputs once their grace is over). */
    public void onCompacted(Runnable r) {
        this.compacted = requireNonNull(r, "r is null");
    }

    /** Queues nothing more (the engine is closing). */
    public void stop() {
        stopped = true;
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
