package io.strata.storage.engine.gc;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.flush.FlushGate;
import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.manifest.Manifest;
import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.engine.wal.RetiredLogs;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.blob.NoSuchBlobException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.UUID;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Garbage collection of the data store: the rules that decide what point-in-time recovery may still need.
 * A table with point-in-time recovery keeps, within the retention window, one manifest per checkpoint interval (the
 * newest of each hour), the oldest in the window, the newest before it (the table's state when the window opens)
 * and the newest overall; a restore starts from the newest kept manifest at or before its instant and replays the
 * retained commit log from there. A table without it keeps the segments its newest manifest lists, and its older
 * manifests (not what they list) for a short grace. A segment is deleted when no kept manifest of any table and no
 * backup lists it (restored tables and backups share segments) and no read in flight holds it ({@code inUse}: the
 * engine counts the reads of each segment list, so a compaction's inputs go as soon as the reads that began before
 * it end); a dropped table goes once its drop is older than its window (for a table without PITR, the grace),
 * except segments others still list. Retired commit logs go once retired before the window; writer epochs
 * except the newest few go. Each pass also totals the bytes each table keeps only as history (PITR storage).
 * Decisions depend only on the manifests, never on which zone holds what; decoded manifests, backups and retired-log
 * markers are memoized (they are immutable). Not thread-safe: the engine runs it on its compaction thread, holding
 * the {@link FlushGate} so no segment is in flight.
 */
public final class GarbageCollector {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
    private static final int KEEP_EPOCHS = 8;
    /**
     * How long a table without point-in-time recovery keeps superseded manifests, and a dropped one its segments
     * (reads of a dropped table end within it). Replaced segments of a live table do not wait for it: reads pin them.
     */
    public static final long GRACE_SECONDS = 3;
    /**
     * How far apart the manifests a table with point-in-time recovery keeps are: a restore starts from the newest
     * kept one at or before its instant and replays at most about this much commit log; segments only the dropped
     * manifests in between listed (flush outputs compacted away within the hour) go.
     */
    static final long CHECKPOINT_MILLIS = 3_600_000;

    /** Decoded manifests by key, for one engine's data store. */
    private final Map<String, Manifest> decoded = new ConcurrentHashMap<>();
    /** Retired-log markers by key. */
    private final Map<String, RetiredLogs.Marker> retired = new ConcurrentHashMap<>();
    private volatile Map<UUID, Long> historyBytes = Map.of();
    /** Segment keys of each backup by its key (backups are immutable). */
    private final Map<String, List<String>> backups = new ConcurrentHashMap<>();
    private final io.strata.storage.engine.crypto.KeyRing keys;
    private final BlobStore data;
    private final LogStore wal;
    private final Tables tables;
    private final ManifestStore manifests;
    private final FlushGate gate;
    private final long retentionSeconds;
    private final Clock clock;

    public GarbageCollector(BlobStore data, LogStore wal, Tables tables, ManifestStore manifests, FlushGate gate,
            long retentionSeconds, Clock clock, io.strata.storage.engine.crypto.KeyRing keys) {
        this.keys = requireNonNull(keys, "keys is null");
        this.data = requireNonNull(data, "data is null");
        this.wal = requireNonNull(wal, "wal is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.manifests = requireNonNull(manifests, "manifests is null");
        this.gate = requireNonNull(gate, "gate is null");
        this.retentionSeconds = retentionSeconds;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Deletes what the retention window no longer needs, while no flush runs; a fenced engine deletes nothing. */
    public void collect() {
        if (manifests.fenced()) {
            return;
        }
        try {
            gate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            long now = clock.millis();
            java.util.Set<String> inUse = tables.segmentsInUse();
            long deleted = run(now - retentionSeconds * 1000, now - Math.min(retentionSeconds, GRACE_SECONDS) * 1000,
                    inUse::contains);
            if (deleted > 0) {
                LOG.infof("garbage collection deleted %d blobs and logs older than the retention window", deleted);
            }
        } finally {
            gate.release();
        }
    }

    /**
     * One pass. A table with point-in-time recovery keeps its history for the window ({@code cutoffMillis}); one
     * without keeps its newest manifest's segments, and superseded manifests and a dropped table until
     * {@code graceCutoffMillis}. A segment is deleted only when no kept manifest of any table and no backup lists it
     * (restored tables and backups that share a segment keep it alive) and {@code inUse} says no read holds it.
     */
    long run(long cutoffMillis, long graceCutoffMillis, Predicate<String> inUse) {
        long deleted = 0;
        TreeMap<String, List<BlobStore.BlobInfo>> blobs = Blobs.tableBlobs(data);
        TreeMap<String, List<String>> byTable = new TreeMap<>();
        blobs.forEach((root, infos) -> byTable.put(root, infos.stream().map(BlobStore.BlobInfo::key).toList()));
        // pass 1: what each table keeps, and every segment some kept manifest or backup still lists
        Map<String, Decision> decisions = new TreeMap<>();
        Set<String> referenced = new HashSet<>();
        for (var e : byTable.entrySet()) {
            Decision d = decide(e.getKey(), e.getValue(), cutoffMillis, graceCutoffMillis);
            if (d != null) {
                decisions.put(e.getKey(), d);
                referenced.addAll(d.references());
            }
        }
        for (String key : Blobs.listAll(data, StorageKeys.BACKUPS)) {
            List<String> listed = backupSegments(key);
            if (listed != null) {
                referenced.addAll(listed);
            }
        }
        // pass 2: delete
        Set<String> gone = new HashSet<>();
        for (var e : decisions.entrySet()) {
            deleted += delete(e.getKey(), byTable.get(e.getKey()), e.getValue(), referenced, inUse, gone);
        }
        Map<UUID, Long> history = new HashMap<>();
        for (String marker : Blobs.listAll(data, StorageKeys.RETIRED_LOGS)) {
            java.util.Optional<String> log = StorageKeys.retiredLogName(marker);
            if (log.isEmpty()) {
                continue; // not a marker of ours (a foreign object, or a store's in-flight temporary)
            }
            RetiredLogs.Marker m = marker(marker);
            if (m.retiredAtMillis() < cutoffMillis) {
                Blobs.join(wal.delete(log.get()));
                Blobs.join(data.delete(List.of(marker)));
                retired.remove(marker);
                deleted++;
            } else {
                m.bytesByTable().forEach((id, bytes) -> history.merge(id, bytes, Long::sum));
            }
        }
        // what each table keeps beyond its current segments: superseded segments its older manifests still list
        for (var e : decisions.entrySet()) {
            if (e.getValue().expired()) {
                continue;
            }
            Manifest latest = decode(e.getValue().lastManifest());
            if (latest.pitrSinceMillis() == 0) {
                continue; // what a table without PITR keeps for its short grace is not history
            }
            // a dropped table's segments are all history (it stays restorable for the window)
            java.util.Set<Long> live = latest.dropped() ? Set.of() : new java.util.HashSet<>(latest.segments());
            long bytes = 0;
            for (BlobStore.BlobInfo i : blobs.get(e.getKey())) {
                if (StorageKeys.isSegment(e.getKey(), i.key()) && !live.contains(StorageKeys.segmentId(i.key()))
                        && !gone.contains(i.key())) {
                    bytes += i.size();
                }
            }
            if (bytes > 0) {
                history.merge(uuidOfRoot(e.getKey()), bytes, Long::sum);
            }
        }
        historyBytes = Map.copyOf(history);
        List<String> epochs = Blobs.listAll(data, StorageKeys.EPOCHS).stream().filter(StorageKeys::isEpoch).toList();
        if (epochs.size() > KEEP_EPOCHS) {
            Blobs.join(data.delete(epochs.subList(0, epochs.size() - KEEP_EPOCHS)));
            deleted += epochs.size() - KEEP_EPOCHS;
        }
        return deleted;
    }

    /**
     * What GC does with one table: {@code expired} (a drop older than its window: everything goes but the segments
     * others still list, and the last manifest while any do, so the root stays datable), or the manifests to keep;
     * {@code references} are the segment keys its kept manifests list.
     */
    private record Decision(boolean expired, Set<Long> keep, Set<String> references, String lastManifest) {}

    private Decision decide(String root, List<String> keys, long cutoffMillis, long graceCutoffMillis) {
        TreeMap<Long, String> versions = new TreeMap<>();
        for (String k : keys) {
            if (StorageKeys.isManifest(root, k)) {
                versions.put(StorageKeys.manifestVersion(k), k);
            }
        }
        // A version listed but unreadable (no zone holds it any more, or not yet): neither read nor deleted here.
        Set<Long> unsettled = new HashSet<>();
        for (var it = versions.entrySet().iterator(); it.hasNext(); ) {
            var v = it.next();
            if (readable(v.getValue()) == null) {
                unsettled.add(v.getKey());
                it.remove();
            }
        }
        if (versions.isEmpty()) {
            return null; // a table being created or restored (no manifest until it is done), or debris: leave it
        }
        Manifest latest = decode(versions.lastEntry().getValue());
        long cutoff = latest.pitrSinceMillis() > 0 ? cutoffMillis : Math.max(cutoffMillis, graceCutoffMillis);
        if (latest.dropped() && latest.createdAtMillis() < cutoff) {
            return new Decision(true, Set.of(), Set.of(), versions.lastEntry().getValue());
        }
        Set<Long> keep = new HashSet<>(unsettled);
        keep.add(versions.lastKey());
        Long newestBeforeWindow = null;
        Long oldestInWindow = null;
        boolean pitr = latest.pitrSinceMillis() > 0;
        Map<Long, Long> newestPerCheckpoint = new HashMap<>();
        for (var m : versions.entrySet()) {
            long created = decode(m.getValue()).createdAtMillis();
            if (created < cutoff) {
                newestBeforeWindow = m.getKey();
            } else if (!pitr) {
                keep.add(m.getKey()); // the manifest stays for the grace; what only it lists does not (see below)
            } else {
                // history: one manifest per checkpoint interval is a base a restore replays the log from
                newestPerCheckpoint.merge(created / CHECKPOINT_MILLIS, m.getKey(), Math::max);
                if (oldestInWindow == null) {
                    oldestInWindow = m.getKey();
                }
            }
        }
        keep.addAll(newestPerCheckpoint.values());
        if (oldestInWindow != null) {
            keep.add(oldestInWindow);
        }
        if (newestBeforeWindow != null) {
            keep.add(newestBeforeWindow);
        }
        Set<String> references = new HashSet<>();
        // without PITR only the newest manifest's segments are kept: reads in flight hold what older ones listed
        for (long v : pitr || latest.dropped() ? keep : Set.of(versions.lastKey())) {
            if (unsettled.contains(v)) {
                continue; // unreadable: what it lists is kept below
            }
            Manifest m = decode(versions.get(v));
            for (long id : m.segments()) {
                references.add(StorageKeys.segment(m.segmentRoot(root, id), id));
            }
        }
        if (!unsettled.isEmpty()) {
            // a manifest being committed (or lost) may list any of the table's segments: none goes this pass
            keys.stream().filter(k -> StorageKeys.isSegment(root, k)).forEach(references::add);
        }
        return new Decision(false, keep, references, versions.lastEntry().getValue());
    }

    private long delete(String root, List<String> keys, Decision d, Set<String> referenced,
            Predicate<String> inUse, Set<String> gone) {
        List<String> doomed = new ArrayList<>();
        if (d.expired()) {
            boolean stillListed = false;
            for (String k : keys) {
                if (StorageKeys.isSegment(root, k) && referenced.contains(k)) {
                    stillListed = true; // a restored table or a backup shares it
                }
            }
            for (String k : keys) {
                boolean keep = stillListed && (referenced.contains(k) || k.equals(d.lastManifest())
                        || k.equals(StorageKeys.tableIdentity(root)));
                if (!keep) {
                    doomed.add(k);
                }
            }
        } else {
            for (String k : keys) {
                if (StorageKeys.isManifest(root, k)) {
                    if (!d.keep().contains(StorageKeys.manifestVersion(k))) {
                        doomed.add(k);
                    }
                } else if (StorageKeys.isSegment(root, k) && !referenced.contains(k) && !inUse.test(k)) {
                    doomed.add(k);
                }
            }
        }
        if (!doomed.isEmpty()) {
            Blobs.join(data.delete(doomed));
            doomed.forEach(decoded::remove);
            gone.addAll(doomed);
        }
        return doomed.size();
    }

    /** A retired log's marker (memoized: markers never change, and 35 days of them are read every pass). */
    private RetiredLogs.Marker marker(String key) {
        return retired.computeIfAbsent(key, k -> RetiredLogs.Marker.decode(Blobs.join(data.readAll(k))));
    }

    private static UUID uuidOfRoot(String root) {
        String r = root.substring(0, root.length() - 1);
        return UUID.fromString(r.substring(r.lastIndexOf('/') + 1));
    }

    /**
     * Bytes kept only as history, by table id, as of the last pass: flushed commit-log records the table wrote into
     * retained logs, and superseded segments its kept manifests still list. Keyspaces bills these as PITR storage.
     */
    public Map<UUID, Long> historyBytes() {
        return historyBytes;
    }

    /**
     * The segment keys a backup lists (memoized: backups never change), or null when it is gone since it was listed
     * (deleted meanwhile, or a store's in-flight temporary).
     */
    private List<String> backupSegments(String key) {
        return backups.computeIfAbsent(key, k -> {
            try {
                io.strata.storage.engine.restore.Backup b = io.strata.storage.engine.restore.Backup.decode(
                        io.strata.storage.engine.crypto.Envelope.open(keys, Blobs.join(data.readAll(k)), "backup " + k));
                return b.segments().stream().map(s -> StorageKeys.segment(s.root(), s.id())).toList();
            } catch (NoSuchBlobException gone) {
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("backup " + k + " is unreadable", e);
            }
        });
    }

    /** The manifest, or null when no zone holds that version. */
    private Manifest readable(String key) {
        try {
            return decode(key);
        } catch (NoSuchBlobException e) {
            return null;
        }
    }

    private Manifest decode(String key) {
        return decoded.computeIfAbsent(key, k -> {
            try {
                return manifests.decode(k, Blobs.join(data.readAll(k)));
            } catch (IOException e) {
                throw new UncheckedIOException("manifest " + k + " is unreadable", e);
            }
        });
    }
}
