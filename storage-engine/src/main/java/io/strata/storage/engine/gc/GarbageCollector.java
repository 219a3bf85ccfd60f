package io.strata.storage.engine.gc;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.flush.FlushGate;
import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.manifest.Manifest;
import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Garbage collection of the data store after the retention window: the rules that decide what point-in-
 * time recovery may still need. For each table, every manifest committed inside the window is kept, plus
 * the newest one committed before it (the table's state when the window opens) and the newest overall;
 * segments no kept manifest lists are deleted unless the engine still reads them; a dropped table goes
 * once its drop is older than the window. Retired commit logs go once retired before the window; writer
 * epochs except the newest few go. Decisions depend only on the manifests, never on which zone holds what.
 * Decoded manifests are memoized (they are immutable). Not thread-safe: the engine runs it on its
 * compaction thread, holding the {@link FlushGate} so no segment is in flight.
 */
public final class GarbageCollector {
    private static final Logger LOG = Logger.getLogger(GarbageCollector.class);
    private static final int KEEP_EPOCHS = 8;
    /** How long a table without point-in-time recovery keeps superseded manifests and segments (readers finish). */
    static final long GRACE_SECONDS = 60;

    /** Decoded manifests by key, for one engine's data store. */
    private final Map<String, Manifest> decoded = new ConcurrentHashMap<>();
    /** Retirement times of logs by marker key. */
    private final Map<String, Long> retired = new ConcurrentHashMap<>();
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
            long deleted = run(now - retentionSeconds * 1000, now - Math.min(retentionSeconds, GRACE_SECONDS) * 1000,
                    tables::isLiveSegment);
            if (deleted > 0) {
                LOG.infof("garbage collection deleted %d blobs and logs older than the retention window", deleted);
            }
        } finally {
            gate.release();
        }
    }

    /**
     * One pass. A table with point-in-time recovery keeps its history for the window ({@code cutoffMillis}); one
     * without keeps only what {@code graceCutoffMillis} covers (superseded manifests and compaction inputs go after
     * that short grace, a dropped table too). A segment is deleted only when no kept manifest of any table and no
     * backup lists it, so restored tables and backups that share a segment keep it alive.
     */
    long run(long cutoffMillis, long graceCutoffMillis, Predicate<String> liveSegment) {
        long deleted = 0;
        TreeMap<String, List<String>> byTable = Blobs.tableKeys(data);
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
            referenced.addAll(backupSegments(key));
        }
        // pass 2: delete
        for (var e : decisions.entrySet()) {
            deleted += delete(e.getKey(), byTable.get(e.getKey()), e.getValue(), referenced, liveSegment);
        }
        for (String marker : Blobs.listAll(data, StorageKeys.RETIRED_LOGS)) {
            long retiredAt = retiredAt(marker);
            if (retiredAt < cutoffMillis) {
                Blobs.join(wal.delete(StorageKeys.retiredLogName(marker)));
                Blobs.join(data.delete(List.of(marker)));
                retired.remove(marker);
                deleted++;
            }
        }
        List<String> epochs = Blobs.listAll(data, StorageKeys.EPOCHS);
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
        if (versions.isEmpty()) {
            return null; // a table being created or restored (no manifest until it is done), or debris: leave it
        }
        Manifest latest = decode(versions.lastEntry().getValue());
        long cutoff = latest.pitrSinceMillis() > 0 ? cutoffMillis : Math.max(cutoffMillis, graceCutoffMillis);
        if (latest.dropped() && latest.createdAtMillis() < cutoff) {
            return new Decision(true, Set.of(), Set.of(), versions.lastEntry().getValue());
        }
        Set<Long> keep = new HashSet<>();
        keep.add(versions.lastKey());
        Long newestBeforeWindow = null;
        for (var m : versions.entrySet()) {
            if (decode(m.getValue()).createdAtMillis() >= cutoff) {
                keep.add(m.getKey());
            } else {
                newestBeforeWindow = m.getKey();
            }
        }
        if (newestBeforeWindow != null) {
            keep.add(newestBeforeWindow);
        }
        Set<String> references = new HashSet<>();
        for (long v : keep) {
            Manifest m = decode(versions.get(v));
            for (long id : m.segments()) {
                references.add(StorageKeys.segment(m.segmentRoot(root, id), id));
            }
        }
        return new Decision(false, keep, references, versions.lastEntry().getValue());
    }

    private long delete(String root, List<String> keys, Decision d, Set<String> referenced,
            Predicate<String> liveSegment) {
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
                } else if (StorageKeys.isSegment(root, k) && !referenced.contains(k) && !liveSegment.test(k)) {
                    doomed.add(k);
                }
            }
        }
        if (!doomed.isEmpty()) {
            Blobs.join(data.delete(doomed));
            doomed.forEach(decoded::remove);
        }
        return doomed.size();
    }

    /** When a log was retired (memoized: markers never change, and 35 days of them are read every pass). */
    private long retiredAt(String marker) {
        return retired.computeIfAbsent(marker, k -> ByteBuffer.wrap(Blobs.join(data.readAll(k))).getLong());
    }

    /** The segment keys a backup lists (memoized: backups never change). */
    private List<String> backupSegments(String key) {
        return backups.computeIfAbsent(key, k -> {
            try {
                io.strata.storage.engine.restore.Backup b = io.strata.storage.engine.restore.Backup.decode(
                        io.strata.storage.engine.crypto.Envelope.open(keys, Blobs.join(data.readAll(k)), "backup " + k));
                return b.segments().stream().map(s -> StorageKeys.segment(s.root(), s.id())).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("backup " + k + " is unreadable", e);
            }
        });
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
