package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.PartitionKeys;
import io.strata.cql.expr.RowView;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.SelectPlan;
import io.strata.cql.plan.VirtualSelectPlan;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.Result;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.system.VirtualTable;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.Values;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.Row;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs SELECTs on system tables: computes the table for the tenant's schema, keeps the rows the filters
 * accept, evaluates the selection on each (a computed row is given to expressions as a stored row would
 * be), applies LIMIT and pages by offset. Thread-safe.
 */
final class VirtualTableExecutor {
    private final SystemKeyspaces system;

    VirtualTableExecutor(SystemKeyspaces system) {
        this.system = requireNonNull(system, "system is null");
    }

    Result select(RequestContext rc, VirtualSelectPlan plan, Schema schema, Bindings b, EvalContext ctx) {
        TableMetadata def = plan.table();
        VirtualTable vt = system.table(def.keyspace(), def.name(), schema, rc.tenant()).orElseThrow();
        List<List<byte[]>> wanted = new ArrayList<>();
        for (VirtualSelectPlan.Filter f : plan.filters()) {
            List<byte[]> vals = new ArrayList<>();
            for (ValueSource vs : f.anyOf()) {
                vals.add(vs.resolve(b, ctx));
            }
            wanted.add(vals);
        }
        List<List<byte[]>> matching = new ArrayList<>();
        for (List<byte[]> row : vt.rows()) {
            boolean ok = true;
            for (int i = 0; i < plan.filters().size() && ok; i++) {
                byte[] actual = row.get(plan.filters().get(i).column());
                ok = wanted.get(i).stream().anyMatch(w -> w != null && actual != null && Arrays.equals(w, actual));
            }
            if (ok) {
                matching.add(row);
            }
        }
        sortForIn(def, plan, matching);
        int userLimit = ReadExecutor.positiveInt(plan.limit(), b, ctx, "limit");
        PagingState ps = rc.page().pagingState() == null ? null : PagingState.deserialize(rc.page().pagingState());
        int offset = ps == null ? 0 : Math.max(0, ps.virtualOffset());
        int remaining = ps == null ? userLimit : ps.remaining();
        int end = (int) Math.min(matching.size(), (long) offset + Math.min(rc.page().rowsPerPage(), remaining));
        List<List<ByteBuffer>> rows = new ArrayList<>();
        for (int i = offset; i < end; i++) {
            RowView view = view(def, matching.get(i), b, ctx);
            List<ByteBuffer> out = new ArrayList<>(plan.outputs().size());
            for (SelectPlan.Output o : plan.outputs()) {
                byte[] v = o.expr().eval(view);
                out.add(v == null ? null : ByteBuffer.wrap(v));
            }
            rows.add(out);
        }
        rc.usage().read(end - offset, 0);
        int left = remaining == Integer.MAX_VALUE ? Integer.MAX_VALUE : remaining - rows.size();
        byte[] paging = end < matching.size() && left > 0 ? PagingState.atOffset(end, left).serialize() : null;
        return new Result.Rows(plan.resultColumns(), rows, paging);
    }

    /**
     * With IN on a partition key column, partitions come back in the order of their key values (as for stored
     * tables), not in token order; rows of a partition keep their order.
     */
    private static void sortForIn(TableMetadata def, VirtualSelectPlan plan, List<List<byte[]>> rows) {
        boolean in = plan.filters().stream().anyMatch(f -> f.anyOf().size() > 1
                && def.columns().get(f.column()).kind() == ColumnMetadata.Kind.PARTITION_KEY);
        if (!in) {
            return;
        }
        List<ColumnMetadata> pk = def.partitionKey();
        rows.sort((x, y) -> {
            for (ColumnMetadata c : pk) {
                int i = def.columns().indexOf(c);
                int cmp = io.strata.cql.types.TypedValues.comparator(c.type()).compare(x.get(i), y.get(i));
                if (cmp != 0) {
                    return cmp;
                }
            }
            return 0;
        });
    }

    /** A computed row as expressions see stored rows: key components, clustering values and cells. */
    private static RowView view(TableMetadata def, List<byte[]> values, Bindings b, EvalContext ctx) {
        List<byte[]> pk = new ArrayList<>();
        List<byte[]> ck = new ArrayList<>();
        List<Cell> cells = new ArrayList<>();
        List<ColumnMetadata> cols = def.columns();
        for (int i = 0; i < cols.size(); i++) {
            ColumnMetadata c = cols.get(i);
            byte[] v = values.get(i);
            switch (c.kind()) {
                case PARTITION_KEY -> pk.add(v == null ? new byte[0] : v);
                case CLUSTERING -> ck.add(v);
                default -> {
                    if (v != null) {
                        cells.addAll(cells(c, v));
                    }
                }
            }
        }
        cells.sort(CellWriter::compareCells);
        Row row = Row.of(Clustering.EMPTY, LivenessInfo.NONE, cells);
        return new RowView(PartitionKeys.serialize(pk), pk, ck, row, row, b, ctx);
    }

    /** A value as stored cells: one cell, or one per element of a non-frozen collection. */
    private static List<Cell> cells(ColumnMetadata c, byte[] v) {
        if (!(c.type() instanceof CollectionType ct) || ct.isFrozen()) {
            return List.of(Cell.live(c.name(), null, 0, v));
        }
        boolean map = ct.kind() == CollectionType.Kind.MAP;
        List<byte[]> parts = CollectionCodec.elements(v, map);
        List<Cell> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i += map ? 2 : 1) {
            switch (ct.kind()) {
                case MAP -> out.add(Cell.live(c.name(), parts.get(i), 0, parts.get(i + 1)));
                case SET -> out.add(Cell.live(c.name(), parts.get(i), 0, new byte[0]));
                case LIST -> out.add(Cell.live(c.name(), Values.ofUuid(new java.util.UUID(0x1000L | ((long) i << 32), 0)), 0,
                        parts.get(i)));
            }
        }
        return out;
    }
}
