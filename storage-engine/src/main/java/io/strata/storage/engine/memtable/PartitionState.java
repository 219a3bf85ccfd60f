package io.strata.storage.engine.memtable;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Everything known about one partition in one source (a memtable, or one segment): its partition
 * deletion, range tombstones, static row and rows in clustering order, tombstones included. Mutable only
 * while it lives in an active memtable, and then guarded by its own monitor ({@link #apply},
 * {@link #snapshot}); snapshots handed to readers, and states decoded from segments, are not shared and
 * only merged by their one reader ({@link #mergeFrom}). Accessors return read-only views.
 */
public final class PartitionState {
    private final PartitionKey key;
    private DeletionTime partitionDeletion = DeletionTime.LIVE;
    private final List<RangeTombstone> rangeTombstones = new ArrayList<>();
    private Row staticRow;
    private final TreeMap<Clustering, Row> rows = new TreeMap<>();

    public PartitionState(PartitionKey key) {
        this.key = requireNonNull(key, "key is null");
    }

    /** A state with the given contents (decoded from a segment, or built by compaction). */
    public static PartitionState of(PartitionKey key, DeletionTime partitionDeletion, List<RangeTombstone> rangeTombstones,
            Row staticRow, Collection<Row> rows) {
        PartitionState p = new PartitionState(key);
        p.partitionDeletion = partitionDeletion;
        p.rangeTombstones.addAll(rangeTombstones);
        p.staticRow = staticRow;
        for (Row r : rows) {
            p.rows.put(r.clustering(), r);
        }
        return p;
    }

    public PartitionKey key() {
        return key;
    }

    public DeletionTime partitionDeletion() {
        return partitionDeletion;
    }

    public List<RangeTombstone> rangeTombstones() {
        return Collections.unmodifiableList(rangeTombstones);
    }

    /** The static row, or null. */
    public Row staticRow() {
        return staticRow;
    }

    public NavigableMap<Clustering, Row> rows() {
        return Collections.unmodifiableNavigableMap(rows);
    }

    /** Merges an update in; returns an estimate of the bytes it added. */
    public synchronized long apply(PartitionUpdate u) {
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
    public void mergeFrom(PartitionState o) {
        partitionDeletion = DeletionTime.max(partitionDeletion, o.partitionDeletion);
        rangeTombstones.addAll(o.rangeTombstones);
        staticRow = Reconcile.row(staticRow, o.staticRow);
        for (Map.Entry<Clustering, Row> e : o.rows.entrySet()) {
            rows.merge(e.getKey(), e.getValue(), Reconcile::row);
        }
    }

    /** A copy a reader may merge into without disturbing writers. */
    public synchronized PartitionState snapshot() {
        PartitionState s = new PartitionState(key);
        s.partitionDeletion = partitionDeletion;
        s.rangeTombstones.addAll(rangeTombstones);
        s.staticRow = staticRow;
        s.rows.putAll(rows);
        return s;
    }

    private static Row normalize(Row r) {
        List<Cell> sorted = Reconcile.sorted(r.cells());
        return sorted == r.cells() ? r : new Row(r.clustering(), r.liveness(), r.deletion(), r.complexDeletions(), sorted);
    }

    private static long estimate(Row r) {
        long s = 64 + r.clustering().encoded().length;
        for (Cell c : r.cells()) {
            s += 48 + c.column().length() + (c.value() == null ? 0 : c.value().length) + (c.path() == null ? 0 : c.path().length);
        }
        return s;
    }
}
