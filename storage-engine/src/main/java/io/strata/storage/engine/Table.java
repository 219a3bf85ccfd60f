package io.strata.storage.engine;

import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.TableId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One table's live state: the active memtable (written only by the commit thread), the memtable being
 * flushed (read-only), the open segments (newest first) and the manifest. Readers take a consistent
 * {@link View} of the volatile fields. Thread-safe.
 */
final class Table {
    final TableId id;
    final Path dir;
    volatile ConcurrentSkipListMap<PartitionKey, PartitionState> active = new ConcurrentSkipListMap<>();
    volatile ConcurrentSkipListMap<PartitionKey, PartitionState> flushing;
    volatile List<Segment> segments = List.of();
    volatile Manifest manifest;
    final AtomicLong activeBytes = new AtomicLong();

    Table(TableId id, Path dir, Manifest manifest) {
        this.id = id;
        this.dir = dir;
        this.manifest = manifest;
    }

    record View(ConcurrentSkipListMap<PartitionKey, PartitionState> active,
            ConcurrentSkipListMap<PartitionKey, PartitionState> flushing, List<Segment> segments) {}

    View view() {
        // Order matters: segments are published before the flushing memtable is cleared, so reading the
        // memtables first never misses data (at worst it sees it twice, which merges idempotently).
        ConcurrentSkipListMap<PartitionKey, PartitionState> a = active;
        ConcurrentSkipListMap<PartitionKey, PartitionState> f = flushing;
        return new View(a, f, segments);
    }

    long apply(PartitionUpdate u) {
        PartitionState p = active.computeIfAbsent(u.key(), PartitionState::new);
        long added = p.apply(u);
        activeBytes.addAndGet(added);
        return added;
    }

    Path segmentPath(long segmentId) {
        return dir.resolve(String.format("%020d.seg", segmentId));
    }
}
