package io.strata.cql.analyze;

import io.strata.cql.ast.Ordering;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Selector;
import io.strata.cql.expr.Expr;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Aggregation;
import io.strata.cql.plan.Restrictions;
import io.strata.cql.plan.SelectPlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.NativeType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Analyses a SELECT on a stored table into a {@link SelectPlan}: the selection (with aggregates and GROUP
 * BY), the WHERE clause (through {@link RestrictionAnalyzer}), DISTINCT, ORDER BY and limits, with
 * Cassandra's rules and messages. Stateless.
 */
final class SelectAnalyzer {
    private SelectAnalyzer() {}

    static SelectPlan analyze(Select s, TableMetadata t, Variables vars) {
        Set<String> fetched = new LinkedHashSet<>();
        List<SelectPlan.Output> outputs = new ArrayList<>();
        Aggregation aggregation = null;
        if (s.selection().isEmpty()) {
            if (s.distinct()) {
                throw CqlException.invalid("SELECT DISTINCT * is not supported: select the partition key columns");
            }
            for (ColumnMetadata c : t.columns()) {
                outputs.add(new SelectPlan.Output(c.name(), new Expr.ColumnExpr(c)));
                if (!c.isPrimaryKey()) {
                    fetched.add(c.name());
                }
            }
        } else {
            boolean aggregates = s.selection().stream().anyMatch(i -> SelectionAnalyzer.hasAggregate(i.selector()));
            List<Aggregation.Item> calls = aggregates || !s.groupBy().isEmpty() ? new ArrayList<>() : null;
            SelectionAnalyzer selection = new SelectionAnalyzer(t, vars, fetched, calls);
            for (SelectItem item : s.selection()) {
                Expr e = selection.top(item.selector());
                outputs.add(new SelectPlan.Output(item.alias() != null ? item.alias() : Labels.of(item.selector()), e));
            }
            if (calls != null) {
                aggregation = new Aggregation(calls, groupBy(s, t));
            }
        }
        if (s.distinct()) {
            checkDistinct(s, t);
        }
        Restrictions where = RestrictionAnalyzer.analyze(s.where(), t, vars, RestrictionAnalyzer.Mode.SELECT,
                s.allowFiltering(), fetched);
        boolean clusteringRestricted = where.clustering().fixedColumns() > 0 || where.clustering().range() != null;
        if (s.distinct() && clusteringRestricted) {
            throw CqlException.invalid("SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or "
                    + "static columns.");
        }
        if (clusteringRestricted && !s.selection().isEmpty() && selectsOnlyStatic(outputs, aggregation)) {
            throw CqlException.invalid("Cannot restrict clustering columns when selecting only static columns");
        }
        boolean reversed = s.orderBy().isEmpty() ? false : orderBy(s, t, where);
        ValueSource limit = s.limit() == null ? null : vars.source(s.limit(), NativeType.INT, "[limit]");
        ValueSource perPartitionLimit = s.perPartitionLimit() == null ? null
                : vars.source(s.perPartitionLimit(), NativeType.INT, "[per_partition_limit]");
        if (where.clustering().fixedColumns() == 0 && where.clustering().range() == null) {
            // Cassandra returns a partition holding only static data as one row: its statics must be read.
            t.regularAndStatic().stream().filter(ColumnMetadata::isStatic).forEach(c -> fetched.add(c.name()));
        }
        return new SelectPlan(t, outputs, where, reversed, !s.orderBy().isEmpty(), limit, perPartitionLimit, fetched,
                s.distinct(), s.json(), aggregation);
    }

    /** Whether the selection reads static columns and no clustering or regular column (Cassandra's rule). */
    private static boolean selectsOnlyStatic(List<SelectPlan.Output> outputs, Aggregation aggregation) {
        List<ColumnMetadata> columns = new ArrayList<>();
        for (SelectPlan.Output o : outputs) {
            columns(o.expr(), columns);
        }
        if (aggregation != null) {
            aggregation.items().stream().filter(i -> i.arg() != null).forEach(i -> columns(i.arg(), columns));
        }
        return columns.stream().anyMatch(ColumnMetadata::isStatic) && columns.stream()
                .allMatch(c -> c.isStatic() || c.kind() == ColumnMetadata.Kind.PARTITION_KEY);
    }

    /** The columns an expression reads. */
    private static void columns(Expr e, List<ColumnMetadata> out) {
        if (e instanceof Expr.ColumnExpr c) {
            out.add(c.column());
        } else if (e instanceof Expr.CellMeta m) {
            out.add(m.column());
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(a -> columns(a, out));
        } else if (e instanceof Expr.CastExpr c) {
            columns(c.inner(), out);
        } else if (e instanceof Expr.ToJsonExpr j) {
            columns(j.inner(), out);
        } else if (e instanceof Expr.FieldExpr f) {
            columns(f.inner(), out);
        } else if (e instanceof Expr.ElementExpr el) {
            columns(el.inner(), out);
        } else if (e instanceof Expr.SliceExpr sl) {
            columns(sl.inner(), out);
        } else if (e instanceof Expr.Operation op) {
            columns(op.left(), out);
            columns(op.right(), out);
        } else if (e instanceof Expr.Negation n) {
            columns(n.inner(), out);
        }
    }

    /**
     * GROUP BY: a primary-key prefix; as in Cassandra, key columns restricted by equality may be left out
     * (they are constant, so they join the grouping without changing it).
     */
    private static List<ColumnMetadata> groupBy(Select s, TableMetadata t) {
        List<ColumnMetadata> groupBy = new ArrayList<>();
        List<ColumnMetadata> pkOrder = new ArrayList<>(t.partitionKey());
        pkOrder.addAll(t.clustering());
        Set<String> fixed = new HashSet<>();
        for (Relation r : s.where()) {
            if (r instanceof Relation.SingleColumn sc && sc.op() == Relation.Operator.EQ) {
                fixed.add(sc.column());
            }
        }
        int next = 0;
        for (String name : s.groupBy()) {
            ColumnMetadata c = Analysis.column(t, name);
            if (!c.isPrimaryKey()) {
                throw CqlException.invalid("Group by is currently only supported on the columns of the PRIMARY KEY, got "
                        + c.name());
            }
            while (next < pkOrder.size() && !pkOrder.get(next).equals(c) && fixed.contains(pkOrder.get(next).name())) {
                groupBy.add(pkOrder.get(next++));
            }
            if (next >= pkOrder.size() || !pkOrder.get(next).equals(c)) {
                throw CqlException.invalid("Group by currently only support groups of columns following their declared "
                        + "order in the PRIMARY KEY");
            }
            groupBy.add(c);
            next++;
        }
        if (!groupBy.isEmpty() && groupBy.size() < t.partitionKey().size()) {
            throw CqlException.invalid("Group by currently only support groups of columns following their declared order "
                    + "in the PRIMARY KEY");
        }
        return groupBy;
    }

    private static void checkDistinct(Select s, TableMetadata t) {
        Set<String> selected = new LinkedHashSet<>();
        for (SelectItem item : s.selection()) {
            if (item.selector() instanceof Selector.FunctionCall f && f.name().equalsIgnoreCase("token")) {
                // Cassandra checks the columns a selector reads: token(k) reads only partition key columns
                for (Selector arg : f.args()) {
                    if (!(arg instanceof Selector.ColumnRef r)
                            || Analysis.column(t, r.name()).kind() != ColumnMetadata.Kind.PARTITION_KEY) {
                        throw distinctColumns("");
                    }
                }
                continue;
            }
            if (!(item.selector() instanceof Selector.ColumnRef ref)) {
                throw distinctColumns("");
            }
            ColumnMetadata c = Analysis.column(t, ref.name());
            if (c.kind() != ColumnMetadata.Kind.PARTITION_KEY && !c.isStatic()) {
                throw distinctColumns(" (not " + c.name() + ")");
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

    private static CqlException distinctColumns(String detail) {
        return CqlException.invalid("SELECT DISTINCT queries must only request partition key columns and/or static "
                + "columns" + detail);
    }

    /** Returns whether the read runs in reverse clustering order. */
    private static boolean orderBy(Select s, TableMetadata t, Restrictions where) {
        if (!(where.partition() instanceof Restrictions.PartitionRestriction.Keys keys)) {
            throw CqlException.invalid("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
        }
        boolean reversed = false;
        for (int i = 0; i < s.orderBy().size(); i++) {
            Ordering o = s.orderBy().get(i);
            ColumnMetadata oc = Analysis.column(t, o.column());
            if (oc.kind() != ColumnMetadata.Kind.CLUSTERING) {
                throw CqlException.invalid("Order by is currently only supported on the clustered columns of the PRIMARY "
                        + "KEY, got " + oc.name());
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
        return reversed;
    }
}
