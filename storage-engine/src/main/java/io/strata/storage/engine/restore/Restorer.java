package io.strata.storage.engine.restore;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.codec.ModelCodec;
import io.strata.storage.engine.crypto.Envelope;
import io.strata.storage.engine.flush.FlushGate;
import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.manifest.Manifest;
import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.memtable.Memtable;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.segment.SegmentStore;
import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.engine.wal.CommitLog;
import io.strata.storage.spi.BackupInfo;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RestoreStatus;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.blob.PreconditionFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Restores into new tables, and on-demand backups. A point-in-time restore of table S at instant T into new table N
 * finds S's manifest current at T (the newest committed at or before T), gives N a manifest that <em>borrows</em>
 * that manifest's segments (the same blobs, under S's root: nothing copied) and replays from the commit logs only
 * the tail: S's records after that manifest's flushed log and committed at or before T, into N's own segments.
 * Time proportional to the tail, not the table. A backup is a pinned list of segments (after a flush); restoring it
 * borrows them the same way, with no tail.
 *
 * <p>Crash safety: N's root holds a marker ({@code RESTORE}) saying CREATING until N's final manifest is committed,
 * then ACTIVE. Recovery removes every blob of a root whose marker still says CREATING (all of them are N's own:
 * borrowed segments live under their source's root) and reports the restore FAILED; the source is only read.
 *
 * <p>Thread-safe: validation runs on the caller's executor, up to four restores at once on the restore threads; statuses
 * may be read from any thread.
 */
public final class Restorer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Restorer.class);
    private static final int MARKER_FORMAT = 1;

    /** What the engine lends a restore. */
    public interface Host {
        /** The number of the commit log being appended. */
        long currentLog();

        /** A fresh segment id. */
        long nextSegmentId();

        /** Makes a finished table live (readable and writable). */
        void register(Table table);

        /** Flushes every memtable (a backup must hold everything acknowledged before it). */
        void flushAll();
    }

    private final BlobStore data;
    private final LogStore wal;
    private final SegmentStore segments;
    private final ManifestStore manifests;
    private final Tables tables;
    private final FlushGate gate;
    private final Host host;
    private final long flushThresholdBytes;
    private final long retentionMillis;
    private final Clock clock;
    private final Map<UUID, RestoreStatus> statuses = new ConcurrentHashMap<>();
    /** Restores built at once (Keyspaces admits 4 per account); each replays its tail into its own memtable. */
    static final int PARALLEL_RESTORES = 4;
    private final java.util.concurrent.atomic.AtomicInteger threadNumber = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService thread = Executors.newFixedThreadPool(PARALLEL_RESTORES, r -> {
        Thread t = new Thread(r, "strata-restore-" + threadNumber.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    public Restorer(BlobStore data, LogStore wal, SegmentStore segments, ManifestStore manifests, Tables tables,
            FlushGate gate, Host host, long flushThresholdBytes, long retentionMillis, Clock clock) {
        this.data = requireNonNull(data, "data is null");
        this.wal = requireNonNull(wal, "wal is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.host = requireNonNull(host, "host is null");
        this.flushThresholdBytes = flushThresholdBytes;
        this.retentionMillis = retentionMillis;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** What a restore starts from: segments to borrow (root by id, oldest first) and, for a point in time, the tail. */
    private record Plan(TableId target, String from, List<Long> segmentIds, Map<Long, String> roots,
            TableId source, long atMillis, long afterLog) {}

    // ---- restores -----------------------------------------------------------------------------------------

    /** See {@link io.strata.storage.spi.StorageEngine#restoreTable}; validation runs on {@code executor}. */
    public CompletionStage<Void> restoreTable(TableId source, long atMillis, TableId target,
            java.util.concurrent.Executor executor) {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        return CompletableFuture.supplyAsync(() -> planPointInTime(source, atMillis, target), executor)
                .thenAccept(this::start);
    }

    /** See {@link io.strata.storage.spi.StorageEngine#restoreBackup}. */
    public CompletionStage<Void> restoreBackup(String name, TableId target, java.util.concurrent.Executor executor) {
        requireNonNull(name, "name is null");
        requireNonNull(target, "target is null");
        return CompletableFuture.supplyAsync(() -> {
            requireNewTable(target);
            Backup b = readBackup(target.tenant(), name);
            if (b == null) {
                throw new StorageException("there is no backup named '" + name + "'");
            }
            List<Long> ids = new ArrayList<>();
            Map<Long, String> roots = new HashMap<>();
            for (Backup.SegmentRef s : b.segments()) {
                ids.add(s.id());
                roots.put(s.id(), s.root());
            }
            return new Plan(target, "backup " + name, ids, roots, null, 0, 0);
        }, executor).thenAccept(this::start);
    }

    /** The restore's status, or null when none is known for the table. */
    public RestoreStatus status(TableId target) {
        return statuses.get(target.id());
    }

    /** Records what recovery found: a table built by a finished restore, or one whose restore a crash cut short. */
    public void recovered(TableId target, RestoreStatus status) {
        statuses.put(target.id(), status);
    }

    private void requireNewTable(TableId target) {
        String root = StorageKeys.tableRoot(target);
        if (tables.contains(target) || !Blobs.listAll(data, root).isEmpty()) {
            throw new StorageException("table " + target + " already exists: a restore creates a new table");
        }
    }

    private Plan planPointInTime(TableId source, long atMillis, TableId target) {
        requireNewTable(target);
        if (source.tenant().equals(target.tenant()) == false) {
            throw new StorageException("a restore stays within its tenant");
        }
        if (atMillis > clock.millis()) {
            throw new StorageException("the restore instant " + Instant.ofEpochMilli(atMillis) + " is in the future");
        }
        String root = StorageKeys.tableRoot(source);
        List<Long> versions = new ArrayList<>(manifests.versions(root));
        if (versions.isEmpty()) {
            throw new StorageException("table " + source + " has no history to restore from");
        }
        // history is complete only from when point-in-time recovery was (last) enabled, and only while it stays on
        Manifest latest = load(root, versions.get(versions.size() - 1));
        if (latest.pitrSinceMillis() == 0) {
            throw new StorageException("point-in-time recovery is not enabled on table " + source
                    + ": it keeps no history to restore from");
        }
        if (atMillis < latest.pitrSinceMillis()) {
            throw new StorageException("point-in-time recovery of table " + source + " was enabled at "
                    + Instant.ofEpochMilli(latest.pitrSinceMillis()) + "; the earliest restorable instant is then, not "
                    + Instant.ofEpochMilli(atMillis));
        }
        if (atMillis < clock.millis() - retentionMillis) {
            throw new StorageException("the restore instant " + Instant.ofEpochMilli(atMillis)
                    + " is outside the recovery window of " + retentionMillis / 86_400_000 + " days");
        }
        // manifests are committed in time order: the newest at or before the instant, by bisection
        int lo = 0;
        int hi = versions.size() - 1;
        Manifest found = null;
        Manifest oldest = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Manifest m = load(root, versions.get(mid));
            if (mid == 0) {
                oldest = m;
            }
            if (m.createdAtMillis() <= atMillis) {
                found = m;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found == null) {
            if (oldest == null) {
                oldest = load(root, versions.get(0));
            }
            throw new StorageException("table " + source + " has no history at " + Instant.ofEpochMilli(atMillis)
                    + (oldest.version() == 1 ? ": it was created at " : ": its kept history starts at ")
                    + Instant.ofEpochMilli(oldest.createdAtMillis()));
        }
        if (found.dropped()) {
            throw new StorageException("table " + source + " was dropped at "
                    + Instant.ofEpochMilli(found.createdAtMillis()) + ", before " + Instant.ofEpochMilli(atMillis));
        }
        Map<Long, String> roots = new HashMap<>();
        for (long id : found.segments()) {
            roots.put(id, found.segmentRoot(root, id));
        }
        return new Plan(target, "table " + source + " at " + Instant.ofEpochMilli(atMillis), found.segments(), roots,
                source, atMillis, found.flushedLog());
    }

    private Manifest load(String root, long version) {
        try {
            return manifests.load(root, version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Accepts a validated plan: the caller hears back now; a restore thread does the rest. */
    private void start(Plan plan) {
        RestoreStatus creating = new RestoreStatus(RestoreStatus.State.CREATING, 0, 0, null);
        RestoreStatus before = statuses.put(plan.target().id(), creating);
        if (before != null && before.state() == RestoreStatus.State.CREATING) {
            statuses.put(plan.target().id(), before);
            throw new StorageException("a restore into " + plan.target() + " is already under way");
        }
        String root = StorageKeys.tableRoot(plan.target());
        thread.execute(() -> {
            try {
                Map<String, Long> stored = segmentSizes(plan);
                long borrowed = 0;
                for (long id : plan.segmentIds()) {
                    String key = StorageKeys.segment(plan.roots().get(id), id);
                    Long size = stored.get(key);
                    if (size == null) {
                        throw new StorageException("segment " + key + " of " + plan.from()
                                + " is missing from the data store");
                    }
                    borrowed += size;
                }
                // the marker first: from here on a crash leaves a root recovery knows to remove
                writeMarker(root, plan.target(), RestoreStatus.State.CREATING, plan.from());
                Blobs.join(data.put(StorageKeys.tableIdentity(root), Envelope.seal(segments.keys(),
                        plan.target().tenant(), ModelCodec.encodeTableId(plan.target())), PutMode.OVERWRITE));
                statuses.put(plan.target().id(), new RestoreStatus(RestoreStatus.State.CREATING, borrowed, 0, null));
                Table t = run(plan, borrowed);
                writeMarker(root, plan.target(), RestoreStatus.State.ACTIVE, plan.from());
                host.register(t);
                long bytes = 0;
                for (Segment s : t.segments()) {
                    bytes += s.fileSize();
                }
                statuses.put(plan.target().id(), new RestoreStatus(RestoreStatus.State.ACTIVE, bytes, bytes, null));
                LOG.infof("Restored %s from %s: %d segments (%d bytes) shared, %d written from the commit log",
                        plan.target(), plan.from(), plan.segmentIds().size(), borrowed,
                        t.segments().size() - plan.segmentIds().size());
            } catch (Throwable e) {
                LOG.errorf(e, "restore of %s from %s failed; removing what it built", plan.target(), plan.from());
                try {
                    removeAll(root);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                statuses.put(plan.target().id(), new RestoreStatus(RestoreStatus.State.FAILED, 0, 0,
                        String.valueOf(e.getMessage())));
            }
        });
    }

    /** Builds the target: borrows the plan's segments, writes the replayed tail, commits the final manifest. */
    private Table run(Plan plan, long borrowedBytes) throws IOException {
        TableId target = plan.target();
        List<Long> ids = new ArrayList<>(plan.segmentIds());
        Map<Long, String> roots = new HashMap<>(plan.roots());
        List<Segment> written = new ArrayList<>();
        long[] done = {borrowedBytes};
        if (plan.source() != null) {
            Memtable[] tail = {new Memtable()};
            boolean[] past = {false};
            // retired logs survive as history logs (only PITR tables' records); unretired ones are read whole
            java.util.TreeMap<Long, Boolean> logs = new java.util.TreeMap<>();
            CommitLog.existingHistory(wal).forEach(n -> logs.put(n, true));
            CommitLog.existing(wal).forEach(n -> logs.put(n, false));
            for (var log : logs.entrySet()) {
                long n = log.getKey();
                if (n <= plan.afterLog() || past[0]) {
                    continue;
                }
                CommitLog.TimedSink sink = (time, updates) -> {
                    if (past[0] || time > plan.atMillis()) {
                        past[0] = true; // logs are in commit order: nothing later is at or before the instant
                        return;
                    }
                    for (PartitionUpdate u : updates) {
                        if (u.table().equals(plan.source())) {
                            done[0] += tail[0].apply(new PartitionUpdate(target, u.key(), u.partitionDeletion(),
                                    u.rangeTombstones(), u.staticRow(), u.rows()));
                        }
                    }
                    // restores running together share one memtable budget
                    if (tail[0].bytes() >= flushThresholdBytes / PARALLEL_RESTORES) {
                        written.add(flush(target, tail[0], ids)); // a long tail never has to fit in memory
                        tail[0] = new Memtable();
                    }
                };
                if (log.getValue()) {
                    CommitLog.replayHistory(wal, n, segments.keys(), sink);
                } else {
                    CommitLog.replayTimed(wal, n, segments.keys(), sink);
                }
                statuses.computeIfPresent(target.id(), (k, s) -> new RestoreStatus(RestoreStatus.State.CREATING,
                        Math.max(s.bytesTotal(), done[0]), done[0], null));
            }
            if (!tail[0].isEmpty()) {
                written.add(flush(target, tail[0], ids));
            }
        }
        Manifest m = new Manifest(1, manifests.epoch(), clock.millis(), false, ids, host.currentLog() - 1,
                roots, 0);
        String root = StorageKeys.tableRoot(target);
        Table t = new Table(target, m);
        List<Segment> open = new ArrayList<>();
        try {
            for (long id : ids) {
                Segment own = written.stream().filter(s -> s.id() == id).findFirst().orElse(null);
                open.add(own != null ? own : segments.open(target, m.segmentRoot(root, id), id));
            }
        } catch (RuntimeException e) {
            open.forEach(Segment::close);
            throw e;
        }
        Collections.reverse(open);
        t.open(open);
        // hold the gate so garbage collection never runs between reading the source and committing the borrow
        try {
            gate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("restore interrupted", e);
        }
        try {
            Map<String, Long> stored = segmentSizes(plan);
            for (long id : plan.segmentIds()) {
                String key = StorageKeys.segment(roots.get(id), id);
                if (!stored.containsKey(key)) {
                    throw new StorageException("segment " + key + " of " + plan.from()
                            + " was removed while restoring (outside the kept history)");
                }
            }
            t.commit(manifests, m);
        } finally {
            gate.release();
        }
        return t;
    }

    /** The stored segments (key to size) of every root the plan borrows from: one listing per root, not a request each. */
    private Map<String, Long> segmentSizes(Plan plan) {
        Map<String, Long> sizes = new HashMap<>();
        for (String root : new java.util.TreeSet<>(plan.roots().values())) {
            for (BlobStore.BlobInfo i : Blobs.listInfos(data, root)) {
                if (StorageKeys.isSegment(root, i.key())) {
                    sizes.put(i.key(), i.size());
                }
            }
        }
        return sizes;
    }

    /** Writes a memtable of the target as one of its own segments; returns it (its id appended to {@code ids}). */
    private Segment flush(TableId target, Memtable mem, List<Long> ids) throws IOException {
        long sid = host.nextSegmentId();
        Path file = segments.newFile();
        segments.write(target, file, mem.partitions().iterator());
        Segment s = segments.publish(target, sid, file);
        ids.add(sid);
        return s;
    }

    /** Deletes every blob under a (half-built) restored table's root; its borrowed segments live elsewhere. */
    public void removeAll(String root) {
        List<String> keys = Blobs.listAll(data, root);
        if (!keys.isEmpty()) {
            Blobs.join(data.delete(keys));
        }
    }

    // ---- the marker ---------------------------------------------------------------------------------------

    /** A decoded restore marker. */
    public record Marker(TableId target, RestoreStatus.State state, String from) {}

    private void writeMarker(String root, TableId target, RestoreStatus.State state, String from) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeInt(MARKER_FORMAT);
            ModelCodec.writeTableId(out, target);
            out.writeUTF(state.name());
            out.writeUTF(from.length() > 2000 ? from.substring(0, 2000) : from);
            out.flush();
            Blobs.join(data.put(StorageKeys.restoreMarker(root), Envelope.seal(segments.keys(), target.tenant(),
                    b.toByteArray()), PutMode.OVERWRITE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a restore marker (recovery). */
    public static Marker readMarker(BlobStore data, io.strata.storage.engine.crypto.KeyRing keys, String root)
            throws IOException {
        byte[] b = Envelope.open(keys, Blobs.join(data.readAll(StorageKeys.restoreMarker(root))),
                "restore marker of " + root);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        if (in.readInt() != MARKER_FORMAT) {
            throw new IOException("unknown restore marker format in " + root);
        }
        TableId target = ModelCodec.readTableId(in);
        return new Marker(target, RestoreStatus.State.valueOf(in.readUTF()), in.readUTF());
    }

    // ---- backups ------------------------------------------------------------------------------------------

    /** See {@link io.strata.storage.spi.StorageEngine#createBackup}; runs on the caller's thread (it blocks). */
    public BackupInfo createBackup(TableId table, String name, byte[] metadata) {
        requireNonNull(table, "table is null");
        requireNonNull(metadata, "metadata is null");
        if (!name.matches("[A-Za-z0-9_.-]{1,255}")) {
            throw new StorageException("a backup name is 1 to 255 letters, digits, '_', '.' or '-': '" + name + "'");
        }
        Table t = tables.get(table);
        if (t == null) {
            throw tables.missing(table);
        }
        host.flushAll();
        try {
            gate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("backup interrupted", e);
        }
        try {
            Manifest m;
            List<Segment> segs;
            synchronized (t) {
                m = t.manifest();
                segs = t.segments();
            }
            List<Backup.SegmentRef> refs = new ArrayList<>();
            long bytes = 0;
            for (long id : m.segments()) {
                refs.add(new Backup.SegmentRef(m.segmentRoot(t.root(), id), id));
            }
            for (Segment s : segs) {
                bytes += s.fileSize();
            }
            Backup b = new Backup(name, table, clock.millis(), bytes, refs, metadata);
            try {
                Blobs.join(data.put(StorageKeys.backup(table.tenant(), name), Envelope.seal(segments.keys(),
                        table.tenant(), b.encode()), PutMode.CREATE_IF_ABSENT));
            } catch (PreconditionFailedException | CompletionException e) {
                if (e instanceof PreconditionFailedException || e.getCause() instanceof PreconditionFailedException) {
                    throw new StorageException("a backup named '" + name + "' already exists; backups are immutable");
                }
                throw e;
            }
            return b.info();
        } finally {
            gate.release();
        }
    }

    /** The tenant's backup named {@code name}, or null. */
    public Backup readBackup(String tenant, String name) {
        String key = StorageKeys.backup(tenant, name);
        if (Blobs.join(data.head(key)).isEmpty()) {
            return null;
        }
        try {
            return Backup.decode(Envelope.open(segments.keys(), Blobs.join(data.readAll(key)), "backup " + key));
        } catch (IOException e) {
            throw new StorageException("backup " + key + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Every backup of the tenant (or of all tenants: null), by name. */
    public List<Backup> backups(String tenant) {
        List<Backup> out = new ArrayList<>();
        for (String key : Blobs.listAll(data, tenant == null ? StorageKeys.BACKUPS : StorageKeys.BACKUPS + tenant + "/")) {
            String rest = key.substring(StorageKeys.BACKUPS.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                Backup b = readBackup(rest.substring(0, slash), rest.substring(slash + 1));
                if (b != null) {
                    out.add(b);
                }
            }
        }
        return out;
    }

    public void deleteBackup(String tenant, String name) {
        Blobs.join(data.delete(List.of(StorageKeys.backup(tenant, name))));
    }

    /** Stops the restore threads and waits for them, so nothing of a restore is written after the engine closed. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("a restore did not stop within 30 s of closing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
