package io.strata.storage.engine;

import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Garbage collection of the data store after the retention window: the rules that decide what point-in-
 * time recovery may still need. For each table, every manifest committed inside the window is kept, plus
 * the newest one committed before it (the table's state when the window opens) and the newest overall;
 * segments no kept manifest lists are deleted unless the engine still reads them; a dropped table goes
 * once its drop is older than the window. Retired commit logs go once retired before the window; writer
 * epochs except the newest few go. Decoded manifests are memoized per engine (they are immutable). Not
 * thread-safe: the engine runs it on its compaction thread while no flush runs.
 */
final class Gc {
    private static final int KEEP_EPOCHS = 8;
    /** Decoded manifests by key, for one engine's data store (manifests are immutable). */
    private final Map<String, Manifest> decoded = new ConcurrentHashMap<>();
    private final BlobStore data;
    private final LogStore wal;

    Gc(BlobStore data, LogStore wal) {
        this.data = data;
        this.wal = wal;
    }

    long run(long cutoffMillis, Predicate<String> liveSegment) {
        long deleted = 0;
        TreeMap<String, List<String>> byTable = new TreeMap<>();
        for (String k : Blobs.listAll(data, "tables/")) {
            int cut = slash(k, 3);
            if (cut > 0) {
                byTable.computeIfAbsent(k.substring(0, cut + 1), x -> new ArrayList<>()).add(k);
            }
        }
        for (var e : byTable.entrySet()) {
            deleted += table(e.getKey(), e.getValue(), cutoffMillis, liveSegment);
        }
        for (String marker : Blobs.listAll(data, LsmEngine.RETIRED_LOGS)) {
            long retiredAt = ByteBuffer.wrap(Blobs.join(data.readAll(marker))).getLong();
            if (retiredAt < cutoffMillis) {
                Blobs.join(wal.delete(marker.substring(LsmEngine.RETIRED_LOGS.length())));
                Blobs.join(data.delete(List.of(marker)));
                deleted++;
            }
        }
        List<String> epochs = Blobs.listAll(data, LsmEngine.EPOCHS);
        if (epochs.size() > KEEP_EPOCHS) {
            Blobs.join(data.delete(epochs.subList(0, epochs.size() - KEEP_EPOCHS)));
            deleted += epochs.size() - KEEP_EPOCHS;
        }
        return deleted;
    }

    private long table(String root, List<String> keys, long cutoff, Predicate<String> liveSegment) {
        TreeMap<Long, String> manifests = new TreeMap<>();
        List<String> segments = new ArrayList<>();
        for (String k : keys) {
            String rest = k.substring(root.length());
            if (rest.startsWith("manifest/")) {
                manifests.put(Long.parseLong(rest.substring("manifest/".length())), k);
            } else if (rest.startsWith("segments/")) {
                segments.add(k);
            }
        }
        if (manifests.isEmpty()) {
            return 0; // a table being created, or debris GC cannot date: leave it
        }
        Manifest latest = decode(manifests.lastEntry().getValue());
        if (latest.dropped() && latest.createdAtMillis() < cutoff) {
            Blobs.join(data.delete(keys));
            keys.forEach(decoded::remove);
            return keys.size();
        }
        Set<Long> keep = new HashSet<>();
        keep.add(manifests.lastKey());
        Long newestBeforeWindow = null;
        for (var m : manifests.entrySet()) {
            Manifest decoded = decode(m.getValue());
            if (decoded.createdAtMillis() >= cutoff) {
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
        for (var m : manifests.entrySet()) {
            if (keep.contains(m.getKey())) {
                TableIdless.segmentKeys(root, decode(m.getValue()).segments()).forEach(referenced::add);
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

    /** Segment keys from a table root, without needing the table's identity. */
    private static final class TableIdless {
        static List<String> segmentKeys(String root, List<Long> ids) {
            List<String> out = new ArrayList<>(ids.size());
            for (long id : ids) {
                out.add(root + "segments/" + String.format("%020d", id) + ".seg");
            }
            return out;
        }
    }

    private Manifest decode(String key) {
        return decoded.computeIfAbsent(key, k -> {
            try {
                return Manifest.decode(Blobs.join(data.readAll(k)));
            } catch (IOException e) {
                throw new UncheckedIOException("manifest " + k + " is unreadable", e);
            }
        });
    }

    static int slash(String s, int n) {
        int at = -1;
        for (int i = 0; i < n; i++) {
            at = s.indexOf('/', at + 1);
            if (at < 0) {
                return -1;
            }
        }
        return at;
    }
}
