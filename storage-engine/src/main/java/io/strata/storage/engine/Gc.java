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
 * epochs except the newest few go. Decoded manifests are memoized (they are immutable). Not thread-safe:
 * the engine runs it on its compaction thread while no flush runs.
 */
final class Gc {
    private static final int KEEP_EPOCHS = 8;
    private static final Map<String, Manifest> DECODED = new ConcurrentHashMap<>();

    private Gc() {}

    static long run(BlobStore data, LogStore wal, long cutoffMillis, Predicate<String> liveSegment) {
        long deleted = 0;
        TreeMap<String, List<String>> byTable = new TreeMap<>();
        for (String k : listAll(data, "tables/")) {
            int cut = slash(k, 3);
            if (cut > 0) {
                byTable.computeIfAbsent(k.substring(0, cut + 1), x -> new ArrayList<>()).add(k);
            }
        }
        for (var e : byTable.entrySet()) {
            deleted += table(data, e.getKey(), e.getValue(), cutoffMillis, liveSegment);
        }
        for (String marker : listAll(data, LsmEngine.RETIRED_LOGS)) {
            long retiredAt = ByteBuffer.wrap(SegmentStore.join(data.readAll(marker))).getLong();
            if (retiredAt < cutoffMillis) {
                SegmentStore.join(wal.delete(marker.substring(LsmEngine.RETIRED_LOGS.length())));
                SegmentStore.join(data.delete(List.of(marker)));
                deleted++;
            }
        }
        List<String> epochs = listAll(data, LsmEngine.EPOCHS);
        if (epochs.size() > KEEP_EPOCHS) {
            SegmentStore.join(data.delete(epochs.subList(0, epochs.size() - KEEP_EPOCHS)));
            deleted += epochs.size() - KEEP_EPOCHS;
        }
        return deleted;
    }

    private static long table(BlobStore data, String root, List<String> keys, long cutoff, Predicate<String> liveSegment) {
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
        Manifest latest = decode(data, manifests.lastEntry().getValue());
        if (latest.dropped() && latest.createdAtMillis() < cutoff) {
            SegmentStore.join(data.delete(keys));
            keys.forEach(DECODED::remove);
            return keys.size();
        }
        Set<Long> keep = new HashSet<>();
        keep.add(manifests.lastKey());
        Long newestBeforeWindow = null;
        for (var m : manifests.entrySet()) {
            Manifest decoded = decode(data, m.getValue());
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
                TableIdless.segmentKeys(root, decode(data, m.getValue()).segments()).forEach(referenced::add);
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
            SegmentStore.join(data.delete(doomed));
            doomed.forEach(DECODED::remove);
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

    private static Manifest decode(BlobStore data, String key) {
        return DECODED.computeIfAbsent(key, k -> {
            try {
                return Manifest.decode(SegmentStore.join(data.readAll(k)));
            } catch (IOException e) {
                throw new UncheckedIOException("manifest " + k + " is unreadable", e);
            }
        });
    }

    static List<String> listAll(BlobStore data, String prefix) {
        List<String> out = new ArrayList<>();
        String after = null;
        while (true) {
            var page = SegmentStore.join(data.list(prefix, after, 1000));
            page.forEach(i -> out.add(i.key()));
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
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
