package io.strata.storage.engine.read;

import io.strata.storage.engine.memtable.PartitionState;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.state.Table;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Executes a {@link ReadQuery} over one table view: merges every source of each partition, applies
 * partition, range and row deletions and TTLs as of the query's "now", and returns only live data, lazily
 * walking partitions in (token, key) order until the row limit. Stateless; runs on the caller's thread.
 */
public final class Reader {
    private Reader() {}

    /** Reads from the table's current view, keeping its segments from garbage collection while it reads. */
    public static ReadResult read(Table table, ReadQuery q) {
        try (Table.View v = table.pin()) {
            return read(v, q);
        }
    }

    public static ReadResult read(Table.View view, ReadQuery q) {
        List<PartitionData> out = new ArrayList<>();
        int remaining = q.rowLimit();
        Iterator<PartitionKey> keys = keys(view, q);
        ReadQuery.Position resume = q.resumeAfter();
        boolean allSlices = q.slices().size() == 1 && q.slices().get(0).equals(Slice.ALL);
        while (keys.hasNext()) {
            if (remaining == 0) {
                return new ReadResult(out, false);
            }
            PartitionKey key = keys.next();
            PartitionState merged = merge(view, key);
            if (merged == null) {
                continue;
            }
            Clustering after = resume != null && resume.key().equals(key) ? resume.clustering() : null;
            boolean resumedInside = after != null;
            int limit = Math.min(remaining, q.perPartitionLimit());
            List<Row> rows = liveRows(merged, q, after, limit);
            Row staticRow = liveStatic(merged, q);
            if (rows.isEmpty()) {
                if (staticRow != null && allSlices && !resumedInside) {
                    out.add(new PartitionData(key, staticRow, List.of()));
                    remaining--;
                }
                continue;
            }
            out.add(new PartitionData(key, staticRow, rows));
            remaining -= rows.size();
            if (remaining == 0) {
                // The limit cut the read (possibly inside this partition): the caller may resume.
                return new ReadResult(out, false);
            }
        }
        return new ReadResult(out, true);
    }

    private static Iterator<PartitionKey> keys(Table.View view, ReadQuery q) {
        ReadQuery.Position resume = q.resumeAfter();
        if (q.partitions() instanceof PartitionSelection.Single single) {
            if (resume != null && resume.key().equals(single.key()) && resume.clustering() == null) {
                return List.<PartitionKey>of().iterator();
            }
            return List.of(single.key()).iterator();
        }
        PartitionSelection.TokenRange range = (PartitionSelection.TokenRange) q.partitions();
        PartitionKey start = new PartitionKey(range.start(), new byte[0]);
        boolean skipResumeKey = false;
        if (resume != null) {
            start = resume.key();
            skipResumeKey = resume.clustering() == null;
        }
        PriorityQueue<Source> heap = new PriorityQueue<>((a, b) -> a.current.compareTo(b.current));
        addSource(heap, view.active().keysFrom(start));
        if (view.flushing() != null) {
            addSource(heap, view.flushing().keysFrom(start));
        }
        for (Segment s : view.segments()) {
            addSource(heap, new SegmentKeys(s, s.ceiling(start)));
        }
        PartitionKey resumeKey = skipResumeKey ? resume.key() : null;
        return new Iterator<>() {
            PartitionKey next = advance();

            private PartitionKey advance() {
                while (!heap.isEmpty()) {
                    Source s = heap.poll();
                    PartitionKey k = s.current;
                    if (s.it.hasNext()) {
                        s.current = s.it.next();
                        heap.add(s);
                    }
                    while (!heap.isEmpty() && heap.peek().current.equals(k)) {
                        Source dup = heap.poll();
                        if (dup.it.hasNext()) {
                            dup.current = dup.it.next();
                            heap.add(dup);
                        }
                    }
                    if (k.equals(resumeKey)) {
                        continue;
                    }
                    if (!range.contains(k.token())) {
                        if (k.token() > range.end() || (k.token() == range.end() && !range.endInclusive())) {
                            heap.clear();
                            return null;
                        }
                        continue;
                    }
                    return k;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public PartitionKey next() {
                PartitionKey k = next;
                next = advance();
                return k;
            }
        };
    }

    private static final class Source {
        final Iterator<PartitionKey> it;
        PartitionKey current;

        Source(Iterator<PartitionKey> it) {
            this.it = it;
            this.current = it.next();
        }
    }

    private static void addSource(PriorityQueue<Source> heap, Iterator<PartitionKey> it) {
        if (it.hasNext()) {
            heap.add(new Source(it));
        }
    }

    private static final class SegmentKeys implements Iterator<PartitionKey> {
        private final Segment segment;
        private int i;

        SegmentKeys(Segment segment, int start) {
            this.segment = segment;
            this.i = start;
        }

        @Override
        public boolean hasNext() {
            return i < segment.size();
        }

        @Override
        public PartitionKey next() {
            return segment.keyAt(i++);
        }
    }

    private static PartitionState merge(Table.View view, PartitionKey key) {
        PartitionState merged = null;
        List<PartitionState> parts = new ArrayList<>(4);
        PartitionState a = view.active().snapshot(key);
        if (a != null) {
            parts.add(a);
        }
        if (view.flushing() != null) {
            PartitionState f = view.flushing().snapshot(key);
            if (f != null) {
                parts.add(f);
            }
        }
        for (Segment s : view.segments()) {
            PartitionState p = s.get(key);
            if (p != null) {
                parts.add(p);
            }
        }
        for (PartitionState p : parts) {
            if (merged == null) {
                merged = p;
            } else {
                merged.mergeFrom(p);
            }
        }
        return merged;
    }

    private static List<Row> liveRows(PartitionState p, ReadQuery q, Clustering after, int limit) {
        List<Row> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        NavigableMap<Clustering, Row> rows = p.rows();
        if (after != null && !after.isStatic()) {
            rows = q.reversed() ? rows.headMap(after, false) : rows.tailMap(after, false);
        }
        Iterable<Map.Entry<Clustering, Row>> entries = q.reversed() ? rows.descendingMap().entrySet() : rows.entrySet();
        for (Map.Entry<Clustering, Row> e : entries) {
            Row r = e.getValue();
            if (!inSlices(q.slices(), r.clustering())) {
                continue;
            }
            Row live = live(p, r, q.columns(), q.nowInSeconds());
            if (live != null) {
                out.add(live);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static boolean inSlices(List<Slice> slices, Clustering c) {
        for (Slice s : slices) {
            if (s.contains(c)) {
                return true;
            }
        }
        return false;
    }

    private static DeletionTime effectiveDeletion(PartitionState p, Row r) {
        DeletionTime d = DeletionTime.max(p.partitionDeletion(), r.deletion());
        if (!r.isStatic()) {
            for (RangeTombstone rt : p.rangeTombstones()) {
                if (rt.slice().contains(r.clustering())) {
                    d = DeletionTime.max(d, rt.deletion());
                }
            }
        }
        return d;
    }

    /** The live view of a row, or null when nothing of it is live. */
    private static Row live(PartitionState p, Row r, Set<String> columns, int now) {
        DeletionTime del = effectiveDeletion(p, r);
        LivenessInfo li = r.liveness();
        boolean rowLive = !li.isEmpty() && !del.deletes(li.timestamp()) && li.isLive(now);
        List<Cell> cells = new ArrayList<>(r.cells().size());
        boolean anyLiveCell = false;
        for (Cell c : r.cells()) {
            if (c.isTombstone() || del.deletes(c.timestamp()) || !c.isLive(now)) {
                continue;
            }
            if (c.path() != null) {
                DeletionTime cd = r.complexDeletions().get(c.column());
                if (cd != null && cd.deletes(c.timestamp())) {
                    continue;
                }
            }
            anyLiveCell = true;
            if (columns == null || columns.contains(c.column())) {
                cells.add(c);
            }
        }
        if (!rowLive && !anyLiveCell) {
            return null;
        }
        return new Row(r.clustering(), rowLive ? li : LivenessInfo.NONE, DeletionTime.LIVE, Map.of(), cells);
    }

    private static Row liveStatic(PartitionState p, ReadQuery q) {
        if (p.staticRow() == null) {
            return null;
        }
        Row live = live(p, p.staticRow(), q.columns(), q.nowInSeconds());
        if (live == null || live.cells().isEmpty()) {
            return null;
        }
        return live;
    }
}
