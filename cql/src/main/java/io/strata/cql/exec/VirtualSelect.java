package io.strata.cql.exec;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Selector;
import io.strata.cql.ast.Term;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.VirtualTable;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * A SELECT on a system table: equality and IN filters on any column (system tables are tiny, so no
 * ALLOW FILTERING is needed), a column list or {@code *}, LIMIT, and offset-based paging. Immutable.
 */
final class VirtualSelect {
    private record Filter(int column, List<ValueSource> anyOf) {}

    private final TableMetadata table;
    private final int[] projection;
    private final List<ColumnSpec> resultColumns;
    private final List<Filter> filters;
    private final ValueSource limit;

    private VirtualSelect(TableMetadata table, int[] projection, List<ColumnSpec> resultColumns, List<Filter> filters,
            ValueSource limit) {
        this.table = table;
        this.projection = projection;
        this.resultColumns = resultColumns;
        this.filters = filters;
        this.limit = limit;
    }

    TableMetadata table() {
        return table;
    }

    List<ColumnSpec> resultColumns() {
        return resultColumns;
    }

    static VirtualSelect analyze(Select s, TableMetadata def, Variables vars) {
        List<ColumnMetadata> cols = def.columns();
        List<Integer> proj = new ArrayList<>();
        List<ColumnSpec> specs = new ArrayList<>();
        if (s.selection().isEmpty()) {
            for (int i = 0; i < cols.size(); i++) {
                proj.add(i);
                specs.add(new ColumnSpec(def.keyspace(), def.name(), cols.get(i).name(), i, cols.get(i).type().rawType()));
            }
        } else {
            for (SelectItem item : s.selection()) {
                if (!(item.selector() instanceof Selector.ColumnRef ref)) {
                    throw CqlException.invalid("Only column names are supported when selecting from system tables");
                }
                int idx = indexOf(cols, ref.name());
                if (idx < 0) {
                    throw CqlException.invalid("Undefined column name " + ref.name() + " in table " + def.keyspace() + "." + def.name());
                }
                proj.add(idx);
                specs.add(new ColumnSpec(def.keyspace(), def.name(), item.alias() != null ? item.alias() : ref.name(),
                        specs.size(), cols.get(idx).type().rawType()));
            }
        }
        List<Filter> filters = new ArrayList<>();
        for (Relation r : s.where()) {
            if (!(r instanceof Relation.SingleColumn sc) || (sc.op() != Relation.Operator.EQ && sc.op() != Relation.Operator.IN)) {
                throw CqlException.invalid("Only = and IN restrictions are supported on system tables");
            }
            int idx = indexOf(cols, sc.column());
            if (idx < 0) {
                throw CqlException.invalid("Undefined column name " + sc.column() + " in table " + def.keyspace() + "." + def.name());
            }
            ColumnMetadata c = cols.get(idx);
            List<ValueSource> any = new ArrayList<>();
            if (sc.op() == Relation.Operator.EQ) {
                any.add(vars.source(sc.value(), c.type(), c.name()));
            } else if (sc.value() instanceof Term.InValues in) {
                for (Term t : in.values()) {
                    any.add(vars.source(t, c.type(), c.name()));
                }
            } else {
                throw CqlException.invalid("IN with a bind marker is not supported on system tables");
            }
            filters.add(new Filter(idx, any));
        }
        ValueSource limit = s.limit() == null ? null : vars.source(s.limit(), io.strata.cql.types.NativeType.INT, "[limit]");
        return new VirtualSelect(def, proj.stream().mapToInt(Integer::intValue).toArray(), specs, filters, limit);
    }

    private static int indexOf(List<ColumnMetadata> cols, String name) {
        for (int i = 0; i < cols.size(); i++) {
            if (cols.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    Message execute(VirtualTable vt, Bindings b, ExecutionContext ctx, QueryOptions options) {
        List<List<byte[]>> matching = new ArrayList<>();
        List<List<byte[]>> wanted = new ArrayList<>();
        for (Filter f : filters) {
            List<byte[]> vals = new ArrayList<>();
            for (ValueSource vs : f.anyOf()) {
                vals.add(vs.resolve(b, ctx));
            }
            wanted.add(vals);
        }
        for (List<byte[]> row : vt.rows()) {
            boolean ok = true;
            for (int i = 0; i < filters.size() && ok; i++) {
                byte[] actual = row.get(filters.get(i).column());
                ok = wanted.get(i).stream().anyMatch(w -> w != null && actual != null && Arrays.equals(w, actual));
            }
            if (ok) {
                matching.add(row);
            }
        }
        int userLimit = SelectPlan.positiveInt(limit, b, ctx, "limit");
        PagingState ps = options.pagingState == null ? null : PagingState.deserialize(options.pagingState);
        int offset = ps == null ? 0 : Math.max(0, ps.virtualOffset());
        int remaining = ps == null ? userLimit : ps.remaining();
        int pageSize = options.pageSize > 0 ? options.pageSize : Integer.MAX_VALUE;
        int end = (int) Math.min((long) matching.size(), (long) offset + Math.min(pageSize, remaining));
        Queue<List<ByteBuffer>> rows = new ArrayDeque<>();
        for (int i = offset; i < end; i++) {
            List<byte[]> row = matching.get(i);
            List<ByteBuffer> out = new ArrayList<>(projection.length);
            for (int p : projection) {
                byte[] v = row.get(p);
                out.add(v == null ? null : ByteBuffer.wrap(v));
            }
            rows.add(out);
        }
        int left = remaining == Integer.MAX_VALUE ? Integer.MAX_VALUE : remaining - rows.size();
        ByteBuffer paging = end < matching.size() && left > 0 ? PagingState.atOffset(end, left).serialize() : null;
        RowsMetadata md = options.skipMetadata ? new RowsMetadata(resultColumns.size(), paging, null, null)
                : new RowsMetadata(resultColumns, paging, null, null);
        return new DefaultRows(md, rows);
    }
}
