package io.strata.storage.engine.memtable;

import io.strata.storage.spi.Bytes;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cassandra's reconciliation rules, as pure functions: last write wins per cell by timestamp; on a tie
 * a tombstone wins, then the later expiry, then the greater value; counter deltas add up; deletions keep
 * the one that supersedes. Stateless, thread-safe.
 */
final class Reconcile {
    private Reconcile() {}

    static int compareCellKey(Cell a, Cell b) {
        int c = a.column().compareTo(b.column());
        if (c != 0) {
            return c;
        }
        if (a.path() == null || b.path() == null) {
            return a.path() == null ? (b.path() == null ? 0 : -1) : 1;
        }
        return Bytes.compare(a.path(), b.path());
    }

    static Cell cell(Cell a, Cell b) {
        if (a.kind() == Cell.Kind.COUNTER_DELTA && b.kind() == Cell.Kind.COUNTER_DELTA) {
            long sum = ByteBuffer.wrap(a.value()).getLong() + ByteBuffer.wrap(b.value()).getLong();
            return Cell.counterDelta(a.column(), Math.max(a.timestamp(), b.timestamp()), sum);
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp() ? a : b;
        }
        if (a.isTombstone() != b.isTombstone()) {
            return a.isTombstone() ? a : b;
        }
        if (a.isTombstone()) {
            return a.localDeletionTime() >= b.localDeletionTime() ? a : b;
        }
        if (a.localDeletionTime() != b.localDeletionTime()) {
            return a.localDeletionTime() > b.localDeletionTime() ? a : b;
        }
        return Bytes.compare(a.value(), b.value()) >= 0 ? a : b;
    }

    static LivenessInfo liveness(LivenessInfo a, LivenessInfo b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() > b.timestamp() ? a : b;
        }
        return a.localExpirationTime() >= b.localExpirationTime() ? a : b;
    }

    /** Merges two versions of the same row (same clustering). */
    static Row row(Row a, Row b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        Map<String, DeletionTime> cds = a.complexDeletions();
        if (!b.complexDeletions().isEmpty()) {
            cds = new HashMap<>(a.complexDeletions());
            for (Map.Entry<String, DeletionTime> e : b.complexDeletions().entrySet()) {
                cds.merge(e.getKey(), e.getValue(), DeletionTime::max);
            }
        }
        return new Row(a.clustering(), liveness(a.liveness(), b.liveness()), DeletionTime.max(a.deletion(), b.deletion()),
                cds, cells(a.cells(), b.cells()));
    }

    static List<Cell> cells(List<Cell> a, List<Cell> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        List<Cell> out = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() && j < b.size()) {
            int c = compareCellKey(a.get(i), b.get(j));
            if (c < 0) {
                out.add(a.get(i++));
            } else if (c > 0) {
                out.add(b.get(j++));
            } else {
                out.add(cell(a.get(i++), b.get(j++)));
            }
        }
        while (i < a.size()) {
            out.add(a.get(i++));
        }
        while (j < b.size()) {
            out.add(b.get(j++));
        }
        return out;
    }

    static List<Cell> sorted(List<Cell> cells) {
        if (cells.size() < 2) {
            return cells;
        }
        List<Cell> s = new ArrayList<>(cells);
        s.sort(Reconcile::compareCellKey);
        List<Cell> out = new ArrayList<>(s.size());
        for (Cell c : s) {
            if (!out.isEmpty() && compareCellKey(out.get(out.size() - 1), c) == 0) {
                out.set(out.size() - 1, cell(out.get(out.size() - 1), c));
            } else {
                out.add(c);
            }
        }
        return out;
    }
}
