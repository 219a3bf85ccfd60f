package io.strata.storage.engine;

import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.TableId;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One table's live state: the active memtable (written only by the commit thread), the memtable being
 * flushed (read-only), the open segments (newest first) and the current manifest. Readers take a
 * consistent {@link View} of the volatile fields; manifest changes happen under the table's monitor.
 * Thread-safe.
 */
final class Table {
    final TableId id;
    final String root;
    volatile ConcurrentSkipListMap<PartitionKey, PartitionState> active = new ConcurrentSkipListMap<>();
    volatile ConcurrentSkipListMap<PartitionKey, PartitionState> flushing;
    volatile List<Segment> segments = List.of();
    volatile Manifest manifest;
    final AtomicLong activeBytes = new AtomicLong();
    /** From the table's gc_grace_seconds once the schema layer configured it; null until then (engine default). */
    volatile Integer gcGraceSeconds;

    Table(TableId id, Manifest manifest) {
        this.id = id;
        this.root = SegmentStore.tableRoot(id);
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
}
