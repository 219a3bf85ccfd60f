package io.strata.storage.engine.memtable;

import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One table's in-memory partitions in (token, key) order, and an estimate of the bytes they hold. While
 * active, only the engine's commit thread writes it (after the commit log made the writes durable); once
 * frozen for a flush nobody does. Readers may walk and snapshot it at any time. Thread-safe.
 */
public final class Memtable {
    private final ConcurrentSkipListMap<PartitionKey, PartitionState> partitions = new ConcurrentSkipListMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /** Merges an update in; returns the estimated bytes it added. */
    public long apply(PartitionUpdate u) {
        long added = partitions.computeIfAbsent(u.key(), PartitionState::new).apply(u);
        bytes.addAndGet(added);
        return added;
    }

    /** A private copy of one partition, or null when this memtable has nothing of it. */
    public PartitionState snapshot(PartitionKey key) {
        PartitionState p = partitions.get(key);
        return p == null ? null : p.snapshot();
    }

    /** Keys from {@code start} (inclusive) on, in order; weakly consistent with concurrent writes. */
    public Iterator<PartitionKey> keysFrom(PartitionKey start) {
        return partitions.tailMap(start, true).keySet().iterator();
    }

    /** The partitions in key order (read-only; for writing a frozen memtable to a segment). */
    public Collection<PartitionState> partitions() {
        return Collections.unmodifiableCollection(partitions.values());
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** Estimated bytes applied to this memtable. */
    public long bytes() {
        return bytes.get();
    }

    /**
     * Merges this (frozen) memtable's partitions back into {@code target}, after a failed flush: the data
     * is still in the commit log, and stays readable. Byte estimates are left as they were.
     */
    public void mergeInto(Memtable target) {
        partitions.forEach((k, v) -> target.partitions.merge(k, v, (a, b) -> {
            a.mergeFrom(b);
            return a;
        }));
    }
}
