package io.strata.storage.engine.compaction;

import io.strata.storage.engine.memtable.PartitionState;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.segment.TokenGrid;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.ExpiryListener;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.Row;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Size-tiered compaction within groups of token cells ({@link TokenGrid}): choosing which segments to merge, and
 * merging them into segments that drop everything shadowed by a deletion. Tombstones and expired data older than
 * gc_grace are purged only by a major compaction (every segment whose token range overlaps the inputs'), so no
 * older copy they shadow can survive in another segment. Stateless; {@link Compactor} runs it on the compaction thread, one table at a time.
 */
final class Compaction {
    static final int MIN_THRESHOLD = 4;
    static final int MAX_THRESHOLD = 32;

    private Compaction() {}

    /**
     * How much the segments besides the largest may add up to, as a share of it, before every segment of a cell
     * group is merged into one: overwrites make the newer segments mostly copies of keys the largest holds, so this
     * bounds the bytes a table keeps to about {@code 1 + MAX_SPACE_AMPLIFICATION} times its live data (as RocksDB's
     * universal compaction does with its size-amplification trigger). Since a merge rewrites one group of
     * {@link TokenGrid} cells, the copy it holds while it runs is a cell's, not the table's.
     */
    static final double MAX_SPACE_AMPLIFICATION = 0.2;

    /**
     * The segments to merge next. Segments are grouped by the {@link TokenGrid} cells they span (segments whose cell
     * spans overlap share a group); within a group, all of them when the others add up to more than
     * {@link #MAX_SPACE_AMPLIFICATION} of the largest (capped at {@link #MAX_THRESHOLD}), otherwise a size-tiered
     * bucket: segments whose sizes are within half to one-and-a-half times the bucket's average, the fullest bucket
     * with at least {@link #MIN_THRESHOLD} members, capped at {@link #MAX_THRESHOLD} (smallest first). Of the groups
     * with work, the one with the most space to win goes first. Empty when nothing is worth compacting.
     */
    static List<Segment> choose(List<Segment> segments, TokenGrid grid) {
        List<Segment> best = List.of();
        double bestRatio = -1;
        int bits = grid.bits(segments);
        for (List<Segment> group : groups(segments, bits)) {
            List<Segment> pick = chooseIn(group, bits);
            if (pick.isEmpty()) {
                continue;
            }
            long largest = group.stream().mapToLong(Segment::fileSize).max().orElse(0);
            long total = group.stream().mapToLong(Segment::fileSize).sum();
            double ratio = (double) (total - largest) / Math.max(1, largest);
            if (ratio > bestRatio) {
                best = pick;
                bestRatio = ratio;
            }
        }
        return best;
    }

    /**
     * What compaction still owes a table: the bytes of its segments beyond the largest of each cell group (mostly
     * older copies of keys the largest holds, under overwrites), and the bytes of those largest ones. Their ratio is
     * the table's space amplification as far as segments go; compaction brings it back under
     * {@link #MAX_SPACE_AMPLIFICATION} group by group.
     */
    static long[] debt(List<Segment> segments, TokenGrid grid) {
        long excess = 0;
        long base = 0;
        for (List<Segment> group : groups(segments, grid.bits(segments))) {
            long largest = 0;
            long total = 0;
            for (Segment s : group) {
                largest = Math.max(largest, s.fileSize());
                total += s.fileSize();
            }
            excess += total - largest;
            base += largest;
        }
        return new long[] {excess, base};
    }

    /** Segments grouped so that no two groups share a cell (intervals of cells merged where they overlap). */
    static List<List<Segment>> groups(List<Segment> segments, int bits) {
        List<Segment> byStart = new ArrayList<>(segments);
        byStart.sort(Comparator.comparingInt(s -> firstCell(s, bits)));
        List<List<Segment>> groups = new ArrayList<>();
        int end = -1;
        for (Segment s : byStart) {
            if (groups.isEmpty() || firstCell(s, bits) > end) {
                groups.add(new ArrayList<>());
                end = lastCell(s, bits);
            } else {
                end = Math.max(end, lastCell(s, bits));
            }
            groups.get(groups.size() - 1).add(s);
        }
        return groups;
    }

    private static int firstCell(Segment s, int bits) {
        return s.size() == 0 ? 0 : TokenGrid.cell(s.tokenRange()[0], bits);
    }

    private static int lastCell(Segment s, int bits) {
        return s.size() == 0 ? 0 : TokenGrid.cell(s.tokenRange()[1], bits);
    }

    /** Whether {@code s} may hold a key in the token range of {@code inputs}. */
    static boolean overlaps(Segment s, List<Segment> inputs) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Segment i : inputs) {
            min = Math.min(min, i.tokenRange()[0]);
            max = Math.max(max, i.tokenRange()[1]);
        }
        return s.size() > 0 && s.tokenRange()[0] <= max && s.tokenRange()[1] >= min;
    }

    private static List<Segment> chooseIn(List<Segment> segments, int bits) {
        // A segment cut at a coarser grid (the table has grown since) holds its cells together: rewrite it, with the
        // smallest others, so its cells become groups of their own. Merging only segments of distinct cells would
        // cut them into the same cells again, forever.
        List<Segment> wide = segments.stream().filter(s -> firstCell(s, bits) != lastCell(s, bits)).toList();
        if (!wide.isEmpty()) {
            List<Segment> pick = new ArrayList<>(wide.subList(0, Math.min(wide.size(), MAX_THRESHOLD)));
            segments.stream().filter(s -> !wide.contains(s)).sorted(Comparator.comparingLong(Segment::fileSize))
                    .limit(Math.max(0, MAX_THRESHOLD - pick.size())).forEach(pick::add);
            return pick.size() >= 2 ? pick : List.of();
        }
        if (segments.size() >= 2 && segments.size() <= MAX_THRESHOLD) {
            long largest = 0;
            long total = 0;
            for (Segment s : segments) {
                largest = Math.max(largest, s.fileSize());
                total += s.fileSize();
            }
            if (total - largest > largest * MAX_SPACE_AMPLIFICATION) {
                return List.copyOf(segments);
            }
        }
        List<Segment> bySize = new ArrayList<>(segments);
        bySize.sort(Comparator.comparingLong(Segment::fileSize));
        List<List<Segment>> buckets = new ArrayList<>();
        for (Segment s : bySize) {
            List<Segment> last = buckets.isEmpty() ? null : buckets.get(buckets.size() - 1);
            if (last != null) {
                double avg = last.stream().mapToLong(Segment::fileSize).average().orElse(0);
                if (s.fileSize() <= avg * 1.5 || s.fileSize() < 1 << 20) {
                    last.add(s);
                    continue;
                }
            }
            List<Segment> b = new ArrayList<>();
            b.add(s);
            buckets.add(b);
        }
        List<Segment> best = List.of();
        for (List<Segment> b : buckets) {
            if (b.size() >= MIN_THRESHOLD && b.size() > best.size()) {
                best = b;
            }
        }
        return best.size() > MAX_THRESHOLD ? best.subList(0, MAX_THRESHOLD) : best;
    }

    private static final class Cursor {
        final Segment segment;
        int position;

        Cursor(Segment segment) {
            this.segment = segment;
        }

        PartitionKey key() {
            return segment.keyAt(position);
        }
    }

    /** Merges the inputs' partitions lazily in key order, each compacted by {@link #purge}. */
    static java.util.Iterator<PartitionState> merge(List<Segment> inputs, boolean major, int gcBefore) {
        return merge(inputs, major, gcBefore, ExpiryListener.Purge.NONE);
    }

    /** As {@link #merge(List, boolean, int)}, telling {@code expired} of each row that loses expired data. */
    static java.util.Iterator<PartitionState> merge(List<Segment> inputs, boolean major, int gcBefore,
            ExpiryListener.Purge expired) {
        PriorityQueue<Cursor> heap = new PriorityQueue<>((a, b) -> a.key().compareTo(b.key()));
        for (Segment s : inputs) {
            if (s.size() > 0) {
                heap.add(new Cursor(s));
            }
        }
        return new java.util.Iterator<>() {
            PartitionState next = advanceMerge();

            private PartitionState advanceMerge() {
                while (!heap.isEmpty()) {
                    Cursor c = heap.poll();
                    PartitionKey key = c.key();
                    PartitionState merged = c.segment.read(c.position);
                    advance(heap, c);
                    while (!heap.isEmpty() && heap.peek().key().equals(key)) {
                        Cursor d = heap.poll();
                        merged.mergeFrom(d.segment.read(d.position));
                        advance(heap, d);
                    }
                    PartitionState compacted = purge(merged, major, gcBefore, expired);
                    if (compacted != null) {
                        return compacted;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public PartitionState next() {
                PartitionState p = next;
                next = advanceMerge();
                return p;
            }
        };
    }

    private static void advance(PriorityQueue<Cursor> heap, Cursor cursor) {
        cursor.position++;
        if (cursor.position < cursor.segment.size()) {
            heap.add(cursor);
        }
    }

    /**
     * Drops what deletions shadow; when {@code major}, also purges deletions and expired data whose
     * local deletion time is before {@code gcBefore}. Returns null when nothing remains.
     */
    static PartitionState purge(PartitionState p, boolean major, int gcBefore) {
        return purge(p, major, gcBefore, ExpiryListener.Purge.NONE);
    }

    /** As {@link #purge(PartitionState, boolean, int)}, telling {@code expired} of each row that loses expired data. */
    static PartitionState purge(PartitionState p, boolean major, int gcBefore, ExpiryListener.Purge expired) {
        DeletionTime pd = p.partitionDeletion();
        List<RangeTombstone> rangeTombstones = new ArrayList<>();
        for (RangeTombstone rt : p.rangeTombstones()) {
            if (pd.deletes(rt.deletion().markedForDeleteAt()) || (major && rt.deletion().localDeletionTime() < gcBefore)) {
                continue;
            }
            rangeTombstones.add(rt);
        }
        Row staticRow = p.staticRow() == null ? null
                : purgeRow(p.key(), p.staticRow(), pd, List.of(), major, gcBefore, expired);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Clustering, Row> e : p.rows().entrySet()) {
            Row r = purgeRow(p.key(), e.getValue(), pd, p.rangeTombstones(), major, gcBefore, expired);
            if (r != null) {
                rows.add(r);
            }
        }
        DeletionTime partitionDeletion = major && pd.localDeletionTime() < gcBefore ? DeletionTime.LIVE : pd;
        boolean empty = partitionDeletion.isLive() && rangeTombstones.isEmpty() && staticRow == null && rows.isEmpty();
        return empty ? null : PartitionState.of(p.key(), partitionDeletion, rangeTombstones, staticRow, rows);
    }

    private static Row purgeRow(PartitionKey key, Row r, DeletionTime pd, List<RangeTombstone> rts, boolean major,
            int gcBefore, ExpiryListener.Purge expired) {
        DeletionTime covering = pd;
        if (!r.isStatic()) {
            for (RangeTombstone rt : rts) {
                if (rt.slice().contains(r.clustering())) {
                    covering = DeletionTime.max(covering, rt.deletion());
                }
            }
        }
        DeletionTime rowDel = r.deletion();
        if (covering.deletes(rowDel.markedForDeleteAt()) || (major && !rowDel.isLive() && rowDel.localDeletionTime() < gcBefore)) {
            rowDel = DeletionTime.LIVE;
        }
        DeletionTime effective = DeletionTime.max(covering, r.deletion());
        LivenessInfo li = r.liveness();
        LivenessInfo expiredLiveness = LivenessInfo.NONE;
        if (!li.isEmpty() && effective.deletes(li.timestamp())) {
            li = LivenessInfo.NONE;
        } else if (!li.isEmpty() && major && li.ttl() > 0 && li.localExpirationTime() < gcBefore) {
            expiredLiveness = li; // a TTL delete: the row marker expired and leaves storage now
            li = LivenessInfo.NONE;
        }
        List<Cell> expiredCells = null;
        List<Cell> cells = new ArrayList<>(r.cells().size());
        for (Cell c : r.cells()) {
            if (effective.deletes(c.timestamp())) {
                continue;
            }
            if (c.path() != null) {
                DeletionTime cd = r.complexDeletions().get(c.column());
                if (cd != null && cd.deletes(c.timestamp())) {
                    continue;
                }
            }
            boolean dead = c.isTombstone() || (c.isExpiring() && c.localDeletionTime() <= gcBefore);
            if (major && dead && c.localDeletionTime() < gcBefore) {
                if (!c.isTombstone()) {
                    if (expiredCells == null) {
                        expiredCells = new ArrayList<>();
                    }
                    expiredCells.add(c);
                }
                continue;
            }
            cells.add(c);
        }
        if (expiredCells != null || !expiredLiveness.isEmpty()) {
            expired.row(key, Row.of(r.clustering(), expiredLiveness, expiredCells == null ? List.of() : expiredCells));
        }
        Map<String, DeletionTime> cds = r.complexDeletions();
        if (li.isEmpty() && rowDel.isLive() && cells.isEmpty() && cds.isEmpty()) {
            return null;
        }
        return new Row(r.clustering(), li, rowDel, cds, cells);
    }
}
