package io.strata.storage.engine.flush;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.compaction.Compactor;
import io.strata.storage.engine.compaction.WriteAmplification;
import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.memtable.Memtable;
import io.strata.storage.engine.runtime.EngineThreads;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.segment.SegmentStore;
import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.engine.wal.GroupCommit;
import io.strata.storage.engine.wal.RetiredLogs;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.StorageException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Memtables to segments. Driven by the commit thread ({@link GroupCommit.Listener}): durable updates go
 * into the memtables; once they exceed {@link FlushPolicy#flushThresholdBytes} the log is rolled and
 * every memtable frozen at that exact record boundary, and the flush thread writes each frozen memtable as
 * a segment (forced, uploaded), commits the table's manifest (segments and the last log it covers)
 * atomically, then retires the logs every table has flushed past and schedules compactions. Writers are
 * slowed, not failed, while memtables exceed {@link FlushPolicy#stallThresholdBytes} and a flush runs.
 * A failed flush puts the frozen partitions back (they are still in the commit log) and is retried later.
 * Thread-safe.
 */
public final class Flusher implements GroupCommit.Listener {
    private static final Logger LOG = Logger.getLogger(Flusher.class);
    /** Memtables smaller than this are never flushed for being large beside the segments (see {@link #flushAt}). */
    static final long MIN_FLUSH_BYTES = 4L << 20;

    /** The longest one batch's acknowledgements wait for compaction to catch up. */
    private static final long MAX_DEBT_WAIT_NANOS = 200_000_000L;

    private final Tables tables;
    private final SegmentStore segments;
    private final ManifestStore manifests;
    private final RetiredLogs retired;
    private final Compactor compactor;
    private final WriteAmplification written;
    private final LongSupplier segmentIds;
    private final FlushPolicy policy;
    private final Clock clock;
    private final EngineThreads threads;
    private final FlushGate gate = new FlushGate();
    /** Tables with records in the log being appended, with their bytes (commit thread only). */
    private Map<UUID, Long> inCurrentLog = new HashMap<>();
    /** The same for each closed, not yet retired log: decides whether the log is kept for PITR, and whose it is. */
    private final Map<Long, Map<UUID, Long>> logTables = new ConcurrentHashMap<>();

    public Flusher(Tables tables, SegmentStore segments, ManifestStore manifests, RetiredLogs retired, Compactor compactor,
            WriteAmplification written, LongSupplier segmentIds, FlushPolicy policy, Clock clock, EngineThreads threads) {
        this.tables = requireNonNull(tables, "tables is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.retired = requireNonNull(retired, "retired is null");
        this.compactor = requireNonNull(compactor, "compactor is null");
        this.written = requireNonNull(written, "written is null");
        this.segmentIds = requireNonNull(segmentIds, "segmentIds is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.threads = requireNonNull(threads, "threads is null");
    }

    /** What recovery found in the logs it replayed: which tables wrote into each. */
    public void recoveredLogTables(Map<Long, Map<UUID, Long>> found) {
        logTables.putAll(found);
    }

    /** Memtables flush at this fraction of the bytes already in segments when that is below the threshold. */
    static final int SEGMENT_SHARE = 16;

    /**
     * Memtables are flushed at the policy's threshold, or at a sixteenth of the bytes already in segments if that is
     * less (at least {@link #MIN_FLUSH_BYTES}). Until a flush, the commit logs on every zone hold what the memtables
     * do: with a fixed 64 MiB threshold they were up to 0.27 times a 295 MB table, the largest part of what a table
     * without history keeps beyond its live data. An eighth left 49 MB of logs beside a 295 MB table; a sixteenth
     * left 22 MB at no cost in write throughput (more, smaller flushes; compaction merges them by cell anyway).
     * Tables past 16 times the threshold (1 GiB at the largest threshold) flush at the threshold as before.
     */
    long flushAt() {
        long share = Math.max(MIN_FLUSH_BYTES, compactor.segmentBytes() / SEGMENT_SHARE);
        return Math.min(policy.flushThresholdBytes(), share);
    }

    /** Held while a flush runs; garbage collection takes it too. */
    public FlushGate gate() {
        return gate;
    }

    // ---- on the commit thread ---------------------------------------------------------------------------

    @Override
    public void apply(List<PartitionUpdate> updates) {
        for (PartitionUpdate u : updates) {
            inCurrentLog.merge(u.table().id(), tables.apply(u), Long::sum);
        }
    }

    @Override
    public void acknowledged() throws InterruptedException {
        // Slow writers while a flush lags: acknowledgements of the next batch wait here.
        while (tables.memtableBytes() > policy.stallThresholdBytes() && gate.busy()) {
            gate.awaitRelease(100);
        }
        // And while compaction lags (Compactor#behind), for a bounded time per batch: writes slow to the pace
        // compaction keeps, but never stop, even if compaction cannot catch up.
        compactor.holdWhileBehind(MAX_DEBT_WAIT_NANOS);
    }

    @Override
    public void rolled(long closedLog) {
        tables.freezeAll();
        logTables.put(closedLog, inCurrentLog);
        inCurrentLog = new HashMap<>();
    }

    /**
     * Whether a flushed log may hold point-in-time history: when a table with PITR wrote into it (or nobody knows
     * who did); null to recycle it at once without reading it.
     */
    private Map<UUID, Long> keepLog(long n) {
        if (!policy.retainLogs()) {
            return null;
        }
        Map<UUID, Long> writers = logTables.remove(n);
        if (writers == null) {
            return Map.of();
        }
        return writers.keySet().stream().anyMatch(tables::keepsHistory) ? writers : null;
    }

    @Override
    public void drained(LongSupplier roll) {
        if (tables.memtableBytes() >= flushAt() && gate.tryAcquire()) {
            long rolled;
            try {
                rolled = roll.getAsLong();
            } catch (RuntimeException e) {
                gate.release();
                throw e;
            }
            threads.flusher().execute(() -> flushFrozen(rolled));
        }
    }

    // ---- forced flushes ---------------------------------------------------------------------------------

    /**
     * Flushes every memtable now: waits for a running flush, rolls the log through {@code commits} and
     * flushes what the roll froze. Fails when this engine was fenced (nothing was flushed then).
     */
    public CompletableFuture<Void> flushAll(GroupCommit commits) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        threads.flushControl().execute(() -> {
            try {
                gate.acquire();
                flushFrozen(commits.roll().get(60, TimeUnit.SECONDS));
                if (manifests.fenced()) {
                    throw new StorageException("fenced by a newer writer; memtables were not flushed");
                }
                result.complete(null);
            } catch (Exception e) {
                gate.release();
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---- on the flush thread ----------------------------------------------------------------------------

    /** Writes frozen memtables to segments and commits manifests covering logs up to {@code rolledLog}. */
    private void flushFrozen(long rolledLog) {
        try {
            for (Table t : tables.all()) {
                Memtable frozen = t.flushing();
                if (frozen != null) {
                    flush(t, frozen, rolledLog);
                }
            }
            // Every table either flushed through rolledLog or had nothing in those logs.
            boolean allFlushed = true;
            for (Table t : tables.all()) {
                if (t.manifest().flushedLog() < rolledLog && t.flushing() == null) {
                    synchronized (t) {
                        t.commit(manifests, t.manifest().next(manifests.epoch(), clock.millis(), t.manifest().segments(), rolledLog));
                    }
                } else if (t.flushing() != null) {
                    allFlushed = false;
                }
            }
            if (allFlushed) {
                retired.retireThrough(rolledLog, clock.millis(), this::keepLog, tables::keepsHistory, segments.keys());
            }
            tables.recountMemtableBytes();
            LOG.debugf("flushed memtables up to commit log %d", rolledLog);
            compactor.schedule(tables.all());
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // an out-of-memory flush too: left frozen, the table would refuse every later log roll, wedging writes
            LOG.error("flush failed; data stays in the commit log and will be retried", e);
            for (Table t : tables.all()) {
                t.unfreeze();
            }
        } finally {
            gate.release();
        }
    }

    private void flush(Table t, Memtable frozen, long rolledLog) throws IOException {
        synchronized (t) {
            if (t.flushing() != frozen) {
                return;
            }
            // one segment per token cell, so compactions later rewrite cells, not the table
            SegmentStore.Run run = segments.writeRun(t.id(), frozen.partitions().iterator(),
                    segments.grid().bits(t.segments()), segmentIds);
            written.flushed(run.bytes());
            List<Long> ids = new ArrayList<>(t.manifest().segments());
            ids.addAll(run.ids());
            try {
                t.commit(manifests, t.manifest().next(manifests.epoch(), clock.millis(), ids, rolledLog));
            } catch (RuntimeException e) {
                run.close();
                throw e;
            }
            t.flushed(run.segments());
        }
    }
}
