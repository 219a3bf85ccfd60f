package io.strata.cql.analyze;

import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.ast.Term;
import io.strata.cql.expr.Functions;
import io.strata.cql.expr.PartitionKeys;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Restrictions;
import io.strata.cql.plan.Restrictions.Clustering;
import io.strata.cql.plan.Restrictions.Filter;
import io.strata.cql.plan.Restrictions.KeyValues;
import io.strata.cql.plan.Restrictions.PartitionRestriction;
import io.strata.cql.plan.Restrictions.Range;
import io.strata.cql.plan.Restrictions.TokenBound;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.Values;
import io.strata.storage.spi.Murmur3;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one analysis of WHERE clauses, shared by SELECT, UPDATE, DELETE and conditional statements: sorts
 * relations into partition, clustering and filter restrictions with Cassandra's rules and messages. A
 * SELECT may filter (ALLOW FILTERING) what cannot be read by key; a modification must name its rows by
 * key, so everything else is refused. Statement-specific rules (full clustering for UPDATE, DISTINCT,
 * conditions) are checked by the statement's analyzer on the result. Stateless.
 */
final class RestrictionAnalyzer {
    /** Which statement the clause belongs to. */
    enum Mode { SELECT, MODIFICATION }

    private RestrictionAnalyzer() {}

    /** A primary key part restricted in a way only filtering serves: SELECT ... ALLOW FILTERING alone accepts it. */
    private static Relation.SingleColumn filteredKeyPart(Relation.SingleColumn sc, ColumnMetadata c, boolean select,
            boolean allowFiltering) {
        if (!select) {
            throw CqlException.invalid("Invalid operator " + sc.op().cql() + " for PRIMARY KEY part " + c.name());
        }
        if (!allowFiltering) {
            throw needsFiltering();
        }
        return sc;
    }

    static CqlException needsFiltering() {
        return CqlException.invalid("Cannot execute this query as it might involve data filtering and thus may have "
                + "unpredictable performance. If you want to execute this query despite the performance "
                + "unpredictability, use ALLOW FILTERING");
    }

    /**
     * @param fetched collects the stored non-key columns filters read (SELECT)
     */
    static Restrictions analyze(List<Relation> where, TableMetadata t, Variables vars, Mode mode, boolean allowFiltering,
            Set<String> fetched) {
        boolean select = mode == Mode.SELECT;
        Map<String, Relation.SingleColumn> eq = new LinkedHashMap<>();
        Map<String, List<Relation.SingleColumn>> ranges = new HashMap<>();
        List<Relation.SingleColumn> others = new ArrayList<>();
        List<Relation.MultiColumn> multi = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        List<String> nonKey = new ArrayList<>();
        TokenBound[] token = new TokenBound[2];
        for (Relation r : where) {
            if (r instanceof Relation.Token tr) {
                if (!select) {
                    throw CqlException.invalid("The token function cannot be used in WHERE clauses for UPDATE and DELETE "
                            + "statements: " + String.join(", ", tr.columns()));
                }
                token(tr, t, vars, token);
            } else if (r instanceof Relation.MultiColumn mc) {
                multi.add(mc);
            } else if (r instanceof Relation.ElementOf el) {
                if (!select) {
                    nonKey.add(el.column());
                    continue;
                }
                if (!allowFiltering) {
                    throw needsFiltering();
                }
                filters.add(elementFilter(el, t, vars));
                fetched.add(el.column());
            } else {
                Relation.SingleColumn sc = (Relation.SingleColumn) r;
                ColumnMetadata c = Analysis.column(t, sc.column());
                if (!c.isPrimaryKey()) {
                    if (select) {
                        others.add(sc);
                    } else {
                        nonKey.add(c.name());
                    }
                    continue;
                }
                switch (sc.op()) {
                    case EQ, IN -> {
                        if (eq.put(c.name(), sc) != null) {
                            throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it "
                                    + "includes an " + (sc.op() == Operator.EQ ? "Equal" : "IN"));
                        }
                    }
                    case LT, LTE, GT, GTE -> {
                        if (c.kind() == ColumnMetadata.Kind.PARTITION_KEY) {
                            others.add(filteredKeyPart(sc, c, select, allowFiltering));
                        } else {
                            ranges.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(sc);
                        }
                    }
                    default -> others.add(filteredKeyPart(sc, c, select, allowFiltering));
                }
            }
        }
        if (!nonKey.isEmpty()) {
            // Cassandra's message, trailing space included.
            throw CqlException.invalid("Non PRIMARY KEY columns found in where clause: " + String.join(", ", nonKey) + " ");
        }
        PartitionRestriction partition = partition(t, vars, eq, others, token, select, allowFiltering);
        Clustering clustering = multi.isEmpty() ? singleColumns(t, vars, eq, ranges, others, select, allowFiltering)
                : multiColumns(t, vars, eq, ranges, multi);
        boolean clusteringRestricted = clustering.fixedColumns() > 0 || clustering.range() != null;
        if (select && clusteringRestricted && !(partition instanceof PartitionRestriction.Keys) && !allowFiltering) {
            throw needsFiltering();
        }
        for (Relation.SingleColumn sc : others) {
            if (!allowFiltering) {
                throw needsFiltering();
            }
            filters.add(filter(sc, t, vars));
            ColumnMetadata c = t.column(sc.column());
            if (!c.isPrimaryKey()) {
                fetched.add(c.name());
            }
        }
        return new Restrictions(partition, clustering, filters);
    }

    private static PartitionRestriction partition(TableMetadata t, Variables vars, Map<String, Relation.SingleColumn> eq,
            List<Relation.SingleColumn> others, TokenBound[] token, boolean select, boolean allowFiltering) {
        List<String> missing = new ArrayList<>();
        for (ColumnMetadata c : t.partitionKey()) {
            if (!eq.containsKey(c.name())) {
                missing.add(c.name());
            }
        }
        if (missing.isEmpty()) {
            List<KeyValues> columns = new ArrayList<>();
            for (ColumnMetadata c : t.partitionKey()) {
                columns.add(keyValues(eq.remove(c.name()), c, vars));
            }
            // As Cassandra 5: a token range next to key values keeps the keys whose token is in the range.
            PartitionRestriction.TokenRange within = token[0] != null || token[1] != null
                    ? new PartitionRestriction.TokenRange(token[0], token[1]) : null;
            return new PartitionRestriction.Keys(columns, within);
        }
        if (!select) {
            throw CqlException.invalid("Some partition key parts are missing: " + String.join(", ", missing));
        }
        if (missing.size() < t.partitionKey().size()) {
            if (!allowFiltering) {
                throw CqlException.invalid("Cannot execute this query as it might involve data filtering and thus may "
                        + "have unpredictable performance. If you want to execute this query despite the performance "
                        + "unpredictability, use ALLOW FILTERING (partition key parts " + String.join(", ", missing)
                        + " must be restricted as other parts are)");
            }
            for (ColumnMetadata c : t.partitionKey()) {
                Relation.SingleColumn r = eq.remove(c.name());
                if (r != null) {
                    others.add(r);
                }
            }
        }
        if (token[0] != null || token[1] != null) {
            return new PartitionRestriction.TokenRange(token[0], token[1]);
        }
        return new PartitionRestriction.All();
    }

    private static Clustering singleColumns(TableMetadata t, Variables vars, Map<String, Relation.SingleColumn> eq,
            Map<String, List<Relation.SingleColumn>> ranges, List<Relation.SingleColumn> others, boolean select,
            boolean allowFiltering) {
        List<KeyValues> prefix = new ArrayList<>();
        Range range = null;
        String unrestricted = null;
        String rangeColumn = null;
        for (ColumnMetadata c : t.clustering()) {
            Relation.SingleColumn r = eq.get(c.name());
            List<Relation.SingleColumn> rs = ranges.get(c.name());
            if (r == null && rs == null) {
                if (unrestricted == null) {
                    unrestricted = c.name();
                }
                continue;
            }
            if (unrestricted != null || rangeColumn != null) {
                if (select && allowFiltering) {
                    if (r != null) {
                        others.add(r);
                    }
                    if (rs != null) {
                        others.addAll(rs);
                    }
                    continue;
                }
                if (rangeColumn != null && unrestricted == null) {
                    throw CqlException.invalid("Clustering column \"" + c.name() + "\" cannot be restricted (preceding "
                            + "column \"" + rangeColumn + "\" is restricted by a non-EQ relation)");
                }
                throw CqlException.invalid("PRIMARY KEY column \"" + c.name() + "\" cannot be restricted as preceding "
                        + "column \"" + unrestricted + "\" is not restricted");
            }
            if (r != null) {
                if (rs != null) {
                    throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes "
                            + "an Equal");
                }
                prefix.add(keyValues(r, c, vars));
                continue;
            }
            Operator startOp = null;
            Operator endOp = null;
            ValueSource start = null;
            ValueSource end = null;
            for (Relation.SingleColumn sc : rs) {
                boolean lower = sc.op() == Operator.GT || sc.op() == Operator.GTE;
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
            range = new Range(1, startOp, start == null ? null : List.of(start), endOp, end == null ? null : List.of(end));
            rangeColumn = c.name();
        }
        return new Clustering(prefix, null, range);
    }

    private static Clustering multiColumns(TableMetadata t, Variables vars, Map<String, Relation.SingleColumn> eq,
            Map<String, List<Relation.SingleColumn>> ranges, List<Relation.MultiColumn> multi) {
        String first = t.clustering().isEmpty() ? null : t.clustering().get(0).name();
        boolean onlyFirstSlices = ranges.keySet().stream().allMatch(n -> n.equals(first));
        if (eq.keySet().stream().anyMatch(n -> t.column(n).kind() == ColumnMetadata.Kind.CLUSTERING) || !onlyFirstSlices) {
            throw CqlException.invalid("Mixing single column relations and multi column relations on clustering columns "
                    + "is not allowed");
        }
        List<KeyValues> prefix = new ArrayList<>();
        List<List<ValueSource>> multiIn = null;
        Range range = null;
        for (Relation.MultiColumn mc : multi) {
            List<ColumnMetadata> cols = new ArrayList<>();
            for (int i = 0; i < mc.columns().size(); i++) {
                ColumnMetadata c = Analysis.column(t, mc.columns().get(i));
                if (c.kind() != ColumnMetadata.Kind.CLUSTERING) {
                    throw CqlException.invalid("Multi-column relations can only be applied to clustering columns but was "
                            + "applied to: " + c.name());
                }
                if (c.position() != i) {
                    throw CqlException.invalid("Clustering columns must appear in the PRIMARY KEY order in multi-column "
                            + "relations: " + String.join(", ", mc.columns()));
                }
                cols.add(c);
            }
            TupleType tupleType = new TupleType(cols.stream().map(ColumnMetadata::type).toList());
            String receiver = "(" + String.join(",", mc.columns()) + ")";
            switch (mc.op()) {
                case EQ -> {
                    if (!prefix.isEmpty() || multiIn != null || range != null) {
                        throw CqlException.invalid("Clustering columns " + receiver + " are restricted more than once");
                    }
                    for (ValueSource p : tuple(mc.value(), tupleType, receiver, vars)) {
                        prefix.add(KeyValues.eq(p));
                    }
                }
                case IN -> {
                    if (!prefix.isEmpty() || multiIn != null || range != null) {
                        throw CqlException.invalid("Clustering columns " + receiver + " are restricted more than once");
                    }
                    if (!(mc.value() instanceof Term.InValues in)) {
                        throw CqlException.invalid("Multi-column IN with a single bind marker is not supported; bind each "
                                + "tuple: " + receiver + " IN (?, ?)");
                    }
                    multiIn = new ArrayList<>();
                    for (Term v : in.values()) {
                        multiIn.add(tuple(v, tupleType, receiver, vars));
                    }
                }
                case LT, LTE, GT, GTE -> {
                    boolean desc = cols.get(0).descending();
                    for (ColumnMetadata c : cols) {
                        if (c.descending() != desc) {
                            throw CqlException.invalid("Multi-column slices over columns of mixed clustering order are "
                                    + "not supported");
                        }
                    }
                    if (!prefix.isEmpty() || multiIn != null) {
                        throw CqlException.invalid("Mixing multi-column equality or IN with a multi-column slice is not "
                                + "supported");
                    }
                    List<ValueSource> parts = tuple(mc.value(), tupleType, receiver, vars);
                    boolean lower = mc.op() == Operator.GT || mc.op() == Operator.GTE;
                    Range prev = range == null ? new Range(cols.size(), null, null, null, null) : range;
                    if (lower ? prev.startOp() != null : prev.endOp() != null) {
                        throw CqlException.invalid("More than one restriction was found for the " + (lower ? "start" : "end")
                                + " bound on " + receiver);
                    }
                    range = lower ? new Range(Math.max(prev.columns(), cols.size()), mc.op(), parts, prev.endOp(), prev.end())
                            : new Range(Math.max(prev.columns(), cols.size()), prev.startOp(), prev.start(), mc.op(), parts);
                }
                default -> throw CqlException.invalid("Unsupported operator " + mc.op().cql() + " in a multi-column relation");
            }
        }
        if (!ranges.isEmpty()) {
            // Cassandra 5 merges slices of the first clustering column into a multi-column slice: (c, d) > (1, 1) AND c < 3.
            if (range == null || !prefix.isEmpty() || multiIn != null) {
                throw CqlException.invalid("Mixing single column relations and multi column relations on clustering "
                        + "columns is not allowed");
            }
            ColumnMetadata c = t.clustering().get(0);
            for (Relation.SingleColumn sc : ranges.get(first)) {
                boolean lower = sc.op() == Operator.GT || sc.op() == Operator.GTE;
                if (lower ? range.startOp() != null : range.endOp() != null) {
                    throw CqlException.invalid("More than one restriction was found for the " + (lower ? "start" : "end")
                            + " bound on " + c.name());
                }
                List<ValueSource> v = List.of(vars.source(sc.value(), c.type(), c.name()));
                range = lower ? new Range(range.columns(), sc.op(), v, range.endOp(), range.end())
                        : new Range(range.columns(), range.startOp(), range.start(), sc.op(), v);
            }
        }
        return new Clustering(prefix, multiIn, range);
    }

    private static void token(Relation.Token tr, TableMetadata t, Variables vars, TokenBound[] bounds) {
        List<String> pkNames = t.partitionKey().stream().map(ColumnMetadata::name).toList();
        if (!tr.columns().equals(pkNames)) {
            throw CqlException.invalid("The token function arguments must be in the partition key order: "
                    + String.join(", ", pkNames));
        }
        TokenBound tb = new TokenBound(tr.op(), tokenSource(tr.value(), t, vars));
        switch (tr.op()) {
            case GT, GTE -> bounds[0] = tb;
            case LT, LTE -> bounds[1] = tb;
            case EQ -> {
                bounds[0] = new TokenBound(Operator.GTE, tb.value());
                bounds[1] = new TokenBound(Operator.LTE, tb.value());
            }
            default -> throw CqlException.invalid("Unsupported operator " + tr.op().cql() + " on token()");
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
                    (args, ctx) -> Values.ofLong(Murmur3.token(PartitionKeys.serialize(args)))), parts);
        }
        return vars.source(value, NativeType.BIGINT, "partition key token");
    }

    static KeyValues keyValues(Relation.SingleColumn r, ColumnMetadata c, Variables vars) {
        if (r.op() == Operator.EQ) {
            return KeyValues.eq(vars.source(r.value(), c.type(), c.name()));
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
                        List<byte[]> c = TypedValues.components(args.get(0), type.elements().size());
                        return idx < c.size() ? c.get(idx) : null;
                    }), List.of(whole)));
        }
        return parts;
    }

    private static Filter filter(Relation.SingleColumn sc, TableMetadata t, Variables vars) {
        ColumnMetadata c = Analysis.column(t, sc.column());
        DataType type = c.type();
        switch (sc.op()) {
            case EQ, NEQ, LT, LTE, GT, GTE -> {
                return new Filter(c, null, sc.op(), vars.source(sc.value(), type, c.name()), type);
            }
            case IN -> {
                DataType listType = new CollectionType(CollectionType.Kind.LIST, type, null, false);
                if (sc.value() instanceof Term.InValues in) {
                    return new Filter(c, null, sc.op(), vars.source(new Term.ListLiteral(in.values()), listType, c.name()),
                            listType);
                }
                return new Filter(c, null, sc.op(), vars.source(sc.value(), listType, "in(" + c.name() + ")"), listType);
            }
            case CONTAINS, CONTAINS_KEY -> {
                if (!(type instanceof CollectionType ct) || sc.op() == Operator.CONTAINS_KEY
                        && ct.kind() != CollectionType.Kind.MAP) {
                    throw CqlException.invalid("Cannot use " + sc.op().cql() + " on non-" + (sc.op() == Operator.CONTAINS
                            ? "collection" : "map") + " column " + c.name());
                }
                DataType element = sc.op() == Operator.CONTAINS_KEY || ct.kind() != CollectionType.Kind.MAP
                        ? ct.keyOrElement() : ct.value();
                return new Filter(c, null, sc.op(), vars.source(sc.value(), element, c.name()), element);
            }
            default -> throw CqlException.invalid("Operator " + sc.op().cql() + " is not supported on " + c.name());
        }
    }

    /** {@code m['k'] op v} on a map column (filtering). */
    private static Filter elementFilter(Relation.ElementOf el, TableMetadata t, Variables vars) {
        ColumnMetadata c = Analysis.column(t, el.column());
        if (!(c.type() instanceof CollectionType ct) || ct.kind() != CollectionType.Kind.MAP) {
            throw CqlException.invalid("Invalid element access syntax for non-map column " + c.name()
                    + ": only map entries can be restricted");
        }
        switch (el.op()) {
            case EQ, NEQ, LT, LTE, GT, GTE -> {
                ValueSource key = vars.source(el.key(), ct.keyOrElement(), "key(" + c.name() + ")");
                ValueSource value = vars.source(el.value(), ct.value(), c.name() + "[" + el.key() + "]");
                return new Filter(c, key, el.op(), value, ct.value());
            }
            default -> throw CqlException.invalid("Operator " + el.op().cql() + " is not supported on a map entry of "
                    + c.name());
        }
    }
}
