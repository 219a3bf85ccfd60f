package io.strata.storage.engine;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.CatalogStore;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.StorageCapability;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.TableId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The LSM storage engine on one directory.
 *
 * <p><b>Writes.</b> {@link #apply} encodes the updates as one commit-log record and queues it. A single
 * commit thread drains every queued record, appends them, forces the log once (group commit), applies them
 * to the tables' memtables and only then completes their stages: an acknowledged write is on disk and
 * visible to every later read.
 *
 * <p><b>Flushes.</b> When memtables exceed {@link EngineOptions#flushThresholdBytes}, the commit thread
 * rolls the log and freezes every memtable at that exact point; a flush thread writes each frozen
 * memtable as an immutable segment (forced), commits the table's manifest (segments + the last log
 * file covered) atomically, then deletes log files every table has flushed past. Writers are slowed, not
 * failed, while memtables exceed the stall threshold and a flush runs.
 *
 * <p><b>Recovery.</b> {@link #open} loads each table's manifest and segments, deletes orphan segments, and
 * replays the intact records of the remaining log files into memtables, skipping records of dropped
 * tables and of files a table already flushed.
 *
 * <p>Thread-safe. Stages of writes complete on the commit thread, reads on the read pool.
 */
public final class LsmEngine implements StorageEngine {
    private static final Logger LOG = Logger.getLogger(LsmEngine.class);

    private final Path dir;
    private final io.strata.storage.spi.blob.LogStore walStore;
    private final Path tablesDir;
    private final EngineOptions options;
    private final Clock clock;
    private final Map<UUID, Table> tables = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ExecutorService reads;
    private final ExecutorService flusher;
    private final ExecutorService metadata;
    private final ExecutorService flushControl;
    private final ExecutorService compactor;
    /** Conditional writes wait for their durable write while holding a partition stripe: own pool, not the read pool. */
    private final ExecutorService conditional;
    private final java.util.concurrent.ScheduledExecutorService janitor;
    private final AtomicLong bytesFlushed = new AtomicLong();
    private final AtomicLong bytesCompacted = new AtomicLong();
    private final java.util.Set<UUID> compacting = ConcurrentHashMap.newKeySet();
    private final Thread commitThread;
    private final LocalCatalog catalog;
    private final AtomicLong memtableBytes = new AtomicLong();
    private final AtomicBoolean flushRunning = new AtomicBoolean();
    private final AtomicLong nextSegmentId = new AtomicLong(1);
    private final Object flushDone = new Object();
    private volatile boolean closed;
    private CommitLog log;

    private sealed interface Pending permits Write, Roll, Stop {}

    private record Write(byte[] record, List<PartitionUpdate> updates, CompletableFuture<Void> done) implements Pending {}

    private record Roll(CompletableFuture<Long> done) implements Pending {}

    private record Stop() implements Pending {}

    private LsmEngine(Path dir, io.strata.storage.spi.blob.LogStore walStore, EngineOptions options, Clock clock)
            throws IOException {
        this.dir = dir;
        this.walStore = walStore;
        this.tablesDir = dir.resolve("tables");
        this.options = options;
        this.clock = clock;
        Files.createDirectories(tablesDir);
        this.reads = Executors.newFixedThreadPool(options.readThreads(), named("strata-read"));
        this.flusher = Executors.newSingleThreadExecutor(named("strata-flush"));
        this.metadata = Executors.newSingleThreadExecutor(named("strata-meta"));
        this.flushControl = Executors.newSingleThreadExecutor(named("strata-flush-control"));
        // One bounded compaction thread for every table of every tenant.
        this.compactor = Executors.newSingleThreadExecutor(named("strata-compaction"));
        this.conditional = Executors.newFixedThreadPool(8, named("strata-lwt"));
        this.janitor = Executors.newSingleThreadScheduledExecutor(named("strata-janitor"));
        this.catalog = new LocalCatalog(dir.resolve("catalog"), metadata);
        this.commitThread = new Thread(this::commitLoop, "strata-commit");
        this.commitThread.setDaemon(true);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Opens (recovering if needed) the engine: tables, segments and catalog in {@code dir}, the commit log in
     * {@code walStore} (for example a quorum over three zones). The engine closes the store.
     */
    public static LsmEngine open(Path dir, io.strata.storage.spi.blob.LogStore walStore, EngineOptions options, Clock clock) {
        requireNonNull(dir, "dir is null");
        requireNonNull(walStore, "walStore is null");
        try {
            Files.createDirectories(dir);
            LsmEngine e = new LsmEngine(dir, walStore, options, clock);
            e.recover();
            e.commitThread.start();
            return e;
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot open storage in " + dir, ex);
        }
    }

    private void recover() throws IOException {
        long maxSegment = 0;
        try (Stream<Path> tenants = Files.list(tablesDir)) {
            for (Path tenantDir : tenants.toList()) {
                try (Stream<Path> ts = Files.list(tenantDir)) {
                    for (Path tdir : ts.toList()) {
                        Path mf = tdir.resolve("MANIFEST");
                        Path idf = tdir.resolve("TABLE");
                        if (!Files.exists(mf) || !Files.exists(idf)) {
                            continue;
                        }
                        TableId id = decodeId(Files.readAllBytes(idf));
                        Manifest m = Manifest.decode(Files.readAllBytes(mf));
                        Table t = new Table(id, tdir, m);
                        List<Segment> segs = new ArrayList<>();
                        for (long sid : m.segments()) {
                            segs.add(Segment.open(sid, t.segmentPath(sid)));
                            maxSegment = Math.max(maxSegment, sid);
                        }
                        t.segments = reversed(segs);
                        try (Stream<Path> files = Files.list(tdir)) {
                            for (Path f : files.toList()) {
                                String n = f.getFileName().toString();
                                if (n.endsWith(".seg") && !m.segments().contains(Long.parseLong(n.substring(0, 20)))) {
                                    Files.deleteIfExists(f);
                                } else if (n.endsWith(".seg")) {
                                    maxSegment = Math.max(maxSegment, Long.parseLong(n.substring(0, 20)));
                                }
                            }
                        }
                        tables.put(id.id(), t);
                    }
                }
            }
        }
        nextSegmentId.set(maxSegment + 1);
        List<Long> logs = CommitLog.existing(walStore);
        long replayed = 0;
        for (long n : logs) {
            long[] count = {0};
            CommitLog.replay(walStore, n, (file, updates) -> {
                for (PartitionUpdate u : updates) {
                    Table t = tables.get(u.table().id());
                    if (t != null && file > t.manifest.flushedLog()) {
                        memtableBytes.addAndGet(t.apply(u));
                        count[0]++;
                    }
                }
            });
            replayed += count[0];
        }
        // New log numbers must exceed every number a manifest says is flushed, or replay after the next crash
        // would skip them: logs deleted after a flush leave no file behind to count from.
        long first = logs.isEmpty() ? 1 : logs.get(logs.size() - 1) + 1;
        for (Table t : tables.values()) {
            first = Math.max(first, t.manifest.flushedLog() + 1);
        }
        log = new CommitLog(walStore, first);
        LOG.infof("Storage opened in %s: %d tables, %d partition updates replayed from %d commit log files",
                dir, tables.size(), replayed, logs.size());
    }

    private static List<Segment> reversed(List<Segment> oldestFirst) {
        List<Segment> r = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(r);
        return List.copyOf(r);
    }

    // ---- writes ---------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> apply(List<PartitionUpdate> updates) {
        if (closed) {
            return CompletableFuture.failedFuture(new StorageException("storage is closed"));
        }
        for (PartitionUpdate u : updates) {
            if (!tables.containsKey(u.table().id())) {
                return CompletableFuture.failedFuture(new StorageException("table " + u.table() + " does not exist"));
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Write(CommitLog.encode(updates), updates, done));
        return done;
    }

    private void commitLoop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, 4096);
                List<Write> writes = new ArrayList<>();
                for (Pending p : batch) {
                    if (p instanceof Write w) {
                        writes.add(w);
                    } else {
                        commit(writes);
                        writes.clear();
                        if (p instanceof Roll r) {
                            r.done().complete(rollAndFreeze());
                        } else {
                            return;
                        }
                    }
                }
                commit(writes);
                maybeFlush();
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

    private void commit(List<Write> writes) throws IOException, InterruptedException {
        if (writes.isEmpty()) {
            return;
        }
        for (Write w : writes) {
            log.append(w.record());
        }
        log.force();
        for (Write w : writes) {
            for (PartitionUpdate u : w.updates()) {
                Table t = tables.get(u.table().id());
                if (t != null) {
                    memtableBytes.addAndGet(t.apply(u));
                }
            }
        }
        for (Write w : writes) {
            w.done().complete(null);
        }
        // Slow writers while a flush lags: acknowledgements of the next batch wait here.
        while (memtableBytes.get() > options.stallThresholdBytes() && flushRunning.get()) {
            synchronized (flushDone) {
                flushDone.wait(100);
            }
        }
    }

    private void maybeFlush() {
        if (memtableBytes.get() >= options.flushThresholdBytes() && flushRunning.compareAndSet(false, true)) {
            long rolled = rollAndFreeze();
            flusher.execute(() -> flushFrozen(rolled));
        }
    }

    /** On the commit thread: closes the current log file and freezes every memtable at this point. */
    private long rollAndFreeze() {
        long rolled = log.roll();
        for (Table t : tables.values()) {
            if (t.flushing != null) {
                // A roll only happens when no flush runs, so this would lose track of which log files
                // the table's memtable covers; refuse rather than risk skipping records on replay.
                throw new IllegalStateException("table " + t.id + " is still flushing");
            }
            if (!t.active.isEmpty()) {
                t.flushing = t.active;
                t.active = new ConcurrentSkipListMap<>();
                t.activeBytes.set(0);
            }
        }
        return rolled;
    }

    /** On the flush thread: writes frozen memtables to segments and commits manifests. */
    private void flushFrozen(long rolledLog) {
        try {
            long flushedBytes = 0;
            boolean allFlushed = true;
            for (Table t : tables.values()) {
                ConcurrentSkipListMap<PartitionKey, PartitionState> frozen = t.flushing;
                if (frozen == null) {
                    continue;
                }
                synchronized (t) {
                    if (t.flushing != frozen) {
                        continue;
                    }
                    long sid = nextSegmentId.getAndIncrement();
                    Collection<PartitionState> parts = frozen.values();
                    bytesFlushed.addAndGet(Segment.write(t.segmentPath(sid), parts));
                    Fsync.directory(t.dir);
                    Segment seg = Segment.open(sid, t.segmentPath(sid));
                    List<Long> ids = new ArrayList<>(t.manifest.segments());
                    ids.add(sid);
                    Manifest next = new Manifest(t.manifest.version() + 1, ids, rolledLog);
                    Fsync.atomicWrite(t.dir.resolve("MANIFEST"), next.encode());
                    t.manifest = next;
                    List<Segment> segs = new ArrayList<>();
                    segs.add(seg);
                    segs.addAll(t.segments);
                    t.segments = List.copyOf(segs);
                    t.flushing = null;
                    for (PartitionState p : parts) {
                        flushedBytes += 64 + p.rows.size() * 64L;
                    }
                }
            }
            // Every table either flushed through rolledLog or had nothing in those files.
            for (Table t : tables.values()) {
                if (t.manifest.flushedLog() < rolledLog && t.flushing == null) {
                    synchronized (t) {
                        Manifest next = new Manifest(t.manifest.version() + 1, t.manifest.segments(), rolledLog);
                        Fsync.atomicWrite(t.dir.resolve("MANIFEST"), next.encode());
                        t.manifest = next;
                    }
                } else if (t.flushing != null) {
                    allFlushed = false;
                }
            }
            if (allFlushed) {
                for (long n : CommitLog.existing(walStore)) {
                    if (n <= rolledLog) {
                        CommitLog.delete(walStore, n);
                    }
                }
            }
            long total = 0;
            for (Table t : tables.values()) {
                total += t.activeBytes.get();
            }
            memtableBytes.set(total);
            LOG.debugf("flushed memtables up to commit log %d", rolledLog);
            scheduleCompactions();
        } catch (IOException | RuntimeException e) {
            LOG.error("flush failed; data stays in the commit log and will be retried", e);
            for (Table t : tables.values()) {
                ConcurrentSkipListMap<PartitionKey, PartitionState> f = t.flushing;
                if (f != null) {
                    f.forEach((k, v) -> t.active.merge(k, v, (a, b) -> {
                        a.mergeFrom(b);
                        return a;
                    }));
                    t.flushing = null;
                }
            }
        } finally {
            flushRunning.set(false);
            synchronized (flushDone) {
                flushDone.notifyAll();
            }
        }
    }

    private void scheduleCompactions() {
        for (Table t : tables.values()) {
            if (!closed && !Compaction.choose(t.segments).isEmpty() && compacting.add(t.id.id())) {
                compactor.execute(() -> {
                    try {
                        compact(t);
                    } catch (RuntimeException | IOException e) {
                        LOG.warnf(e, "compaction of %s failed; its segments are unchanged", t.id);
                    } finally {
                        compacting.remove(t.id.id());
                    }
                });
            }
        }
    }

    /** Size-tiered compaction of one table: merges a bucket of similar segments into one. */
    void compact(Table t) throws IOException {
        List<Segment> inputs = Compaction.choose(t.segments);
        if (inputs.isEmpty() || tables.get(t.id.id()) != t) {
            return;
        }
        boolean major = inputs.size() == t.segments.size();
        int gcBefore = (int) (clock.millis() / 1000) - options.gcGraceSeconds();
        long sid = nextSegmentId.getAndIncrement();
        int expected = inputs.stream().mapToInt(Segment::size).sum();
        long inputBytes = inputs.stream().mapToLong(s -> s.fileSize).sum();
        long written = Segment.write(t.segmentPath(sid), Compaction.merge(inputs, major, gcBefore), expected);
        Fsync.directory(t.dir);
        Segment output = Segment.open(sid, t.segmentPath(sid));
        synchronized (t) {
            if (tables.get(t.id.id()) != t) {
                output.close();
                return;
            }
            List<Long> ids = new ArrayList<>();
            for (long id : t.manifest.segments()) {
                if (inputs.stream().noneMatch(s -> s.id == id)) {
                    ids.add(id);
                }
            }
            ids.add(sid);
            Manifest next = new Manifest(t.manifest.version() + 1, ids, t.manifest.flushedLog());
            Fsync.atomicWrite(t.dir.resolve("MANIFEST"), next.encode());
            t.manifest = next;
            List<Segment> segs = new ArrayList<>();
            segs.add(output);
            for (Segment s : t.segments) {
                if (!inputs.contains(s)) {
                    segs.add(s);
                }
            }
            t.segments = List.copyOf(segs);
        }
        bytesCompacted.addAndGet(written);
        // Readers may still hold the inputs in a view: unlink now (open files stay readable), close later.
        for (Segment s : inputs) {
            Files.deleteIfExists(s.path);
        }
        janitor.schedule(() -> inputs.forEach(Segment::close), 60, TimeUnit.SECONDS);
        LOG.infof("Compacted %d segments of %s (%d -> %d bytes%s); write amplification so far %.2f", inputs.size(), t.id,
                inputBytes, written, major ? ", major: tombstones past gc_grace purged" : "", writeAmplification());
    }

    /** Bytes written to segments by flushes and compactions, per byte flushed. */
    public double writeAmplification() {
        long flushed = bytesFlushed.get();
        return flushed == 0 ? 0 : (double) (flushed + bytesCompacted.get()) / flushed;
    }

    /** Forces a flush of every memtable and waits for it (used by truncate and close). */
    CompletableFuture<Void> flushAll() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        flushControl.execute(() -> {
            try {
                while (!flushRunning.compareAndSet(false, true)) {
                    synchronized (flushDone) {
                        flushDone.wait(50);
                    }
                }
                CompletableFuture<Long> rolled = new CompletableFuture<>();
                queue.add(new Roll(rolled));
                flushFrozen(rolled.get(60, TimeUnit.SECONDS));
                result.complete(null);
            } catch (Exception e) {
                flushRunning.set(false);
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    // ---- reads ----------------------------------------------------------------------------------------

    @Override
    public CompletionStage<ReadResult> read(ReadQuery query) {
        Table t = tables.get(query.table().id());
        if (t == null) {
            return CompletableFuture.failedFuture(new StorageException("table " + query.table() + " does not exist"));
        }
        return CompletableFuture.supplyAsync(() -> Reader.read(t.view(), query), reads);
    }

    /**
     * Striped partition locks for conditional writes: holding the stripe across read, decision and the
     * durable write makes conditional operations on a partition linearizable. Plain writes do not take it
     * (as in Cassandra, mixing LWT and non-LWT writes on a partition is not linearizable).
     */
    private final java.util.concurrent.locks.ReentrantLock[] partitionLocks = newLocks(1024);

    private static java.util.concurrent.locks.ReentrantLock[] newLocks(int n) {
        java.util.concurrent.locks.ReentrantLock[] locks = new java.util.concurrent.locks.ReentrantLock[n];
        for (int i = 0; i < n; i++) {
            locks[i] = new java.util.concurrent.locks.ReentrantLock();
        }
        return locks;
    }

    @Override
    public CompletionStage<io.strata.storage.spi.ConditionalResult> applyIf(ReadQuery query,
            java.util.function.Function<ReadResult, List<PartitionUpdate>> decide) {
        if (!(query.partitions() instanceof io.strata.storage.spi.PartitionSelection.Single single)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a conditional write reads one partition"));
        }
        Table t = tables.get(query.table().id());
        if (t == null) {
            return CompletableFuture.failedFuture(new StorageException("table " + query.table() + " does not exist"));
        }
        java.util.concurrent.locks.ReentrantLock lock =
                partitionLocks[Math.floorMod(Long.hashCode(single.key().token()) ^ t.id.id().hashCode(), partitionLocks.length)];
        return CompletableFuture.supplyAsync(() -> {
            lock.lock();
            try {
                ReadResult current = Reader.read(t.view(), query);
                List<PartitionUpdate> updates = decide.apply(current);
                if (updates == null || updates.isEmpty()) {
                    return new io.strata.storage.spi.ConditionalResult(false, current);
                }
                for (PartitionUpdate u : updates) {
                    if (!u.key().equals(single.key()) || !u.table().equals(query.table())) {
                        throw new IllegalArgumentException("a conditional write may only update the partition it read");
                    }
                }
                apply(updates).toCompletableFuture().join();
                return new io.strata.storage.spi.ConditionalResult(true, current);
            } finally {
                lock.unlock();
            }
        }, conditional);
    }

    // ---- tables ---------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> createTable(TableId id) {
        return CompletableFuture.runAsync(() -> {
            if (tables.containsKey(id.id())) {
                return;
            }
            try {
                Path tdir = tablesDir.resolve(id.tenant()).resolve(id.id().toString());
                Files.createDirectories(tdir);
                Fsync.atomicWrite(tdir.resolve("TABLE"), encodeId(id));
                Manifest m = Manifest.empty(log.number() - 1);
                Fsync.atomicWrite(tdir.resolve("MANIFEST"), m.encode());
                Fsync.directory(tdir.getParent());
                tables.putIfAbsent(id.id(), new Table(id, tdir, m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, metadata);
    }

    @Override
    public CompletionStage<Void> dropTable(TableId id) {
        return CompletableFuture.runAsync(() -> {
            Table t = tables.remove(id.id());
            if (t == null) {
                return;
            }
            synchronized (t) {
                try {
                    Files.deleteIfExists(t.dir.resolve("MANIFEST"));
                    Fsync.directory(t.dir);
                    for (Segment s : t.segments) {
                        s.close();
                    }
                    try (Stream<Path> files = Files.list(t.dir)) {
                        for (Path f : files.toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                    Files.deleteIfExists(t.dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, metadata);
    }

    @Override
    public CompletionStage<Void> truncate(TableId id) {
        Table t = tables.get(id.id());
        if (t == null) {
            return CompletableFuture.failedFuture(new StorageException("table " + id + " does not exist"));
        }
        return flushAll().thenRunAsync(() -> {
            synchronized (t) {
                try {
                    List<Segment> old = t.segments;
                    Manifest next = new Manifest(t.manifest.version() + 1, List.of(), Math.max(t.manifest.flushedLog(), log.number() - 1));
                    Fsync.atomicWrite(t.dir.resolve("MANIFEST"), next.encode());
                    t.manifest = next;
                    t.segments = List.of();
                    t.active = new ConcurrentSkipListMap<>();
                    for (Segment s : old) {
                        s.close();
                        Files.deleteIfExists(s.path);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, metadata);
    }

    private static byte[] encodeId(TableId id) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(b);
        ModelCodec.writeTableId(out, id);
        out.flush();
        return b.toByteArray();
    }

    private static TableId decodeId(byte[] bytes) throws IOException {
        return ModelCodec.readTableId(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes)));
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
    public void close() {
        if (closed) {
            return;
        }
        try {
            flushAll().get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("flush on close failed; the commit log still has every acknowledged write", e);
        }
        closed = true;
        compactor.shutdown();
        try {
            compactor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.add(new Stop());
        try {
            commitThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
        walStore.close();
        reads.shutdown();
        flusher.shutdown();
        flushControl.shutdown();
        compactor.shutdownNow();
        janitor.shutdownNow();
        conditional.shutdown();
        metadata.shutdown();
        for (Table t : tables.values()) {
            for (Segment s : t.segments) {
                s.close();
            }
        }
    }

    /**
     * Simulates a process crash for tests: stops every thread and closes files without flushing memtables
     * or completing queued writes, so only what the commit log forced survives.
     */
    public void simulateCrash() {
        closed = true;
        commitThread.interrupt();
        try {
            commitThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reads.shutdownNow();
        flusher.shutdownNow();
        flushControl.shutdownNow();
        compactor.shutdownNow();
        janitor.shutdownNow();
        conditional.shutdownNow();
        metadata.shutdownNow();
        log.closeWithoutForce();
        walStore.close();
        for (Table t : tables.values()) {
            for (Segment s : t.segments) {
                s.close();
            }
        }
    }

    /** Forces a flush of every memtable now (tests and operators). */
    public void flush() {
        flushAll().join();
    }

    Clock clock() {
        return clock;
    }

    /** The live state of a table, for tests. */
    Table table(TableId id) {
        return tables.get(id.id());
    }
}
