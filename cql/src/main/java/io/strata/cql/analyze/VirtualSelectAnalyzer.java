package io.strata.cql.analyze;

import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Term;
import io.strata.cql.expr.Expr;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.SelectPlan;
import io.strata.cql.plan.VirtualSelectPlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.NativeType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Analyses a SELECT on a system table: selectors as on stored tables (no aggregates), {@code =} and
 * {@code IN} restrictions on any column, LIMIT. Stateless.
 */
final class VirtualSelectAnalyzer {
    private VirtualSelectAnalyzer() {}

    static VirtualSelectPlan analyze(Select s, TableMetadata def, Variables vars) {
        List<ColumnMetadata> cols = def.columns();
        List<SelectPlan.Output> outputs = new ArrayList<>();
        if (s.selection().isEmpty()) {
            for (ColumnMetadata c : cols) {
                outputs.add(new SelectPlan.Output(c.name(), new Expr.ColumnExpr(c)));
            }
        } else {
            SelectionAnalyzer selection = new SelectionAnalyzer(def, vars, new HashSet<>(), null);
            for (SelectItem item : s.selection()) {
                Expr e = selection.top(item.selector());
                outputs.add(new SelectPlan.Output(item.alias() != null ? item.alias() : Labels.of(item.selector()), e));
            }
        }
        List<VirtualSelectPlan.Filter> filters = new ArrayList<>();
        for (Relation r : s.where()) {
            if (!(r instanceof Relation.SingleColumn sc) || (sc.op() != Relation.Operator.EQ && sc.op() != Relation.Operator.IN)) {
                throw CqlException.invalid("Only = and IN restrictions are supported on system tables");
            }
            ColumnMetadata c = Analysis.column(def, sc.column());
            List<ValueSource> any = new ArrayList<>();
            if (sc.op() == Relation.Operator.EQ) {
                any.add(vars.source(sc.value(), c.type(), c.name()));
            } else if (sc.value() instanceof Term.InValues in) {
                for (Term t : in.values()) {
                    any.add(vars.source(t, c.type(), c.name()));
                }
            } else {
                throw CqlException.invalid("IN with a bind marker is not supported on system tables; bind each value: "
                        + c.name() + " IN (?, ?)");
            }
            filters.add(new VirtualSelectPlan.Filter(cols.indexOf(c), any));
        }
        ValueSource limit = s.limit() == null ? null : vars.source(s.limit(), NativeType.INT, "[limit]");
        return new VirtualSelectPlan(def, outputs, filters, limit);
    }
}
