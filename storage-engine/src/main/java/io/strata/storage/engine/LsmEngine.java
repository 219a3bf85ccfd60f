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
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.PreconditionFailedException;
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
 * The LSM storage engine over the backend SPI ({@link EngineStorage}: a commit log, a data store of
 * blobs, a local working directory).
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
 * <p><b>Recovery and fencing.</b> {@link #open} claims a new writer epoch, loads each table's newest
 * manifest and its segments, commits a fencing manifest version per table (a previous writer's next
 * manifest commit then loses and fences it), seals and replays the unflushed commit logs, skipping records
 * of dropped tables and of files a table already flushed.
 *
 * <p><b>Retention.</b> Superseded manifests and segments and flushed commit logs stay for
 * {@link EngineOptions#retentionSeconds} (point-in-time recovery), then garbage collection deletes them.
 *
 * <p>Thread-safe. Stages of writes complete on the commit thread, reads on the read pool.
 */
public final class LsmEngine implements StorageEngine {
    private static final Logger LOG = Logger.getLogger(LsmEngine.class);

    static final String EPOCHS = "epoch/";
    static final String RETIRED_LOGS = "wal-retired/";

    private final EngineStorage storage;
    private final io.strata.storage.spi.blob.LogStore walStore;
    private final BlobStore data;
    private final EngineOptions options;
    private final Clock clock;
    private final java.nio.channels.FileLock lock;
    private final Map<UUID, Table> tables = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ExecutorService reads;
    private final ExecutorService flusher;
    private final ExecutorService metadata;
    private final ExecutorService flushControl;
    private final ExecutorService compactor;
    private final ExecutorService downloads;
    /** Conditional writes wait for their durable write while holding a partition stripe: own pool, not the read pool. */
    private final ExecutorService conditional;
    private final java.util.concurrent.ScheduledExecutorService janitor;
    private final SegmentStore segmentStore;
    private final Gc gc;
    /** Names of commit logs marked flushed (the markers under RETIRED_LOGS): read at open, kept up to date. */
    private final java.util.Set<String> retiredLogs = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesFlushed = new AtomicLong();
    private final AtomicLong bytesCompacted = new AtomicLong();
    private final java.util.Set<UUID> compacting = ConcurrentHashMap.newKeySet();
    private final Thread commitThread;
    private final BlobCatalog catalog;
    private final AtomicLong memtableBytes = new AtomicLong();
    private final AtomicBoolean flushRunning = new AtomicBoolean();
    private final AtomicLong nextSegmentId = new AtomicLong(1);
    private final Object flushDone = new Object();
    private volatile boolean closed;
    private volatile boolean fenced;
    private long epoch;
    private CommitLog log;

    private sealed interface Pending permits Write, Roll, Stop {}

    private record Write(byte[] record, List<PartitionUpdate> updates, CompletableFuture<Void> done) implements Pending {}

    private record Roll(CompletableFuture<Long> done) implements Pending {}

    private record Stop() implements Pending {}

    private LsmEngine(EngineStorage storage, EngineOptions options, Clock clock) throws IOException {
        this.storage = storage;
        this.walStore = storage.wal();
        this.data = storage.data();
        this.options = options;
        this.clock = clock;
        Files.createDirectories(storage.localDir());
        this.lock = lock(storage.localDir());
        this.reads = Executors.newFixedThreadPool(options.readThreads(), named("strata-read"));
        this.flusher = Executors.newSingleThreadExecutor(named("strata-flush"));
        this.metadata = Executors.newSingleThreadExecutor(named("strata-meta"));
        this.flushControl = Executors.newSingleThreadExecutor(named("strata-flush-control"));
        // One bounded compaction thread for every table of every tenant (garbage collection runs there too).
        this.compactor = Executors.newSingleThreadExecutor(named("strata-compaction"));
        this.conditional = Executors.newFixedThreadPool(8, named("strata-lwt"));
        this.janitor = Executors.newSingleThreadScheduledExecutor(named("strata-janitor"));
        this.downloads = Executors.newFixedThreadPool(2, named("strata-fetch"));
        this.segmentStore = new SegmentStore(data, storage.localDir(), storage.diskCacheBytes(),
                new BlockCache(options.blockCacheBytes()), downloads);
        this.catalog = new BlobCatalog(data, metadata);
        this.gc = new Gc(data, walStore);
        this.commitThread = new Thread(this::commitLoop, "strata-commit");
        this.commitThread.setDaemon(true);
    }

    /** One process per local directory: a second one would write the same commit log files. */
    private static java.nio.channels.FileLock lock(Path localDir) throws IOException {
        java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(localDir.resolve("LOCK"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock l;
        try {
            l = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new StorageException("another Strata process (or engine) is using " + localDir);
        }
        return l;
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
     * Opens (recovering if needed) the engine over the backend SPI: claims a new writer epoch, fences the
     * previous writer, loads every table's newest manifest and segments, seals and replays the unflushed
     * commit logs. The engine closes the stores.
     */
    public static LsmEngine open(EngineStorage storage, EngineOptions options, Clock clock) {
        requireNonNull(storage, "storage is null");
        requireNonNull(options, "options is null");
        requireNonNull(clock, "clock is null");
        LsmEngine e = null;
        try {
            e = new LsmEngine(storage, options, clock);
            e.recover();
            e.commitThread.start();
            LsmEngine engine = e;
            e.janitor.scheduleWithFixedDelay(() -> engine.compactor.execute(engine::collectGarbageQuietly),
                    options.gcIntervalSeconds(), options.gcIntervalSeconds(), TimeUnit.SECONDS);
            return e;
        } catch (IOException | RuntimeException ex) {
            if (e != null) {
                e.releaseAfterFailedOpen();
            }
            if (ex instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("cannot open storage in " + storage.localDir(), (IOException) ex);
        }
    }

    private void releaseAfterFailedOpen() {
        closed = true;
        for (ExecutorService x : List.of(reads, flusher, metadata, flushControl, compactor, conditional, downloads)) {
            x.shutdownNow();
        }
        janitor.shutdownNow();
        try {
            lock.channel().close();
        } catch (IOException ignored) {
            // closing the channel releases the lock
        }
    }

    /** Claims epoch max+1 by creating its key only if absent; a newer writer fences every older one. */
    private long claimEpoch() {
        while (true) {
            long max = 0;
            for (String key : Blobs.listAll(data, EPOCHS)) {
                max = Math.max(max, Long.parseLong(key.substring(EPOCHS.length())));
            }
            long next = max + 1;
            byte[] token = ("epoch " + next + " " + UUID.randomUUID() + " pid " + ProcessHandle.current().pid()
                    + " at " + clock.instant()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            try {
                Blobs.join(data.put(EPOCHS + String.format("%020d", next), token, PutMode.CREATE_IF_ABSENT));
                return next;
            } catch (PreconditionFailedException raced) {
                LOG.infof("writer epoch %d was claimed concurrently; trying the next one", next);
            } catch (StorageException inconclusive) {
                byte[] stored = Blobs.join(data.readAll(EPOCHS + String.format("%020d", next)));
                if (java.util.Arrays.equals(stored, token)) {
                    return next;
                }
            }
        }
    }

    private void recover() throws IOException {
        epoch = claimEpoch();
        // Segment ids embed the epoch, so ids are never reused, even after garbage collection.
        nextSegmentId.set(epoch << 32);
        java.util.TreeMap<String, List<String>> byTable = new java.util.TreeMap<>();
        for (String k : Blobs.listAll(data, "tables/")) {
            int cut = Gc.slash(k, 3);
            if (cut > 0) {
                byTable.computeIfAbsent(k.substring(0, cut + 1), x -> new ArrayList<>()).add(k.substring(cut + 1));
            }
        }
        for (var e : byTable.entrySet()) {
            if (e.getValue().contains("TABLE") && e.getValue().stream().anyMatch(n -> n.startsWith("manifest/"))) {
                loadAndFence(e.getKey());
            }
        }
        for (String key : Blobs.listAll(data, RETIRED_LOGS)) {
            retiredLogs.add(key.substring(RETIRED_LOGS.length()));
        }
        List<Long> logs = CommitLog.existing(walStore);
        long replayed = 0;
        int replayedLogs = 0;
        for (long n : logs) {
            if (retiredLogs.contains(CommitLog.name(n))) {
                continue;
            }
            long[] count = {0};
            long lastChunk = CommitLog.replay(walStore, n, (file, updates) -> {
                for (PartitionUpdate u : updates) {
                    Table t = tables.get(u.table().id());
                    if (t != null && file > t.manifest.flushedLog()) {
                        memtableBytes.addAndGet(t.apply(u));
                        count[0]++;
                    }
                }
            });
            // Seal the log: a previous writer still appending to it would need this sequence number and loses.
            CommitLog.seal(walStore, n, lastChunk + 1);
            replayed += count[0];
            replayedLogs++;
        }
        // New log numbers exceed every earlier one and every number a manifest says is flushed (logs deleted
        // after a flush leave no file to count from), and embed the epoch so writers never share a log.
        long first = Math.max(epoch << 32, logs.isEmpty() ? 1 : logs.get(logs.size() - 1) + 1);
        for (Table t : tables.values()) {
            first = Math.max(first, t.manifest.flushedLog() + 1);
        }
        log = new CommitLog(walStore, first);
        LOG.infof("Storage opened (writer epoch %d): %d tables, %d partition updates replayed from %d commit log files",
                epoch, tables.size(), replayed, replayedLogs);
    }

    /**
     * Loads a table's newest manifest and segments and commits the next version under this epoch, which
     * fences any earlier writer. Losing that race to an earlier epoch (a zombie writer still finishing a
     * flush or compaction) means its version is newer: reload and fence again.
     */
    private void loadAndFence(String root) throws IOException {
        for (int attempt = 0; ; attempt++) {
            long latest = 0;
            for (String k : Blobs.listAll(data, root + "manifest/")) {
                latest = Math.max(latest, Long.parseLong(k.substring(k.lastIndexOf('/') + 1)));
            }
            Manifest m = Manifest.decode(Blobs.join(data.readAll(Manifest.key(root, latest))));
            if (m.dropped()) {
                return;
            }
            TableId id = decodeId(Blobs.join(data.readAll(root + "TABLE")));
            Table t = new Table(id, m);
            List<Segment> segs = new ArrayList<>();
            for (long sid : m.segments()) {
                segs.add(segmentStore.open(id, sid));
            }
            t.segments = reversed(segs);
            try {
                commitManifest(t, new Manifest(m.version() + 1, epoch, clock.millis(), false, m.segments(), m.flushedLog()));
                tables.put(id.id(), t);
                return;
            } catch (StorageException raced) {
                segs.forEach(Segment::close);
                if (fenced || attempt >= 20) {
                    throw raced;
                }
                LOG.infof("manifest of %s changed while fencing (%s); reloading", id, raced.getMessage());
            }
        }
    }

    /**
     * Commits the table's next manifest version by creating its key only if absent. Losing to a writer of a
     * higher epoch fences this engine: it stops taking writes, since another process now owns the data.
     */
    private void commitManifest(Table t, Manifest next) {
        String key = Manifest.key(t.root, next.version());
        byte[] bytes = next.encode();
        try {
            Blobs.join(data.put(key, bytes, PutMode.CREATE_IF_ABSENT));
        } catch (StorageException e) {
            byte[] stored;
            try {
                stored = Blobs.join(data.readAll(key));
            } catch (RuntimeException unreadable) {
                throw e;
            }
            if (!java.util.Arrays.equals(stored, bytes)) {
                long other;
                try {
                    other = Manifest.decode(stored).writerEpoch();
                } catch (IOException bad) {
                    throw new StorageException("manifest " + key + " is unreadable", bad);
                }
                if (other > epoch) {
                    fenced = true;
                    throw new StorageException("fenced: writer epoch " + other + " took over table " + t.id
                            + " (this process has epoch " + epoch + ")");
                }
                throw new StorageException("manifest " + key + " was committed concurrently by epoch " + other, e);
            }
        }
        t.manifest = next;
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
        if (fenced) {
            return CompletableFuture.failedFuture(new StorageException(
                    "this process was fenced by a newer writer of the same storage; restart it"));
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
                    java.nio.file.Path file = segmentStore.newFile();
                    bytesFlushed.addAndGet(Segment.write(file, parts));
                    Segment seg = segmentStore.publish(t.id, sid, file);
                    List<Long> ids = new ArrayList<>(t.manifest.segments());
                    ids.add(sid);
                    try {
                        commitManifest(t, t.manifest.next(epoch, clock.millis(), ids, rolledLog));
                    } catch (RuntimeException e) {
                        seg.close();
                        throw e;
                    }
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
                        commitManifest(t, t.manifest.next(epoch, clock.millis(), t.manifest.segments(), rolledLog));
                    }
                } else if (t.flushing != null) {
                    allFlushed = false;
                }
            }
            if (allFlushed) {
                retireLogsThrough(rolledLog);
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
        Integer tableGrace = t.gcGraceSeconds;
        int gcBefore = (int) (clock.millis() / 1000) - (tableGrace != null ? tableGrace : options.gcGraceSeconds());
        long sid = nextSegmentId.getAndIncrement();
        int expected = inputs.stream().mapToInt(Segment::size).sum();
        long inputBytes = inputs.stream().mapToLong(s -> s.fileSize).sum();
        java.nio.file.Path file = segmentStore.newFile();
        long written = Segment.write(file, Compaction.merge(inputs, major, gcBefore), expected);
        Segment output = segmentStore.publish(t.id, sid, file);
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
            try {
                commitManifest(t, t.manifest.next(epoch, clock.millis(), ids, t.manifest.flushedLog()));
            } catch (RuntimeException e) {
                output.close();
                throw e;
            }
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
        // Readers may still hold the inputs in a view: close them later. Their blobs stay for the retention
        // window (point-in-time recovery); garbage collection deletes them after it.
        closeLater(inputs);
        LOG.infof("Compacted %d segments of %s (%d -> %d bytes%s); write amplification so far %.2f", inputs.size(), t.id,
                inputBytes, written, major ? ", major: tombstones past gc_grace purged" : "", writeAmplification());
    }

    /**
     * Marks commit logs up to {@code through} as flushed by every table: recovery skips them, and garbage
     * collection deletes them once the retention window has passed (they stay for point-in-time recovery).
     */
    private void retireLogsThrough(long through) {
        byte[] when = java.nio.ByteBuffer.allocate(8).putLong(clock.millis()).array();
        for (long n : CommitLog.existing(walStore)) {
            if (n <= through && !retiredLogs.contains(CommitLog.name(n))) {
                if (options.retentionSeconds() == 0) {
                    CommitLog.delete(walStore, n);
                } else {
                    Blobs.join(data.put(RETIRED_LOGS + CommitLog.name(n), when, PutMode.OVERWRITE));
                    retiredLogs.add(CommitLog.name(n));
                }
            }
        }
    }

    /** Runs garbage collection now (on the compaction thread), for tests and operators. */
    public void collectGarbage() {
        Blobs.join(CompletableFuture.runAsync(this::collectGarbageNow, compactor));
    }

    private void collectGarbageQuietly() {
        try {
            collectGarbageNow();
        } catch (RuntimeException e) {
            LOG.warn("garbage collection failed; it will run again", e);
        }
    }

    /**
     * Deletes what the retention window no longer needs: manifests older than the window except the newest
     * of those (it describes the table at the window's start), segments no retained manifest lists,
     * dropped tables whose drop is older than the window, retired commit logs, and old writer epochs. Runs
     * on the compaction thread while no flush runs, so no segment is in flight.
     */
    private void collectGarbageNow() {
        if (closed || fenced) {
            return;
        }
        while (!flushRunning.compareAndSet(false, true)) {
            synchronized (flushDone) {
                try {
                    flushDone.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        try {
            long cutoff = clock.millis() - options.retentionSeconds() * 1000;
            long deleted = gc.run(cutoff, this::isLiveSegmentKey);
            if (deleted > 0) {
                LOG.infof("garbage collection deleted %d blobs and logs older than the retention window", deleted);
            }
        } finally {
            flushRunning.set(false);
            synchronized (flushDone) {
                flushDone.notifyAll();
            }
        }
    }

    private boolean isLiveSegmentKey(String key) {
        for (Table t : tables.values()) {
            if (key.startsWith(t.root)) {
                return t.segments.stream().anyMatch(s -> s.key.equals(key));
            }
        }
        return false;
    }

    /** Readers may still hold these segments in a view: close them a minute later (at once when shutting down). */
    private void closeLater(List<Segment> segments) {
        try {
            janitor.schedule(() -> segments.forEach(Segment::close), 60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            segments.forEach(Segment::close);
        }
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
                if (fenced) {
                    throw new StorageException("fenced by a newer writer; memtables were not flushed");
                }
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
                String root = SegmentStore.tableRoot(id);
                Blobs.join(data.put(root + "TABLE", encodeId(id), PutMode.OVERWRITE));
                Table t = new Table(id, new Manifest(0, epoch, clock.millis(), false, List.of(), log.number() - 1));
                commitManifest(t, Manifest.first(epoch, clock.millis(), log.number() - 1));
                tables.putIfAbsent(id.id(), t);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, metadata);
    }

    @Override
    public CompletionStage<Void> configureTable(TableId id, io.strata.storage.spi.TableSettings settings) {
        Table t = tables.get(id.id());
        if (t != null) {
            t.gcGraceSeconds = settings.gcGraceSeconds();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> dropTable(TableId id) {
        return CompletableFuture.runAsync(() -> {
            Table t = tables.get(id.id());
            if (t == null) {
                return;
            }
            synchronized (t) {
                // The data stays for the retention window (a dropped table can be restored), then GC deletes it.
                commitManifest(t, t.manifest.asDropped(epoch, clock.millis()));
                tables.remove(id.id());
                List<Segment> old = t.segments;
                closeLater(old);
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
                List<Segment> old = t.segments;
                commitManifest(t, t.manifest.next(epoch, clock.millis(), List.of(),
                        Math.max(t.manifest.flushedLog(), log.number() - 1)));
                t.segments = List.of();
                t.active = new ConcurrentSkipListMap<>();
                closeLater(old);
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
        downloads.shutdownNow();
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
        segmentStore.close();
        data.close();
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            LOG.debug("could not release the storage lock", e);
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
        downloads.shutdownNow();
        log.closeWithoutForce();
        walStore.close();
        for (Table t : tables.values()) {
            for (Segment s : t.segments) {
                s.close();
            }
        }
        segmentStore.close();
        data.close();
        releaseLock();
    }

    /** Forces a flush of every memtable now (tests and operators). */
    public void flush() {
        flushAll().join();
    }

    Clock clock() {
        return clock;
    }

    /** The name of the commit log being appended. */
    public String currentLogName() {
        return CommitLog.name(log.number());
    }

    /** Whether the open commit log holds anything (a roll would then move it into segments). */
    public boolean currentLogHasWrites() {
        return log.size() > 0;
    }

    /** This engine's writer epoch. */
    public long epoch() {
        return epoch;
    }

    /** Whether a newer writer took over this engine's storage (writes then fail). */
    public boolean isFenced() {
        return fenced;
    }

    /** Bytes of uncompressed blocks in the block cache and its hit rate, for metrics. */
    public long blockCacheBytes() {
        return segmentStore.blocks().weightedSize();
    }

    public double blockCacheHitRate() {
        return segmentStore.blocks().hitRate();
    }

    /** Bytes of segments held in the local disk cache (remote data stores). */
    public long diskCacheBytes() {
        return segmentStore.diskCacheBytes();
    }

    @Override
    public io.strata.storage.spi.EngineStats stats() {
        int segments = 0;
        for (Table t : tables.values()) {
            segments += t.segments.size();
        }
        return new io.strata.storage.spi.EngineStats(epoch, fenced, currentLogName(), log.size(), memtableBytes.get(),
                tables.size(), segments, blockCacheBytes(), blockCacheHitRate(), diskCacheBytes(), bytesFlushed.get(),
                bytesCompacted.get(), writeAmplification());
    }

    /** The live state of a table, for tests. */
    Table table(TableId id) {
        return tables.get(id.id());
    }
}
