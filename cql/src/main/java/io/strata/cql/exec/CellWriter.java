package io.strata.cql.exec;

import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.Cells;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.ModificationPlan.ColumnOp;
import io.strata.cql.plan.ModificationPlan.Op;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.UserType;
import io.strata.cql.types.Values;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the cells and complex deletions one statement writes to one row (or the static row): whole
 * values, collection and UDT elements, list appends and prepends with time-based element paths, counter
 * deltas, tombstones. List operations by index or value use the row as read before the write. Not
 * thread-safe: one per row per execution.
 */
final class CellWriter {
    private final long ts;
    private final int ttl;
    private final int now;
    private final EvalContext ctx;
    private final List<Cell> cells = new ArrayList<>();
    private final Map<String, DeletionTime> complexDeletions = new HashMap<>();
    long bytes;

    CellWriter(long ts, int ttl, int now, EvalContext ctx) {
        this.ts = ts;
        this.ttl = ttl;
        this.now = now;
        this.ctx = ctx;
    }

    boolean isEmpty() {
        return cells.isEmpty() && complexDeletions.isEmpty();
    }

    Row row(Clustering clustering, LivenessInfo liveness) {
        cells.sort(CellWriter::compareCells);
        return new Row(clustering, liveness, DeletionTime.LIVE, complexDeletions, cells);
    }

    private void live(String column, byte[] path, byte[] value) {
        cells.add(Cell.expiring(column, path, ts, ttl, now, value));
        bytes += column.length() + (path == null ? 0 : path.length) + value.length;
    }

    private void tombstone(String column, byte[] path) {
        cells.add(Cell.tombstone(column, path, ts, now));
    }

    void apply(ColumnOp cv, Bindings b, Row existing) {
        ColumnMetadata c = cv.column();
        String name = c.name();
        DataType type = c.type();
        boolean multiCell = !type.isFrozen();
        if (cv.op() == Op.DELETE) {
            if (multiCell) {
                complexDeletions.put(name, new DeletionTime(ts, now));
            } else {
                tombstone(name, null);
            }
            return;
        }
        if (cv.op() == Op.DELETE_FIELD) {
            tombstone(name, TypedValues.fieldPath(cv.field()));
            return;
        }
        if (cv.op() == Op.DELETE_ELEMENT) {
            byte[] k = element(cv.key(), b, "Invalid null value for " + name + " element");
            if (k == null) {
                return;
            }
            if (((CollectionType) type).kind() == CollectionType.Kind.LIST) {
                List<Cell> list = Cells.elements(existing, name, type);
                int idx = ByteBuffer.wrap(k).getInt();
                if (list.isEmpty()) {
                    throw CqlException.invalid("Attempted to delete an element from a list which is null");
                }
                if (idx < 0 || idx >= list.size()) {
                    throw CqlException.invalid("List index " + idx + " out of bound, list has size " + list.size());
                }
                tombstone(name, list.get(idx).path());
            } else {
                tombstone(name, k);
            }
            return;
        }
        byte[] v = cv.value().resolve(b, ctx);
        if (Bindings.isUnset(v)) {
            return;
        }
        switch (cv.op()) {
            case SET -> {
                if (!multiCell) {
                    if (v == null) {
                        tombstone(name, null);
                    } else {
                        live(name, null, v);
                    }
                    return;
                }
                // Overwrite: shadow every older element, then write the new ones (Cassandra uses ts - 1).
                complexDeletions.put(name, new DeletionTime(ts - 1, now));
                if (v != null) {
                    addAll(c, v, false);
                }
            }
            case ADD -> {
                if (v != null) {
                    addAll(c, v, false);
                }
            }
            case PREPEND -> {
                if (v != null) {
                    addAll(c, v, true);
                }
            }
            case REMOVE -> {
                if (v == null) {
                    return;
                }
                CollectionType ct = (CollectionType) type;
                List<byte[]> removed = CollectionCodec.elements(v, false);
                if (ct.kind() == CollectionType.Kind.LIST) {
                    for (Cell e : Cells.elements(existing, name, type)) {
                        for (byte[] r : removed) {
                            if (java.util.Arrays.equals(r, e.value())) {
                                tombstone(name, e.path());
                                break;
                            }
                        }
                    }
                } else {
                    for (byte[] r : removed) {
                        tombstone(name, r);
                    }
                }
            }
            case SET_ELEMENT -> {
                CollectionType ct = (CollectionType) type;
                byte[] k = element(cv.key(), b, ct.kind() == CollectionType.Kind.LIST
                        ? "Invalid null value for list index" : "Invalid null map key");
                if (k == null) {
                    return;
                }
                byte[] path = k;
                if (ct.kind() == CollectionType.Kind.LIST) {
                    List<Cell> list = Cells.elements(existing, name, type);
                    int idx = ByteBuffer.wrap(k).getInt();
                    if (list.isEmpty()) {
                        throw CqlException.invalid("Attempted to set an element on a list which is null");
                    }
                    if (idx < 0 || idx >= list.size()) {
                        throw CqlException.invalid("List index " + idx + " out of bound, list has size " + list.size());
                    }
                    path = list.get(idx).path();
                }
                if (v == null) {
                    tombstone(name, path);
                } else {
                    live(name, path, v);
                }
            }
            case SET_FIELD -> {
                byte[] path = TypedValues.fieldPath(cv.field());
                if (v == null) {
                    tombstone(name, path);
                } else {
                    live(name, path, v);
                }
            }
            case COUNTER_ADD, COUNTER_SUBTRACT -> {
                if (v == null) {
                    throw CqlException.invalid("Invalid null value for counter increment");
                }
                long delta = ByteBuffer.wrap(v).getLong();
                cells.add(Cell.counterDelta(name, ts, cv.op() == Op.COUNTER_ADD ? delta : -delta));
            }
            default -> throw new IllegalStateException(cv.op().toString());
        }
    }

    /** Writes the elements (or UDT fields) of a serialized multi-cell value as cells. */
    private void addAll(ColumnMetadata c, byte[] v, boolean prepend) {
        String name = c.name();
        if (c.type() instanceof UserType ut) {
            List<byte[]> fields = TypedValues.components(v, ut.fieldNames().size());
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i) != null) {
                    live(name, TypedValues.fieldPath(ut.fieldNames().get(i)), fields.get(i));
                }
            }
            return;
        }
        CollectionType ct = (CollectionType) c.type();
        List<byte[]> parts = CollectionCodec.elements(v, ct.kind() == CollectionType.Kind.MAP);
        switch (ct.kind()) {
            case LIST -> {
                if (prepend) {
                    // Each prepended element gets a smaller time than the one after it, and than every earlier prepend.
                    byte[][] paths = new byte[parts.size()][];
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        paths[i] = Values.ofUuid(ctx.timeUuids().nextDescending());
                    }
                    for (int i = 0; i < parts.size(); i++) {
                        live(name, paths[i], parts.get(i));
                    }
                } else {
                    for (byte[] e : parts) {
                        live(name, Values.ofUuid(ctx.timeUuids().next()), e);
                    }
                }
            }
            case SET -> {
                for (byte[] e : parts) {
                    live(name, e, new byte[0]);
                }
            }
            case MAP -> {
                for (int i = 0; i < parts.size(); i += 2) {
                    live(name, parts.get(i), parts.get(i + 1));
                }
            }
        }
    }

    private byte[] element(ValueSource s, Bindings b, String nullMessage) {
        byte[] k = s.resolve(b, ctx);
        if (k == null) {
            throw CqlException.invalid(nullMessage);
        }
        return Bindings.isUnset(k) ? null : k;
    }

    static int compareCells(Cell x, Cell y) {
        int c = x.column().compareTo(y.column());
        if (c != 0) {
            return c;
        }
        if (x.path() == null || y.path() == null) {
            return x.path() == null ? (y.path() == null ? 0 : -1) : 1;
        }
        return java.util.Arrays.compareUnsigned(x.path(), y.path());
    }
}
