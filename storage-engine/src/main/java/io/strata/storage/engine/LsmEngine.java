package io.strata.storage.engine;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.catalog.BlobCatalog;
import io.strata.storage.engine.codec.ModelCodec;
import io.strata.storage.engine.compaction.Compactor;
import io.strata.storage.engine.compaction.WriteAmplification;
import io.strata.storage.engine.crypto.Envelope;
import io.strata.storage.engine.crypto.KeyRing;
import io.strata.storage.engine.flush.FlushPolicy;
import io.strata.storage.engine.flush.Flusher;
import io.strata.storage.engine.gc.GarbageCollector;
import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.manifest.Manifest;
import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.read.ConditionalWrites;
import io.strata.storage.engine.read.Reader;
import io.strata.storage.engine.recovery.Recovery;
import io.strata.storage.engine.restore.Restorer;
import io.strata.storage.engine.runtime.DirectoryLock;
import io.strata.storage.engine.runtime.EngineThreads;
import io.strata.storage.engine.runtime.FairShareExecutor;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.segment.SegmentStore;
import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.engine.wal.CommitLog;
import io.strata.storage.engine.wal.GroupCommit;
import io.strata.storage.spi.BackupInfo;
import io.strata.storage.spi.CatalogStore;
import io.strata.storage.spi.ConditionalResult;
import io.strata.storage.spi.EngineStats;
import io.strata.storage.spi.ExpiryListener;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.RestoreStatus;
import io.strata.storage.spi.StorageCapability;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.StorageOverloadedException;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.TableSettings;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The LSM storage engine over the backend SPI ({@link EngineStorage}: a commit log, a data store of
 * blobs, a local working directory). A facade: each concern lives in its own package.
 *
 * <ul>
 *   <li><b>Writes</b> ({@code wal}): {@link #apply} encodes the updates as one commit-log record; one commit
 *       thread appends every queued record as one chunk, forces it once (group commit), applies them to the
 *       memtables ({@code memtable}) and only then completes their stages: an acknowledged write is durable
 *       and visible to every later read.
 *   <li><b>Flushes</b> ({@code flush}): past {@link EngineOptions#flushThresholdBytes} the log is rolled and
 *       every memtable frozen at that point, written as an immutable segment ({@code segment}) and committed
 *       in the table's manifest ({@code manifest}); logs every table flushed past are retired. Writers are
 *       slowed, not failed, while memtables exceed the stall threshold and a flush runs.
 *   <li><b>Recovery and fencing</b> ({@code recovery}): {@link #open} claims a new writer epoch, loads each
 *       table's newest manifest and segments, commits a fencing manifest version per table (a previous
 *       writer's next manifest commit then loses and fences it), seals and replays the unflushed commit logs.
 *   <li><b>Compaction and retention</b> ({@code compaction}, {@code gc}): size-tiered merges on one shared
 *       thread; superseded manifests, segments and flushed logs stay for
 *       {@link EngineOptions#retentionSeconds} (point-in-time recovery), then garbage collection deletes them.
 * </ul>
 *
 * <p>Owns the stores of its {@link EngineStorage} once {@link #open} returned, and closes them. Thread-safe.
 * Stages of writes complete on the commit thread, reads on the read pool.
 */
public final class LsmEngine implements StorageEngine {
    private static final Logger LOG = Logger.getLogger(LsmEngine.class);

    private final EngineStorage storage;
    private final Clock clock;
    private final DirectoryLock lock;
    private final EngineThreads threads;
    private final SegmentStore segments;
    private final ManifestStore manifests;
    private final Tables tables;
    private final WriteAmplification written = new WriteAmplification();
    private final Compactor compactor;
    private final Flusher flusher;
    private final GroupCommit commits;
    private final GarbageCollector gc;
    private final ConditionalWrites conditional;
    private final BlobCatalog catalog;
    private final Restorer restorer;
    private volatile boolean closed;
    private volatile ExpiryListener expiry = ExpiryListener.NONE;

    private LsmEngine(EngineStorage storage, EngineOptions options, Clock clock, DirectoryLock lock, EngineThreads threads,
            SegmentStore segments, Recovery.Recovered recovered) {
        this.storage = storage;
        this.clock = clock;
        this.lock = lock;
        this.threads = threads;
        this.segments = segments;
        this.manifests = recovered.manifests();
        this.tables = recovered.tables();
        // Segment ids embed the epoch, so ids are never reused, even after garbage collection.
        AtomicLong segmentIds = new AtomicLong(manifests.epoch() << 32);
        this.compactor = new Compactor(tables, segments, manifests, segmentIds::getAndIncrement, written,
                options.gcGraceSeconds(), clock, threads, () -> expiry);
        // replaced inputs go once the reads holding them end, not at the next periodic pass: under sustained
        // overwrites what a table keeps on disk is its live data plus the merge in progress
        this.compactor.onCompacted(this::collectSoon);
        this.flusher = new Flusher(tables, segments, manifests, recovered.retired(), compactor, written,
                segmentIds::getAndIncrement, new FlushPolicy(options.flushThresholdBytes(), options.stallThresholdBytes(),
                options.retentionSeconds() > 0), clock, threads);
        this.commits = new GroupCommit(new CommitLog(storage.wal(), recovered.firstLog(), segments.keys()), flusher, clock);
        this.gc = new GarbageCollector(storage.data(), storage.wal(), tables, manifests, flusher.gate(),
                options.retentionSeconds(), clock, segments.keys());
        this.conditional = new ConditionalWrites(tables, threads.conditional(), this::apply);
        this.catalog = new BlobCatalog(storage.data(), threads.metadata(), segments.keys());
        this.restorer = new Restorer(storage.data(), storage.wal(), segments, manifests, tables, flusher.gate(),
                new Restorer.Host() {
                    @Override
                    public long currentLog() {
                        return commits.currentLog();
                    }

                    @Override
                    public long nextSegmentId() {
                        return segmentIds.getAndIncrement();
                    }

                    @Override
                    public void register(Table t) {
                        tables.put(t);
                        compactor.schedule(List.of(t));
                    }

                    @Override
                    public void flushAll() {
                        flusher.flushAll(commits).join();
                    }
                }, options.flushThresholdBytes(), options.retentionSeconds() * 1000, clock);
        recovered.restores().forEach(restorer::recovered);
        flusher.recoveredLogTables(recovered.logTables());
    }

    /**
     * Opens (recovering if needed) the engine over the backend SPI. When this returns, the engine owns the
     * stores and closes them on {@link #close}; when it throws, they stay the caller's to close.
     */
    public static LsmEngine open(EngineStorage storage, EngineOptions options, Clock clock) {
        requireNonNull(storage, "storage is null");
        requireNonNull(options, "options is null");
        requireNonNull(clock, "clock is null");
        DirectoryLock lock = null;
        EngineThreads threads = null;
        SegmentStore segments = null;
        try {
            PrivateFiles.createDirectories(storage.localDir());
            lock = DirectoryLock.acquire(storage.localDir());
            threads = new EngineThreads(options.readThreads(), options.tenantThreadShare(), options.tenantQueueLimit());
            KeyRing keys = storage.keys() == null ? KeyRing.disabled() : KeyRing.over(storage.data(), storage.keys());
            segments = new SegmentStore(storage.data(), storage.localDir(), storage.diskCacheBytes(),
                    options.blockCacheBytes(), threads.downloads(), keys,
                    new io.strata.storage.engine.segment.TokenGrid(options.cellTargetBytes()));
            Recovery.Recovered recovered = Recovery.run(storage.data(), storage.wal(), segments, clock);
            LsmEngine engine = new LsmEngine(storage, options, clock, lock, threads, segments, recovered);
            engine.commits.start();
            threads.onCompactionThreadEvery(options.gcIntervalSeconds(), engine::collectGarbageQuietly);
            return engine;
        } catch (IOException | RuntimeException e) {
            if (threads != null) {
                threads.shutdownNow();
            }
            if (segments != null) {
                segments.close();
            }
            if (lock != null) {
                lock.close();
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("cannot open storage in " + storage.localDir(), (IOException) e);
        }
    }

    // ---- data -------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> apply(List<PartitionUpdate> updates) {
        if (closed) {
            return CompletableFuture.failedFuture(new StorageException("storage is closed"));
        }
        if (manifests.fenced()) {
            return CompletableFuture.failedFuture(new StorageException(
                    "this process was fenced by a newer writer of the same storage; restart it"));
        }
        for (PartitionUpdate u : updates) {
            if (!tables.contains(u.table())) {
                return CompletableFuture.failedFuture(tables.missing(u.table()));
            }
        }
        try {
            return commits.submit(updates);
        } catch (KeyUnavailableException e) {
            return CompletableFuture.failedFuture(e); // a table's customer key: only writes to that table fail
        }
    }

    /** Blocks a read may touch in the caller's thread: bounds the work a cached wide partition puts there. */
    static final int INLINE_READ_BLOCKS = 8;

    @Override
    public CompletionStage<ReadResult> read(ReadQuery query) {
        Table t = tables.get(query.table());
        if (t == null) {
            return CompletableFuture.failedFuture(tables.missing(query.table()));
        }
        if (query.partitions() instanceof PartitionSelection.Single) {
            // A partition whose blocks are all cached is read in the caller's thread (the event loop): no I/O, and
            // two thread hops cost more than the read. Anything else, or a miss, goes to the read threads.
            try {
                ReadResult cached = Segment.withCachedBlocksOnly(INLINE_READ_BLOCKS, () -> Reader.read(t, query));
                if (cached != null) {
                    return CompletableFuture.completedFuture(cached);
                }
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        String tenant = query.table().tenant();
        try {
            return CompletableFuture.supplyAsync(() -> Reader.read(t, query), threads.reads().executor(tenant));
        } catch (FairShareExecutor.QueueFullException e) {
            return CompletableFuture.failedFuture(new StorageOverloadedException(
                    "tenant " + tenant + " has too many reads queued; retry later", e));
        }
    }

    @Override
    public CompletionStage<ConditionalResult> applyIf(ReadQuery query, Function<ReadResult, List<PartitionUpdate>> decide) {
        return conditional.applyIf(query, decide);
    }

    // ---- tables -----------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> createTable(TableId id) {
        return CompletableFuture.runAsync(() -> {
            if (tables.contains(id) || tables.isUnavailable(id)) {
                return; // an unavailable table exists: creating it afresh would hide its data
            }
            String root = StorageKeys.tableRoot(id);
            Blobs.join(storage.data().put(StorageKeys.tableIdentity(root),
                    Envelope.seal(segments.keys(), id.tenant(), ModelCodec.encodeTableId(id)), PutMode.OVERWRITE));
            long flushedLog = commits.currentLog() - 1;
            Table t = new Table(id, new Manifest(0, manifests.epoch(), clock.millis(), false, List.of(), flushedLog));
            t.commit(manifests, Manifest.first(manifests.epoch(), clock.millis(), flushedLog));
            tables.putIfAbsent(t);
        }, threads.metadata());
    }

    @Override
    public CompletionStage<Void> configureTable(TableId id, TableSettings settings) {
        Table t = tables.get(id);
        if (t == null) {
            return CompletableFuture.completedFuture(null);
        }
        t.gcGraceSeconds(settings.gcGraceSeconds());
        CompletableFuture<Void> pitr = CompletableFuture.completedFuture(null);
        if ((t.manifest().pitrSinceMillis() > 0) != settings.pointInTimeRecovery()) {
            // in the manifest, so garbage collection knows how long to keep this table's history, dropped or not
            pitr = CompletableFuture.runAsync(() -> {
                long since = 0;
                if (settings.pointInTimeRecovery()) {
                    // logs retired from here on are kept; what earlier logs held goes into segments by this flush,
                    // so the history is complete from this instant
                    t.historyPending(true);
                    since = clock.millis();
                    flusher.flushAll(commits).join();
                }
                try {
                    synchronized (t) {
                        if (tables.isLive(t) && (t.manifest().pitrSinceMillis() > 0) != settings.pointInTimeRecovery()) {
                            t.commit(manifests, t.manifest().withPitr(manifests.epoch(), clock.millis(), since));
                        }
                    }
                } finally {
                    t.historyPending(false);
                }
            }, threads.metadata());
        }
        KeyRing keys = segments.keys();
        String key = settings.customerKey();
        if (java.util.Objects.equals(key, keys.customerKey(id)) || (key != null && !keys.enabled())) {
            return pitr;
        }
        return pitr.thenRunAsync(() -> {
            // stored with the table so recovery encrypts replayed data under it before the schema is read
            String blob = StorageKeys.tableEncryption(StorageKeys.tableRoot(id));
            if (key == null) {
                Blobs.join(storage.data().delete(List.of(blob)));
            } else {
                Blobs.join(storage.data().put(blob, Envelope.seal(keys, id.tenant(),
                        key.getBytes(java.nio.charset.StandardCharsets.UTF_8)), PutMode.OVERWRITE));
            }
            keys.useCustomerKey(id, key);
        }, threads.metadata());
    }

    @Override
    public CompletionStage<Void> restoreTable(TableId source, long atMillis, TableId target) {
        return restorer.restoreTable(source, atMillis, target, threads.metadata());
    }

    @Override
    public CompletionStage<Void> restoreBackup(String backup, TableId target) {
        return restorer.restoreBackup(backup, target, threads.metadata());
    }

    @Override
    public RestoreStatus restoreStatus(TableId target) {
        return restorer.status(target);
    }

    @Override
    public CompletionStage<BackupInfo> createBackup(TableId table, String name, byte[] metadata) {
        return CompletableFuture.supplyAsync(() -> restorer.createBackup(table, name, metadata), threads.metadata());
    }

    @Override
    public CompletionStage<List<BackupInfo>> listBackups(String tenant) {
        return CompletableFuture.supplyAsync(() -> restorer.backups(requireNonNull(tenant, "tenant is null")).stream()
                .map(io.strata.storage.engine.restore.Backup::info).toList(), threads.metadata());
    }

    @Override
    public CompletionStage<Void> deleteBackup(String tenant, String name) {
        return CompletableFuture.runAsync(() -> restorer.deleteBackup(tenant, name), threads.metadata());
    }

    @Override
    public CompletionStage<Void> checkCustomerKey(String tenant, String customerKey) {
        return CompletableFuture.runAsync(() -> segments.keys().resolveCustomerKey(tenant, customerKey),
                threads.metadata());
    }

    @Override
    public CompletionStage<Void> dropTable(TableId id) {
        return CompletableFuture.runAsync(() -> {
            Table t = tables.get(id);
            if (t == null && tables.isUnavailable(id)) {
                // its key is gone but the table can still be dropped: its manifest is under the service key
                String root = StorageKeys.tableRoot(id);
                Manifest m;
                try {
                    m = manifests.loadLatest(root);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                new Table(id, m).commit(manifests, m.asDropped(manifests.epoch(), clock.millis()));
                tables.forgetUnavailable(id);
                return;
            }
            if (t == null) {
                return;
            }
            if (t.manifest().pitrSinceMillis() > 0) {
                // what is only in the memtable goes into segments first, so the table stays restorable up to its drop
                flusher.flushAll(commits).join();
            }
            synchronized (t) {
                // The data stays for the retention window (a dropped table can be restored), then GC deletes it.
                t.commit(manifests, t.manifest().asDropped(manifests.epoch(), clock.millis()));
                tables.remove(id);
                threads.closeLater(t.segments());
            }
        }, threads.metadata());
    }

    @Override
    public CompletionStage<Void> truncate(TableId id) {
        Table t = tables.get(id);
        if (t == null) {
            return CompletableFuture.failedFuture(tables.missing(id));
        }
        return flusher.flushAll(commits).thenRunAsync(() -> {
            synchronized (t) {
                List<Segment> old = t.segments();
                t.commit(manifests, t.manifest().next(manifests.epoch(), clock.millis(), List.of(),
                        Math.max(t.manifest().flushedLog(), commits.currentLog() - 1)));
                t.truncated();
                threads.closeLater(old);
            }
        }, threads.metadata());
    }

    @Override
    public long tableBytes(TableId id) {
        Table t = tables.get(id);
        if (t == null) {
            return 0;
        }
        Table.View v = t.view();
        long bytes = v.active().bytes() + (v.flushing() == null ? 0 : v.flushing().bytes());
        for (io.strata.storage.engine.segment.Segment s : v.segments()) {
            bytes += s.fileSize();
        }
        return bytes;
    }

    @Override
    public long historyBytes(TableId id) {
        return gc.historyBytes().getOrDefault(id.id(), 0L);
    }

    @Override
    public void expiryListener(ExpiryListener listener) {
        this.expiry = requireNonNull(listener, "listener is null");
    }

    @Override
    public CatalogStore catalog() {
        return catalog;
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return EnumSet.of(StorageCapability.LWT, StorageCapability.COUNTERS);
    }

    @Override
    public EngineStats stats() {
        return new EngineStats(manifests.epoch(), manifests.fenced(), CommitLog.name(commits.currentLog()),
                commits.currentLogBytes(), tables.memtableBytes(), tables.size(), tables.segmentCount(),
                segments.blockCacheBytes(), segments.blockCacheHitRate(), segments.diskCacheBytes(),
                written.bytesFlushed(), written.bytesCompacted(), written.ratio());
    }

    // ---- operations -------------------------------------------------------------------------------------

    /** Forces a flush of every memtable now and waits for it (tests, operators, zone repair). */
    public void flush() {
        flusher.flushAll(commits).join();
    }

    /**
     * Re-wraps every tenant's data keys under the key provider's current master key (rotate the master key in the
     * provider first); data is not rewritten. Returns how many keys were re-wrapped; 0 when encryption is off.
     */
    public int rewrapDataKeys() {
        return segments.keys().rewrap();
    }

    /**
     * Starts a new data key for the tenant: what is written from now on uses it, and compaction re-encrypts older
     * segments under it as it rewrites them. Returns the new key's version.
     *
     * @throws IllegalStateException if encryption is off
     */
    public int rotateDataKey(String tenant) {
        return segments.keys().rotate(tenant).version();
    }

    /**
     * Flushes, then merges every table's segments into one (a major compaction, on the compaction thread) and waits;
     * for operators (as {@code nodetool compact}) and measurements of a table's live compacted size.
     */
    public void compactFully() {
        flush();
        Blobs.join(CompletableFuture.runAsync(() -> {
            for (Table t : tables.all()) {
                try {
                    compactor.compactFully(t);
                } catch (IOException e) {
                    throw new UncheckedIOException("compaction of " + t.id() + " failed", e);
                }
            }
        }, threads.compactor()));
    }

    /** Runs garbage collection now (on the compaction thread), for tests and operators. */
    public void collectGarbage() {
        Blobs.join(CompletableFuture.runAsync(this::collectGarbageNow, threads.compactor()));
    }

    private void collectGarbageNow() {
        if (!closed) {
            gc.collect();
        }
    }

    /** Long enough for most reads in flight at the commit to end; those still running keep their segments anyway. */
    private static final long COLLECT_AFTER_COMPACTION_MILLIS = 200;
    private final AtomicLong lastGcScheduled = new AtomicLong(System.nanoTime() - 1_000_000_000L);

    /** Schedules a collection shortly after a compaction, when reads begun before it have ended (one a second at most). */
    private void collectSoon() {
        long now = System.nanoTime();
        long last = lastGcScheduled.get();
        if (now - last >= 1_000_000_000L && lastGcScheduled.compareAndSet(last, now)) {
            threads.onCompactionThreadAfter(COLLECT_AFTER_COMPACTION_MILLIS, this::collectGarbageQuietly);
        }
    }

    private void collectGarbageQuietly() {
        try {
            collectGarbageNow();
        } catch (RuntimeException e) {
            LOG.warn("garbage collection failed; it will run again", e);
        }
    }

    /** Flushes memtables, stops every thread and closes the stores; each step runs even if an earlier one failed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            flusher.flushAll(commits).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("flush on close failed; the commit log still has every acknowledged write", e);
        }
        closed = true;
        compactor.stop();
        threads.drainCompactions();
        runAll(restorer::close, commits::stop, storage.wal()::close, threads::shutdown, tables::closeSegments, segments::close,
                storage.data()::close, lock::close);
    }

    /**
     * Simulates a process crash for tests: stops every thread and closes files without flushing memtables
     * or completing queued writes, so only what the commit log forced survives.
     */
    public void simulateCrash() {
        closed = true;
        runAll(restorer::close, commits::crash, threads::shutdownNow, storage.wal()::close, tables::closeSegments, segments::close,
                storage.data()::close, lock::close);
    }

    /** Runs every step; rethrows the first failure (later ones suppressed) once all ran. */
    private static void runAll(Runnable... steps) {
        RuntimeException failure = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The table's compaction debt: {bytes beyond each cell group's largest segment, those largest} (tests). */
    long[] compactionDebt(TableId id) {
        return compactor.debt(table(id));
    }

    /** The compactor, for tests of the debt throttle ({@link Compactor#behind}, {@link Compactor#debtFloorBytes}). */
    Compactor compactor() {
        return compactor;
    }

    /** Occupies the compaction thread until {@code release} opens, so compactions queue behind it (tests). */
    void holdCompactionThread(java.util.concurrent.CountDownLatch release) {
        threads.compactor().execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The live state of a table, for tests. */
    Table table(TableId id) {
        return tables.get(id);
    }
}
