package io.strata.storage.engine;

import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything known about one partition in one source (a memtable, or one segment): its partition
 * deletion, range tombstones, static row and rows, tombstones included. Mutable only while it lives in
 * an active memtable, and then guarded by its own monitor; snapshots handed to readers are immutable.
 */
final class PartitionState {
    final PartitionKey key;
    DeletionTime partitionDeletion = DeletionTime.LIVE;
    final List<RangeTombstone> rangeTombstones = new ArrayList<>();
    Row staticRow;
    final TreeMap<Clustering, Row> rows = new TreeMap<>();

    PartitionState(PartitionKey key) {
        this.key = key;
    }

    /** Merges an update in; returns an estimate of the bytes it added. */
    synchronized long apply(PartitionUpdate u) {
        long size = 32;
        partitionDeletion = DeletionTime.max(partitionDeletion, u.partitionDeletion());
        rangeTombstones.addAll(u.rangeTombstones());
        size += 48L * u.rangeTombstones().size();
        if (u.staticRow() != null) {
            staticRow = Reconcile.row(staticRow, normalize(u.staticRow()));
            size += estimate(u.staticRow());
        }
        for (Row r : u.rows()) {
            rows.merge(r.clustering(), normalize(r), Reconcile::row);
            size += estimate(r);
        }
        return size;
    }

    /** Merges another source's state of the same partition into this (unsynchronized: for read-side merges). */
    void mergeFrom(PartitionState o) {
        partitionDeletion = DeletionTime.max(partitionDeletion, o.partitionDeletion);
        rangeTombstones.addAll(o.rangeTombstones);
        staticRow = Reconcile.row(staticRow, o.staticRow);
        for (Map.Entry<Clustering, Row> e : o.rows.entrySet()) {
            rows.merge(e.getKey(), e.getValue(), Reconcile::row);
        }
    }

    synchronized PartitionState snapshot() {
        PartitionState s = new PartitionState(key);
        s.partitionDeletion = partitionDeletion;
        s.rangeTombstones.addAll(rangeTombstones);
        s.staticRow = staticRow;
        s.rows.putAll(rows);
        return s;
    }

    private static Row normalize(Row r) {
        List<io.strata.storage.spi.Cell> sorted = Reconcile.sorted(r.cells());
        return sorted == r.cells() ? r : new Row(r.clustering(), r.liveness(), r.deletion(), r.complexDeletions(), sorted);
    }

    private static long estimate(Row r) {
        long s = 64 + r.clustering().encoded().length;
        for (io.strata.storage.spi.Cell c : r.cells()) {
            s += 48 + c.column().length() + (c.value() == null ? 0 : c.value().length) + (c.path() == null ? 0 : c.path().length);
        }
        return s;
    }
}
