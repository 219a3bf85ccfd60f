package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import io.strata.cql.ast.Ordering;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Selector;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.NativeType;
import io.strata.storage.spi.Bound;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.Slice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An analysed SELECT on a stored table: which partitions (one key, a token range or all), which clustering
 * slice, which columns, order and limits. Execution resolves bound values into a storage ReadQuery.
 * Immutable, thread-safe.
 */
final class SelectPlan {
    record Output(ColumnMetadata column, String label) {}

    record TokenBound(Relation.Operator op, ValueSource value) {}

    final TableMetadata table;
    final List<Output> outputs;
    final List<ValueSource> partitionKey; // null when not a single-partition read
    final TokenBound tokenStart;
    final TokenBound tokenEnd;
    final List<ValueSource> clusteringEq;
    final Relation.Operator startOp;
    final ValueSource startValue;
    final Relation.Operator endOp;
    final ValueSource endValue;
    final boolean reversed;
    final ValueSource limit;
    final ValueSource perPartitionLimit;
    final Set<String> fetchedColumns;

    private SelectPlan(Builder b) {
        this.table = requireNonNull(b.table, "table is null");
        this.outputs = List.copyOf(b.outputs);
        this.partitionKey = b.partitionKey;
        this.tokenStart = b.tokenStart;
        this.tokenEnd = b.tokenEnd;
        this.clusteringEq = List.copyOf(b.clusteringEq);
        this.startOp = b.startOp;
        this.startValue = b.startValue;
        this.endOp = b.endOp;
        this.endValue = b.endValue;
        this.reversed = b.reversed;
        this.limit = b.limit;
        this.perPartitionLimit = b.perPartitionLimit;
        Set<String> fetched = new LinkedHashSet<>();
        for (Output o : outputs) {
            if (!o.column().isPrimaryKey()) {
                fetched.add(o.column().name());
            }
        }
        this.fetchedColumns = fetched;
    }

    List<ColumnSpec> resultColumns() {
        List<ColumnSpec> specs = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            Output o = outputs.get(i);
            specs.add(new ColumnSpec(table.keyspace(), table.name(), o.label(), i, o.column().type().rawType()));
        }
        return specs;
    }

    private static final class Builder {
        TableMetadata table;
        List<Output> outputs = new ArrayList<>();
        List<ValueSource> partitionKey;
        TokenBound tokenStart;
        TokenBound tokenEnd;
        List<ValueSource> clusteringEq = new ArrayList<>();
        Relation.Operator startOp;
        ValueSource startValue;
        Relation.Operator endOp;
        ValueSource endValue;
        boolean reversed;
        ValueSource limit;
        ValueSource perPartitionLimit;
    }

    static SelectPlan analyze(Select s, TableMetadata t, Variables vars) {
        if (s.json()) {
            throw CqlException.invalid("SELECT JSON is not supported yet");
        }
        if (s.distinct()) {
            throw CqlException.invalid("SELECT DISTINCT is not supported yet");
        }
        if (!s.groupBy().isEmpty()) {
            throw CqlException.invalid("GROUP BY is not supported yet");
        }
        Builder b = new Builder();
        b.table = t;
        if (s.selection().isEmpty()) {
            for (ColumnMetadata c : t.columns()) {
                b.outputs.add(new Output(c, c.name()));
            }
        } else {
            for (SelectItem item : s.selection()) {
                if (!(item.selector() instanceof Selector.ColumnRef ref)) {
                    throw CqlException.invalid("Only column names are supported in the selection for now, got " + item.selector());
                }
                ColumnMetadata c = ModificationPlan.column(t, ref.name());
                b.outputs.add(new Output(c, item.alias() != null ? item.alias() : c.name()));
            }
        }

        Map<String, Relation.SingleColumn> eq = new HashMap<>();
        Map<String, List<Relation.SingleColumn>> ranges = new HashMap<>();
        for (Relation r : s.where()) {
            if (r instanceof Relation.Token tr) {
                List<String> pkNames = t.partitionKey().stream().map(ColumnMetadata::name).toList();
                if (!tr.columns().equals(pkNames)) {
                    throw CqlException.invalid("The token function arguments must be in the partition key order: "
                            + String.join(", ", pkNames));
                }
                TokenBound tb = new TokenBound(tr.op(), vars.source(tr.value(), NativeType.BIGINT, "partition key token"));
                switch (tr.op()) {
                    case GT, GTE -> b.tokenStart = tb;
                    case LT, LTE -> b.tokenEnd = tb;
                    case EQ -> {
                        b.tokenStart = new TokenBound(Relation.Operator.GTE, tb.value());
                        b.tokenEnd = new TokenBound(Relation.Operator.LTE, tb.value());
                    }
                    default -> throw CqlException.invalid("Unsupported operator " + tr.op() + " on token()");
                }
                continue;
            }
            if (!(r instanceof Relation.SingleColumn sc)) {
                throw CqlException.invalid("This kind of relation is not supported yet: " + r);
            }
            ColumnMetadata c = ModificationPlan.column(t, sc.column());
            if (!c.isPrimaryKey()) {
                throw CqlException.invalid("Cannot execute this query as it might involve data filtering and thus may have "
                        + "unpredictable performance. If you want to execute this query despite the performance "
                        + "unpredictability, use ALLOW FILTERING (filtering on regular columns is not supported yet)");
            }
            switch (sc.op()) {
                case EQ -> {
                    if (eq.put(c.name(), sc) != null) {
                        throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes an Equal");
                    }
                }
                case LT, LTE, GT, GTE -> {
                    if (c.kind() == ColumnMetadata.Kind.PARTITION_KEY) {
                        throw CqlException.invalid("Only EQ and IN relation are supported on the partition key "
                                + "(unless you use the token() function)");
                    }
                    ranges.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(sc);
                }
                default -> throw CqlException.invalid("Operator " + sc.op() + " is not supported yet on " + c.name());
            }
        }
        int pkRestricted = 0;
        for (ColumnMetadata c : t.partitionKey()) {
            if (eq.containsKey(c.name())) {
                pkRestricted++;
            }
        }
        if (pkRestricted > 0 && pkRestricted < t.partitionKey().size()) {
            List<String> missing = t.partitionKey().stream().map(ColumnMetadata::name).filter(n -> !eq.containsKey(n)).toList();
            throw CqlException.invalid("Cannot execute this query as it might involve data filtering and thus may have "
                    + "unpredictable performance. If you want to execute this query despite the performance unpredictability, "
                    + "use ALLOW FILTERING (partition key parts " + String.join(", ", missing) + " must be restricted as other parts are)");
        }
        if (pkRestricted > 0) {
            if (b.tokenStart != null || b.tokenEnd != null) {
                throw CqlException.invalid("Cannot restrict the partition key both by value and by token()");
            }
            b.partitionKey = new ArrayList<>();
            for (ColumnMetadata c : t.partitionKey()) {
                b.partitionKey.add(vars.source(eq.get(c.name()).value(), c.type(), c.name()));
            }
        }
        boolean gap = false;
        for (ColumnMetadata c : t.clustering()) {
            Relation.SingleColumn r = eq.get(c.name());
            List<Relation.SingleColumn> rs = ranges.get(c.name());
            if (gap && (r != null || rs != null)) {
                throw CqlException.invalid("PRIMARY KEY column \"" + c.name() + "\" cannot be restricted as preceding column "
                        + "is not restricted");
            }
            if (r != null) {
                if (rs != null) {
                    throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes an Equal");
                }
                b.clusteringEq.add(vars.source(r.value(), c.type(), c.name()));
                continue;
            }
            if (rs != null) {
                for (Relation.SingleColumn sc : rs) {
                    boolean lower = sc.op() == Relation.Operator.GT || sc.op() == Relation.Operator.GTE;
                    if (lower ? b.startOp != null : b.endOp != null) {
                        throw CqlException.invalid("More than one restriction was found for the " + (lower ? "start" : "end")
                                + " bound on " + c.name());
                    }
                    if (lower) {
                        b.startOp = sc.op();
                        b.startValue = vars.source(sc.value(), c.type(), c.name());
                    } else {
                        b.endOp = sc.op();
                        b.endValue = vars.source(sc.value(), c.type(), c.name());
                    }
                }
            }
            gap = true;
        }
        if ((b.startOp != null || b.endOp != null || !b.clusteringEq.isEmpty()) && b.partitionKey == null) {
            throw CqlException.invalid("Cannot execute this query as it might involve data filtering and thus may have "
                    + "unpredictable performance. If you want to execute this query despite the performance "
                    + "unpredictability, use ALLOW FILTERING (restricting clustering columns across partitions is not "
                    + "supported yet)");
        }
        if (!s.orderBy().isEmpty()) {
            if (b.partitionKey == null) {
                throw CqlException.invalid("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
            }
            Ordering first = s.orderBy().get(0);
            ColumnMetadata c = ModificationPlan.column(t, first.column());
            if (c.kind() != ColumnMetadata.Kind.CLUSTERING) {
                throw CqlException.invalid("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got " + c.name());
            }
            boolean reversed = false;
            for (int i = 0; i < s.orderBy().size(); i++) {
                Ordering o = s.orderBy().get(i);
                ColumnMetadata oc = ModificationPlan.column(t, o.column());
                if (oc.kind() != ColumnMetadata.Kind.CLUSTERING || oc.position() != i) {
                    throw CqlException.invalid("Order by currently only supports the ordering of columns following their "
                            + "declared order in the PRIMARY KEY");
                }
                boolean r = o.descending() != oc.descending();
                if (i == 0) {
                    reversed = r;
                } else if (r != reversed) {
                    throw CqlException.invalid("Unsupported order by relation");
                }
            }
            b.reversed = reversed;
        }
        if (s.limit() != null) {
            b.limit = vars.source(s.limit(), NativeType.INT, "[limit]");
        }
        if (s.perPartitionLimit() != null) {
            b.perPartitionLimit = vars.source(s.perPartitionLimit(), NativeType.INT, "[per_partition_limit]");
        }
        return new SelectPlan(b);
    }

    /** Clustering slices for one execution. */
    List<Slice> slices(Bindings bind, ExecutionContext ctx) {
        List<byte[]> prefix = new ArrayList<>();
        for (int i = 0; i < clusteringEq.size(); i++) {
            prefix.add(nonNull(clusteringEq.get(i).resolve(bind, ctx), table.clustering().get(i)));
        }
        int n = prefix.size();
        byte[] p = ComparableEncoding.encode(table.clusteringTypes().subList(0, n), table.clusteringDescending().subList(0, n), prefix);
        if (startOp == null && endOp == null) {
            return n == 0 ? List.of(Slice.ALL) : List.of(Slice.prefix(p));
        }
        ColumnMetadata rc = table.clustering().get(n);
        Bound start = new Bound(p, true);
        Bound end = new Bound(p, true);
        for (int side = 0; side < 2; side++) {
            Relation.Operator op = side == 0 ? startOp : endOp;
            ValueSource vs = side == 0 ? startValue : endValue;
            if (op == null) {
                continue;
            }
            List<byte[]> with = new ArrayList<>(prefix);
            with.add(nonNull(vs.resolve(bind, ctx), rc));
            byte[] enc = ComparableEncoding.encode(table.clusteringTypes().subList(0, n + 1),
                    table.clusteringDescending().subList(0, n + 1), with);
            Slice s = ModificationPlan.rangeSlice(p, enc, op, rc.descending());
            if (!s.start().equals(new Bound(p, true))) {
                start = s.start();
            }
            if (!s.end().equals(new Bound(p, true))) {
                end = s.end();
            }
        }
        return List.of(new Slice(start, end));
    }

    PartitionSelection partitions(Bindings bind, ExecutionContext ctx) {
        if (partitionKey != null) {
            return new PartitionSelection.Single(ModificationPlan.partitionKey(table, partitionKey, bind, ctx));
        }
        long start = Long.MIN_VALUE;
        boolean startIncl = true;
        long end = Long.MAX_VALUE;
        boolean endIncl = true;
        if (tokenStart != null) {
            start = tokenValue(tokenStart.value().resolve(bind, ctx));
            startIncl = tokenStart.op() == Relation.Operator.GTE;
        }
        if (tokenEnd != null) {
            end = tokenValue(tokenEnd.value().resolve(bind, ctx));
            endIncl = tokenEnd.op() == Relation.Operator.LTE;
        }
        return new PartitionSelection.TokenRange(start, startIncl, end, endIncl);
    }

    private static long tokenValue(byte[] v) {
        if (v == null || Bindings.isUnset(v) || v.length != 8) {
            throw CqlException.invalid("Invalid null or unset value for token()");
        }
        return ByteBuffer.wrap(v).getLong();
    }

    static int positiveInt(ValueSource s, Bindings bind, ExecutionContext ctx, String what) {
        if (s == null) {
            return Integer.MAX_VALUE;
        }
        byte[] v = s.resolve(bind, ctx);
        if (v == null || Bindings.isUnset(v)) {
            throw CqlException.invalid("Invalid null value of " + what);
        }
        int n = ByteBuffer.wrap(v).getInt();
        if (n <= 0) {
            throw CqlException.invalid(what.substring(0, 1).toUpperCase() + what.substring(1) + " must be strictly positive");
        }
        return n;
    }

    private static byte[] nonNull(byte[] v, ColumnMetadata c) {
        if (v == null) {
            throw CqlException.invalid("Invalid null value in condition for column " + c.name());
        }
        if (Bindings.isUnset(v)) {
            throw CqlException.invalid("Invalid unset value for column " + c.name());
        }
        return v;
    }
}
