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

    /** Decoded manifests by key, for one engine's data store. */
    private final Map<String, Manifest> decoded = new ConcurrentHashMap<>();
    private final BlobStore data;
    private final LogStore wal;
    private final Tables tables;
    private final ManifestStore manifests;
    private final FlushGate gate;
    private final long retentionSeconds;
    private final Clock clock;

    public GarbageCollector(BlobStore data, LogStore wal, Tables tables, ManifestStore manifests, FlushGate gate,
            long retentionSeconds, Clock clock) {
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
            long deleted = run(clock.millis() - retentionSeconds * 1000, tables::isLiveSegment);
            if (deleted > 0) {
                LOG.infof("garbage collection deleted %d blobs and logs older than the retention window", deleted);
            }
        } finally {
            gate.release();
        }
    }

    long run(long cutoffMillis, Predicate<String> liveSegment) {
        long deleted = 0;
        TreeMap<String, List<String>> byTable = Blobs.tableKeys(data);
        for (var e : byTable.entrySet()) {
            deleted += table(e.getKey(), e.getValue(), cutoffMillis, liveSegment);
        }
        for (String marker : Blobs.listAll(data, StorageKeys.RETIRED_LOGS)) {
            long retiredAt = ByteBuffer.wrap(Blobs.join(data.readAll(marker))).getLong();
            if (retiredAt < cutoffMillis) {
                Blobs.join(wal.delete(StorageKeys.retiredLogName(marker)));
                Blobs.join(data.delete(List.of(marker)));
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

    private long table(String root, List<String> keys, long cutoff, Predicate<String> liveSegment) {
        TreeMap<Long, String> versions = new TreeMap<>();
        List<String> segments = new ArrayList<>();
        for (String k : keys) {
            if (StorageKeys.isManifest(root, k)) {
                versions.put(StorageKeys.manifestVersion(k), k);
            } else if (StorageKeys.isSegment(root, k)) {
                segments.add(k);
            }
        }
        if (versions.isEmpty()) {
            return 0; // a table being created, or debris GC cannot date: leave it
        }
        Manifest latest = decode(versions.lastEntry().getValue());
        if (latest.dropped() && latest.createdAtMillis() < cutoff) {
            Blobs.join(data.delete(keys));
            keys.forEach(decoded::remove);
            return keys.size();
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
        Set<String> referenced = new HashSet<>();
        List<String> doomed = new ArrayList<>();
        for (var m : versions.entrySet()) {
            if (keep.contains(m.getKey())) {
                for (long id : decode(m.getValue()).segments()) {
                    referenced.add(StorageKeys.segment(root, id));
                }
            } else {
                doomed.add(m.getValue());
            }
        }
        for (String s : segments) {
            if (!referenced.contains(s) && !liveSegment.test(s)) {
                doomed.add(s);
            }
        }
        if (!doomed.isEmpty()) {
            Blobs.join(data.delete(doomed));
            doomed.forEach(decoded::remove);
        }
        return doomed.size();
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
