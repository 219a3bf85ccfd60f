package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import io.strata.cql.ast.Ordering;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Selector;
import io.strata.cql.ast.Term;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.storage.spi.Bound;
import io.strata.storage.spi.Murmur3;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.Slice;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An analysed SELECT on a stored table: which partitions (keys from EQ/IN, a token range, or all), which
 * clustering slices (EQ/IN prefixes, a single- or multi-column range), which expressions, post-read filters
 * (ALLOW FILTERING), DISTINCT, aggregation and GROUP BY, order and limits. Execution resolves bound values
 * into storage reads. Immutable, thread-safe.
 */
final class SelectPlan {
    /** Keyspaces' cap on the subqueries an IN expands to. */
    static final int MAX_IN_SUBQUERIES = 100;

    record Output(String label, Selection.Expr expr) {}

    record TokenBound(Relation.Operator op, ValueSource value) {}

    /** The values one key column is restricted to: one (EQ), several (IN literal), or a bound list ({@code IN ?}). */
    record KeyValues(List<ValueSource> values, ValueSource list) {
        List<byte[]> resolve(Bindings b, ExecutionContext ctx, ColumnMetadata c) {
            List<byte[]> out = new ArrayList<>();
            if (list != null) {
                byte[] v = list.resolve(b, ctx);
                if (v == null || Bindings.isUnset(v)) {
                    throw CqlException.invalid("Invalid null value for IN restriction on " + c.name());
                }
                out.addAll(CollectionCodec.elements(v, false));
                return out;
            }
            for (ValueSource s : values) {
                out.add(nonNull(s.resolve(b, ctx), c));
            }
            return out;
        }
    }

    /** A clustering range over {@code columns} consecutive columns after the EQ/IN prefix (multi-column when > 1). */
    record Range(int columns, Relation.Operator startOp, List<ValueSource> start, Relation.Operator endOp, List<ValueSource> end) {}

    /** A restriction checked on each row after the read (ALLOW FILTERING). */
    record Filter(ColumnMetadata column, Relation.Operator op, ValueSource value, DataType valueType) {}

    final TableMetadata table;
    final List<Output> outputs;
    final List<KeyValues> partitionKey; // null when not restricted by key
    final TokenBound tokenStart;
    final TokenBound tokenEnd;
    final List<KeyValues> clusteringPrefix;
    final List<List<ValueSource>> multiIn; // (c1, c2) IN ((..), (..)), else null
    final Range range;
    final boolean reversed;
    final ValueSource limit;
    final ValueSource perPartitionLimit;
    final Set<String> fetchedColumns;
    final boolean distinct;
    final List<Filter> filters;
    final Aggregation aggregation; // null when no aggregate

    private SelectPlan(Builder b) {
        this.table = requireNonNull(b.table, "table is null");
        this.outputs = List.copyOf(b.outputs);
        this.partitionKey = b.partitionKey;
        this.tokenStart = b.tokenStart;
        this.tokenEnd = b.tokenEnd;
        this.clusteringPrefix = List.copyOf(b.clusteringPrefix);
        this.multiIn = b.multiIn;
        this.range = b.range;
        this.reversed = b.reversed;
        this.limit = b.limit;
        this.perPartitionLimit = b.perPartitionLimit;
        this.fetchedColumns = Set.copyOf(b.fetched);
        this.distinct = b.distinct;
        this.filters = List.copyOf(b.filters);
        this.aggregation = b.aggregation;
        this.json = b.json;
    }

    /** SELECT JSON: every result row becomes one {@code [json]} text column holding the selected values. */
    final boolean json;

    /** For SELECT JSON: the selected labels and types, in order. */
    List<String> outputLabels() {
        return outputs.stream().map(Output::label).toList();
    }

    List<io.strata.cql.types.DataType> outputTypes() {
        return outputs.stream().map(o -> o.expr().type()).toList();
    }

    List<ColumnSpec> resultColumns() {
        if (json) {
            return List.of(new ColumnSpec(table.keyspace(), table.name(), "[json]", 0,
                    io.strata.cql.types.NativeType.TEXT.rawType()));
        }
        List<ColumnSpec> specs = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            Output o = outputs.get(i);
            specs.add(new ColumnSpec(table.keyspace(), table.name(), o.label(), i, o.expr().type().rawType()));
        }
        return specs;
    }

    /** The partition-key values when each key column has exactly one EQ value (for routing), else null. */
    List<ValueSource> singlePartitionKey() {
        if (partitionKey == null) {
            return null;
        }
        List<ValueSource> out = new ArrayList<>();
        for (KeyValues kv : partitionKey) {
            if (kv.list() != null || kv.values().size() != 1) {
                return null;
            }
            out.add(kv.values().get(0));
        }
        return out;
    }

    private static final class Builder {
        TableMetadata table;
        List<Output> outputs = new ArrayList<>();
        List<KeyValues> partitionKey;
        TokenBound tokenStart;
        TokenBound tokenEnd;
        List<KeyValues> clusteringPrefix = new ArrayList<>();
        List<List<ValueSource>> multiIn;
        Range range;
        boolean reversed;
        ValueSource limit;
        ValueSource perPartitionLimit;
        Set<String> fetched = new LinkedHashSet<>();
        boolean distinct;
        boolean json;
        List<Filter> filters = new ArrayList<>();
        Aggregation aggregation;
    }

    private static CqlException needsFiltering(String detail) {
        return CqlException.invalid("Cannot execute this query as it might involve data filtering and thus may have "
                + "unpredictable performance. If you want to execute this query despite the performance "
                + "unpredictability, use ALLOW FILTERING" + (detail == null ? "" : " (" + detail + ")"));
    }

    static SelectPlan analyze(Select s, TableMetadata t, Variables vars) {
        Builder b = new Builder();
        b.json = s.json();
        b.table = t;
        b.distinct = s.distinct();
        if (s.selection().isEmpty()) {
            if (s.distinct()) {
                throw CqlException.invalid("SELECT DISTINCT * is not supported: select the partition key columns");
            }
            for (ColumnMetadata c : t.columns()) {
                b.outputs.add(new Output(c.name(), new Selection.ColumnExpr(c)));
                if (!c.isPrimaryKey()) {
                    b.fetched.add(c.name());
                }
            }
        } else if (Aggregation.isAggregate(s.selection())) {
            b.aggregation = Aggregation.analyze(s, t, vars, b.fetched);
            for (int i = 0; i < s.selection().size(); i++) {
                SelectItem item = s.selection().get(i);
                b.outputs.add(new Output(item.alias() != null ? item.alias() : Aggregation.label(item.selector()),
                        b.aggregation.typeOf(i)));
            }
        } else {
            if (!s.groupBy().isEmpty()) {
                b.aggregation = Aggregation.analyze(s, t, vars, b.fetched);
            }
            for (SelectItem item : s.selection()) {
                Selection.Expr e = Selection.analyze(item.selector(), t, vars, b.fetched);
                b.outputs.add(new Output(item.alias() != null ? item.alias() : Selection.describe(item.selector()), e));
            }
        }
        if (s.distinct()) {
            checkDistinct(s, t);
        }
        restrictions(s, t, vars, b);
        if (!s.orderBy().isEmpty()) {
            orderBy(s, t, b);
        }
        if (s.limit() != null) {
            b.limit = vars.source(s.limit(), NativeType.INT, "[limit]");
        }
        if (s.perPartitionLimit() != null) {
            b.perPartitionLimit = vars.source(s.perPartitionLimit(), NativeType.INT, "[per_partition_limit]");
        }
        return new SelectPlan(b);
    }

    private static void checkDistinct(Select s, TableMetadata t) {
        Set<String> selected = new LinkedHashSet<>();
        for (SelectItem item : s.selection()) {
            if (item.selector() instanceof Selector.FunctionCall f && f.name().equalsIgnoreCase("token")) {
                // Cassandra checks the columns a selector reads: token(k) reads only partition key columns
                for (Selector arg : f.args()) {
                    if (!(arg instanceof Selector.ColumnRef r)
                            || ModificationPlan.column(t, r.name()).kind() != ColumnMetadata.Kind.PARTITION_KEY) {
                        throw CqlException.invalid("SELECT DISTINCT queries must only request partition key columns "
                                + "and/or static columns");
                    }
                }
                continue;
            }
            if (!(item.selector() instanceof Selector.ColumnRef ref)) {
                throw CqlException.invalid("SELECT DISTINCT queries must only request partition key columns and/or static columns");
            }
            ColumnMetadata c = ModificationPlan.column(t, ref.name());
            if (c.kind() != ColumnMetadata.Kind.PARTITION_KEY && !c.isStatic()) {
                throw CqlException.invalid("SELECT DISTINCT queries must only request partition key columns and/or static "
                        + "columns (not " + c.name() + ")");
            }
            selected.add(c.name());
        }
        for (ColumnMetadata c : t.partitionKey()) {
            if (!selected.contains(c.name())) {
                throw CqlException.invalid("SELECT DISTINCT queries must request all the partition key columns (missing "
                        + c.name() + ")");
            }
        }
    }

    private static void restrictions(Select s, TableMetadata t, Variables vars, Builder b) {
        Map<String, Relation.SingleColumn> eq = new HashMap<>();
        Map<String, List<Relation.SingleColumn>> ranges = new HashMap<>();
        List<Relation.SingleColumn> others = new ArrayList<>();
        List<Relation.MultiColumn> multi = new ArrayList<>();
        for (Relation r : s.where()) {
            if (r instanceof Relation.Token tr) {
                token(tr, t, vars, b);
                continue;
            }
            if (r instanceof Relation.MultiColumn mc) {
                multi.add(mc);
                continue;
            }
            if (!(r instanceof Relation.SingleColumn sc)) {
                throw CqlException.invalid("This kind of relation is not supported yet: " + r);
            }
            ColumnMetadata c = ModificationPlan.column(t, sc.column());
            if (!c.isPrimaryKey()) {
                others.add(sc);
                continue;
            }
            switch (sc.op()) {
                case EQ, IN -> {
                    if (eq.put(c.name(), sc) != null) {
                        throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes an "
                                + (sc.op() == Relation.Operator.EQ ? "Equal" : "IN"));
                    }
                }
                case LT, LTE, GT, GTE -> {
                    if (c.kind() == ColumnMetadata.Kind.PARTITION_KEY) {
                        if (!s.allowFiltering()) {
                            throw CqlException.invalid("Only EQ and IN relation are supported on the partition key "
                                    + "(unless you use the token() function or allow filtering)");
                        }
                        others.add(sc);
                        continue;
                    }
                    ranges.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(sc);
                }
                default -> {
                    if (!s.allowFiltering()) {
                        throw needsFiltering(null);
                    }
                    others.add(sc);
                }
            }
        }
        // Partition key: usable when every column is restricted by EQ or IN.
        int pkRestricted = 0;
        for (ColumnMetadata c : t.partitionKey()) {
            if (eq.containsKey(c.name())) {
                pkRestricted++;
            }
        }
        if (pkRestricted == t.partitionKey().size()) {
            if (b.tokenStart != null || b.tokenEnd != null) {
                throw CqlException.invalid("Cannot restrict the partition key both by value and by token()");
            }
            b.partitionKey = new ArrayList<>();
            for (ColumnMetadata c : t.partitionKey()) {
                b.partitionKey.add(keyValues(eq.remove(c.name()), c, vars));
            }
        } else if (pkRestricted > 0) {
            if (!s.allowFiltering()) {
                List<String> missing = t.partitionKey().stream().map(ColumnMetadata::name).filter(n -> !eq.containsKey(n)).toList();
                throw needsFiltering("partition key parts " + String.join(", ", missing) + " must be restricted as other parts are");
            }
            for (ColumnMetadata c : t.partitionKey()) {
                Relation.SingleColumn r = eq.remove(c.name());
                if (r != null) {
                    others.add(r);
                }
            }
        }
        boolean hasClusteringRestriction = !multi.isEmpty();
        if (!multi.isEmpty()) {
            if (!eq.isEmpty() && eq.keySet().stream().anyMatch(n -> t.column(n).kind() == ColumnMetadata.Kind.CLUSTERING)
                    || !ranges.isEmpty()) {
                throw CqlException.invalid("Mixing single column relations and multi column relations on clustering columns is not allowed");
            }
            for (Relation.MultiColumn mc : multi) {
                multiColumn(mc, t, vars, b);
            }
        } else {
            boolean gap = false;
            for (ColumnMetadata c : t.clustering()) {
                Relation.SingleColumn r = eq.get(c.name());
                List<Relation.SingleColumn> rs = ranges.get(c.name());
                if (r == null && rs == null) {
                    gap = true;
                    continue;
                }
                hasClusteringRestriction = true;
                if (gap || b.range != null) {
                    if (!s.allowFiltering()) {
                        throw CqlException.invalid("PRIMARY KEY column \"" + c.name() + "\" cannot be restricted as preceding "
                                + "column is not restricted");
                    }
                    if (r != null) {
                        others.add(r);
                    }
                    if (rs != null) {
                        others.addAll(rs);
                    }
                    continue;
                }
                if (r != null) {
                    if (rs != null) {
                        throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes an Equal");
                    }
                    b.clusteringPrefix.add(keyValues(r, c, vars));
                    continue;
                }
                Relation.Operator startOp = null;
                Relation.Operator endOp = null;
                ValueSource start = null;
                ValueSource end = null;
                for (Relation.SingleColumn sc : rs) {
                    boolean lower = sc.op() == Relation.Operator.GT || sc.op() == Relation.Operator.GTE;
                    if (lower ? startOp != null : endOp != null) {
                        throw CqlException.invalid("More than one restriction was found for the " + (lower ? "start" : "end")
                                + " bound on " + c.name());
                    }
                    if (lower) {
                        startOp = sc.op();
                        start = vars.source(sc.value(), c.type(), c.name());
                    } else {
                        endOp = sc.op();
                        end = vars.source(sc.value(), c.type(), c.name());
                    }
                }
                b.range = new Range(1, startOp, start == null ? null : List.of(start), endOp, end == null ? null : List.of(end));
            }
        }
        if (hasClusteringRestriction && b.partitionKey == null && !s.allowFiltering()) {
            throw needsFiltering(null);
        }
        for (Relation.SingleColumn sc : others) {
            if (!s.allowFiltering()) {
                throw needsFiltering(null);
            }
            b.filters.add(filter(sc, t, vars));
            ColumnMetadata c = t.column(sc.column());
            if (!c.isPrimaryKey()) {
                b.fetched.add(c.name());
            }
        }
        if (b.distinct && (!b.clusteringPrefix.isEmpty() || b.range != null || b.multiIn != null)) {
            throw CqlException.invalid("SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or "
                    + "static columns.");
        }
    }

    private static void token(Relation.Token tr, TableMetadata t, Variables vars, Builder b) {
        List<String> pkNames = t.partitionKey().stream().map(ColumnMetadata::name).toList();
        if (!tr.columns().equals(pkNames)) {
            throw CqlException.invalid("The token function arguments must be in the partition key order: "
                    + String.join(", ", pkNames));
        }
        TokenBound tb = new TokenBound(tr.op(), tokenSource(tr.value(), t, vars));
        switch (tr.op()) {
            case GT, GTE -> b.tokenStart = tb;
            case LT, LTE -> b.tokenEnd = tb;
            case EQ -> {
                b.tokenStart = new TokenBound(Relation.Operator.GTE, tb.value());
                b.tokenEnd = new TokenBound(Relation.Operator.LTE, tb.value());
            }
            default -> throw CqlException.invalid("Unsupported operator " + tr.op() + " on token()");
        }
    }

    /** {@code token(k) > ?} binds a bigint; {@code token(k) > token(?)} computes the token of the bound key. */
    private static ValueSource tokenSource(Term value, TableMetadata t, Variables vars) {
        if (value instanceof Term.FunctionCall f && f.name().equalsIgnoreCase("token")) {
            if (f.args().size() != t.partitionKey().size()) {
                throw CqlException.invalid("Invalid number of arguments in call to function token: "
                        + t.partitionKey().size() + " required but " + f.args().size() + " provided");
            }
            List<ValueSource> parts = new ArrayList<>();
            for (int i = 0; i < f.args().size(); i++) {
                ColumnMetadata c = t.partitionKey().get(i);
                parts.add(vars.source(f.args().get(i), c.type(), c.name()));
            }
            return new ValueSource.Call(new Functions.Scalar("token", List.of(), NativeType.BIGINT, true,
                    (args, ctx) -> io.strata.cql.types.Values.ofLong(Murmur3.token(PartitionKeys.serialize(args)))), parts);
        }
        return vars.source(value, NativeType.BIGINT, "partition key token");
    }

    private static KeyValues keyValues(Relation.SingleColumn r, ColumnMetadata c, Variables vars) {
        if (r.op() == Relation.Operator.EQ) {
            return new KeyValues(List.of(vars.source(r.value(), c.type(), c.name())), null);
        }
        if (r.value() instanceof Term.InValues in) {
            List<ValueSource> values = new ArrayList<>();
            for (Term v : in.values()) {
                values.add(vars.source(v, c.type(), c.name()));
            }
            return new KeyValues(values, null);
        }
        DataType listType = new CollectionType(CollectionType.Kind.LIST, c.type(), null, false);
        return new KeyValues(List.of(), vars.source(r.value(), listType, "in(" + c.name() + ")"));
    }

    private static void multiColumn(Relation.MultiColumn mc, TableMetadata t, Variables vars, Builder b) {
        List<ColumnMetadata> cols = new ArrayList<>();
        for (int i = 0; i < mc.columns().size(); i++) {
            ColumnMetadata c = ModificationPlan.column(t, mc.columns().get(i));
            if (c.kind() != ColumnMetadata.Kind.CLUSTERING) {
                throw CqlException.invalid("Multi-column relations can only be applied to clustering columns but was applied to: "
                        + c.name());
            }
            if (c.position() != i) {
                throw CqlException.invalid("Clustering columns must appear in the PRIMARY KEY order in multi-column relations: "
                        + String.join(", ", mc.columns()));
            }
            cols.add(c);
        }
        TupleType tupleType = new TupleType(cols.stream().map(ColumnMetadata::type).toList());
        String receiver = "(" + String.join(",", mc.columns()) + ")";
        switch (mc.op()) {
            case EQ -> {
                if (!b.clusteringPrefix.isEmpty() || b.multiIn != null || b.range != null) {
                    throw CqlException.invalid("Clustering columns " + receiver + " are restricted more than once");
                }
                List<ValueSource> parts = tuple(mc.value(), tupleType, receiver, vars);
                for (ValueSource p : parts) {
                    b.clusteringPrefix.add(new KeyValues(List.of(p), null));
                }
            }
            case IN -> {
                if (!(mc.value() instanceof Term.InValues in)) {
                    throw CqlException.invalid("Multi-column IN with a single bind marker is not supported yet");
                }
                if (!b.clusteringPrefix.isEmpty() || b.multiIn != null || b.range != null) {
                    throw CqlException.invalid("Clustering columns " + receiver + " are restricted more than once");
                }
                b.multiIn = new ArrayList<>();
                for (Term v : in.values()) {
                    b.multiIn.add(tuple(v, tupleType, receiver, vars));
                }
            }
            case LT, LTE, GT, GTE -> {
                boolean desc = cols.get(0).descending();
                for (ColumnMetadata c : cols) {
                    if (c.descending() != desc) {
                        throw CqlException.invalid("Multi-column slices over columns of mixed clustering order are not supported yet");
                    }
                }
                if (!b.clusteringPrefix.isEmpty() || b.multiIn != null) {
                    throw CqlException.invalid("Mixing multi-column equality or IN with a multi-column slice is not supported yet");
                }
                List<ValueSource> parts = tuple(mc.value(), tupleType, receiver, vars);
                boolean lower = mc.op() == Relation.Operator.GT || mc.op() == Relation.Operator.GTE;
                Range prev = b.range == null ? new Range(cols.size(), null, null, null, null) : b.range;
                if (lower ? prev.startOp() != null : prev.endOp() != null) {
                    throw CqlException.invalid("More than one restriction was found for the " + (lower ? "start" : "end")
                            + " bound on " + receiver);
                }
                b.range = lower ? new Range(cols.size(), mc.op(), parts, prev.endOp(), prev.end())
                        : new Range(cols.size(), prev.startOp(), prev.start(), mc.op(), parts);
            }
            default -> throw CqlException.invalid("Unsupported operator " + mc.op() + " in a multi-column relation");
        }
    }

    /** The components of a tuple term: written out, or taken apart from a bound tuple at execution. */
    private static List<ValueSource> tuple(Term value, TupleType type, String receiver, Variables vars) {
        List<ValueSource> parts = new ArrayList<>();
        if (value instanceof Term.TupleLiteral tl) {
            if (tl.elements().size() != type.elements().size()) {
                throw CqlException.invalid("Expected " + type.elements().size() + " elements in value tuple, but got "
                        + tl.elements().size() + ": " + value);
            }
            for (int i = 0; i < tl.elements().size(); i++) {
                parts.add(vars.source(tl.elements().get(i), type.elements().get(i), receiver + "[" + i + "]"));
            }
            return parts;
        }
        ValueSource whole = vars.source(value, type, receiver);
        for (int i = 0; i < type.elements().size(); i++) {
            int idx = i;
            parts.add(new ValueSource.Call(new Functions.Scalar("component", List.of(type), type.elements().get(i), true,
                    (args, ctx) -> {
                        List<byte[]> c = io.strata.cql.types.TypedValues.components(args.get(0), type.elements().size());
                        return idx < c.size() ? c.get(idx) : null;
                    }), List.of(whole)));
        }
        return parts;
    }

    private static Filter filter(Relation.SingleColumn sc, TableMetadata t, Variables vars) {
        ColumnMetadata c = ModificationPlan.column(t, sc.column());
        DataType type = c.type();
        switch (sc.op()) {
            case EQ, NEQ, LT, LTE, GT, GTE -> {
                return new Filter(c, sc.op(), vars.source(sc.value(), type, c.name()), type);
            }
            case IN -> {
                DataType listType = new CollectionType(CollectionType.Kind.LIST, type, null, false);
                if (sc.value() instanceof Term.InValues in) {
                    return new Filter(c, sc.op(), vars.source(new Term.ListLiteral(in.values()), listType, c.name()), listType);
                }
                return new Filter(c, sc.op(), vars.source(sc.value(), listType, "in(" + c.name() + ")"), listType);
            }
            case CONTAINS, CONTAINS_KEY -> {
                if (!(type instanceof CollectionType ct) || sc.op() == Relation.Operator.CONTAINS_KEY
                        && ct.kind() != CollectionType.Kind.MAP) {
                    throw CqlException.invalid("Cannot use " + sc.op().cql() + " on non-" + (sc.op() == Relation.Operator.CONTAINS
                            ? "collection" : "map") + " column " + c.name());
                }
                DataType element = sc.op() == Relation.Operator.CONTAINS_KEY || ct.kind() != CollectionType.Kind.MAP
                        ? ct.keyOrElement() : ct.value();
                return new Filter(c, sc.op(), vars.source(sc.value(), element, c.name()), element);
            }
            default -> throw CqlException.invalid("Operator " + sc.op().cql() + " is not supported yet on " + c.name());
        }
    }

    private static void orderBy(Select s, TableMetadata t, Builder b) {
        if (b.partitionKey == null) {
            throw CqlException.invalid("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
        }
        for (KeyValues kv : b.partitionKey) {
            if (kv.list() != null || kv.values().size() > 1) {
                throw CqlException.invalid("ORDER BY with an IN restriction on the partition key is not supported yet; "
                        + "sort client side");
            }
        }
        boolean reversed = false;
        for (int i = 0; i < s.orderBy().size(); i++) {
            Ordering o = s.orderBy().get(i);
            ColumnMetadata oc = ModificationPlan.column(t, o.column());
            if (oc.kind() != ColumnMetadata.Kind.CLUSTERING) {
                throw CqlException.invalid("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got "
                        + oc.name());
            }
            if (oc.position() != i) {
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

    // ---- execution ------------------------------------------------------------------------------------

    /** Clustering slices for one execution, sorted and non-overlapping, in clustering order. */
    List<Slice> slices(Bindings bind, ExecutionContext ctx) {
        List<List<byte[]>> prefixes = new ArrayList<>();
        prefixes.add(List.of());
        if (multiIn != null) {
            prefixes.clear();
            for (List<ValueSource> tuple : multiIn) {
                List<byte[]> p = new ArrayList<>();
                for (int i = 0; i < tuple.size(); i++) {
                    p.add(nonNull(tuple.get(i).resolve(bind, ctx), table.clustering().get(i)));
                }
                prefixes.add(p);
            }
        }
        for (int i = 0; i < clusteringPrefix.size(); i++) {
            List<byte[]> values = clusteringPrefix.get(i).resolve(bind, ctx, table.clustering().get(i));
            List<List<byte[]>> next = new ArrayList<>();
            for (List<byte[]> p : prefixes) {
                for (byte[] v : values) {
                    List<byte[]> q = new ArrayList<>(p);
                    q.add(v);
                    next.add(q);
                }
            }
            prefixes = next;
        }
        if (prefixes.size() > MAX_IN_SUBQUERIES) {
            throw tooManySubqueries(prefixes.size());
        }
        TreeMap<byte[], Slice> sorted = new TreeMap<>(Arrays::compareUnsigned);
        for (List<byte[]> prefix : prefixes) {
            int n = prefix.size();
            byte[] p = ComparableEncoding.encode(table.clusteringTypes().subList(0, n), table.clusteringDescending().subList(0, n), prefix);
            sorted.put(p, range == null ? (n == 0 ? Slice.ALL : Slice.prefix(p)) : rangeSlice(prefix, p, bind, ctx));
        }
        return List.copyOf(sorted.values());
    }

    private Slice rangeSlice(List<byte[]> prefix, byte[] p, Bindings bind, ExecutionContext ctx) {
        int n = prefix.size();
        Bound start = new Bound(p, true);
        Bound end = new Bound(p, true);
        boolean descending = table.clustering().get(n).descending();
        for (int side = 0; side < 2; side++) {
            Relation.Operator op = side == 0 ? range.startOp() : range.endOp();
            List<ValueSource> vs = side == 0 ? range.start() : range.end();
            if (op == null) {
                continue;
            }
            List<byte[]> with = new ArrayList<>(prefix);
            for (int i = 0; i < vs.size(); i++) {
                with.add(nonNull(vs.get(i).resolve(bind, ctx), table.clustering().get(n + i)));
            }
            int m = with.size();
            byte[] enc = ComparableEncoding.encode(table.clusteringTypes().subList(0, m), table.clusteringDescending().subList(0, m), with);
            Slice s = ModificationPlan.rangeSlice(p, enc, op, descending);
            if (!s.start().equals(new Bound(p, true))) {
                start = s.start();
            }
            if (!s.end().equals(new Bound(p, true))) {
                end = s.end();
            }
        }
        return new Slice(start, end);
    }

    /** The partition keys of a key-restricted read, in token order (Cassandra's order for IN), deduplicated. */
    List<PartitionKey> partitionKeys(Bindings bind, ExecutionContext ctx) {
        List<List<byte[]>> combos = new ArrayList<>();
        combos.add(List.of());
        for (int i = 0; i < partitionKey.size(); i++) {
            List<byte[]> values = partitionKey.get(i).resolve(bind, ctx, table.partitionKey().get(i));
            List<List<byte[]>> next = new ArrayList<>();
            for (List<byte[]> p : combos) {
                for (byte[] v : values) {
                    List<byte[]> q = new ArrayList<>(p);
                    q.add(v);
                    next.add(q);
                }
            }
            combos = next;
        }
        if (combos.size() > MAX_IN_SUBQUERIES) {
            throw tooManySubqueries(combos.size());
        }
        TreeMap<PartitionKey, PartitionKey> sorted = new TreeMap<>((a, b) -> {
            int c = Long.compare(Murmur3.token(a.key()), Murmur3.token(b.key()));
            return c != 0 ? c : Arrays.compareUnsigned(a.key(), b.key());
        });
        for (List<byte[]> combo : combos) {
            List<ValueSource> constants = new ArrayList<>();
            for (byte[] v : combo) {
                constants.add(new ValueSource.Constant(v));
            }
            PartitionKey k = ModificationPlan.partitionKey(table, constants, bind, ctx);
            sorted.put(k, k);
        }
        return List.copyOf(sorted.keySet());
    }

    private static CqlException tooManySubqueries(int n) {
        return CqlException.invalid("The IN restrictions of this query expand to " + n + " subqueries; at most "
                + MAX_IN_SUBQUERIES + " are allowed");
    }

    PartitionSelection.TokenRange tokenRange(Bindings bind, ExecutionContext ctx) {
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

    /** Resolved filters of one execution. */
    record BoundFilter(Filter filter, byte[] value) {}

    List<BoundFilter> boundFilters(Bindings bind, ExecutionContext ctx) {
        List<BoundFilter> out = new ArrayList<>(filters.size());
        for (Filter f : filters) {
            byte[] v = f.value().resolve(bind, ctx);
            if (v == null || Bindings.isUnset(v)) {
                throw CqlException.invalid("Unsupported null or unset value for column " + f.column().name());
            }
            out.add(new BoundFilter(f, v));
        }
        return out;
    }

    /** Whether a row passes every filter. */
    static boolean accepts(List<BoundFilter> filters, Selection.RowView row) {
        for (BoundFilter bf : filters) {
            Filter f = bf.filter();
            byte[] actual = new Selection.ColumnExpr(f.column()).eval(row);
            if (actual == null) {
                return false;
            }
            DataType type = f.column().type();
            boolean ok = switch (f.op()) {
                case EQ -> compare(type, actual, bf.value()) == 0;
                case NEQ -> compare(type, actual, bf.value()) != 0;
                case LT -> compare(type, actual, bf.value()) < 0;
                case LTE -> compare(type, actual, bf.value()) <= 0;
                case GT -> compare(type, actual, bf.value()) > 0;
                case GTE -> compare(type, actual, bf.value()) >= 0;
                case IN -> CollectionCodec.elements(bf.value(), false).stream().anyMatch(v -> compare(type, actual, v) == 0);
                case CONTAINS, CONTAINS_KEY -> {
                    CollectionType ct = (CollectionType) type;
                    boolean map = ct.kind() == CollectionType.Kind.MAP;
                    List<byte[]> parts = CollectionCodec.elements(actual, map);
                    boolean found = false;
                    for (int i = 0; i < parts.size(); i++) {
                        boolean isKey = !map || i % 2 == 0;
                        boolean wanted = f.op() == Relation.Operator.CONTAINS_KEY ? isKey : (!map || !isKey);
                        if (wanted && compare(f.valueType(), parts.get(i), bf.value()) == 0) {
                            found = true;
                            break;
                        }
                    }
                    yield found;
                }
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int compare(DataType type, byte[] a, byte[] b) {
        if (type == NativeType.DURATION) {
            // Durations have no order; only (in)equality is meaningful.
            return Arrays.equals(a, b) ? 0 : 1;
        }
        return io.strata.cql.types.TypedValues.comparator(type).compare(a, b);
    }

    static int positiveInt(ValueSource s, Bindings bind, ExecutionContext ctx, String what) {
        if (s == null) {
            return Integer.MAX_VALUE;
        }
        byte[] v = s.resolve(bind, ctx);
        if (Bindings.isUnset(v)) {
            return Integer.MAX_VALUE; // as Cassandra: an unset LIMIT means no limit
        }
        if (v == null) {
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
