package io.strata.cql.analyze;

import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Term;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Condition;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Analyses the column conditions of a lightweight transaction ({@code IF c op v AND ...}): {@code =},
 * {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=} and {@code IN} on regular and static columns,
 * whole or on a list/map element or a UDT field. Stateless.
 */
final class ConditionAnalyzer {
    private ConditionAnalyzer() {}

    static Condition.IfColumns analyze(List<io.strata.cql.ast.Condition> conditions, TableMetadata t, Variables vars) {
        List<Condition.ColumnCondition> out = new ArrayList<>();
        for (io.strata.cql.ast.Condition c : conditions) {
            ColumnMetadata col = Analysis.column(t, c.column());
            if (col.isPrimaryKey()) {
                throw CqlException.invalid("PRIMARY KEY column '" + col.name() + "' cannot have IF conditions");
            }
            ValueSource element = null;
            DataType valueType = col.type();
            String label = col.name();
            if (c.element() != null) {
                if (!(col.type() instanceof io.strata.cql.types.CollectionType ct)
                        || ct.kind() == io.strata.cql.types.CollectionType.Kind.SET) {
                    throw CqlException.invalid("Invalid element access syntax for " + (col.type() instanceof
                            io.strata.cql.types.CollectionType ? "set" : "non-collection") + " column " + col.name());
                }
                boolean list = ct.kind() == io.strata.cql.types.CollectionType.Kind.LIST;
                element = vars.source(c.element(), list ? io.strata.cql.types.NativeType.INT : ct.keyOrElement(),
                        (list ? "idx(" : "key(") + col.name() + ")");
                valueType = list ? ct.keyOrElement() : ct.value();
                label = "value(" + col.name() + ")";
            } else if (c.field() != null) {
                if (!(col.type() instanceof io.strata.cql.types.UserType ut)) {
                    throw CqlException.invalid("Invalid field selection " + col.name() + "." + c.field()
                            + ": " + col.name() + " is not a user type");
                }
                int idx = ut.fieldNames().indexOf(c.field());
                if (idx < 0) {
                    throw CqlException.invalid("UDT column " + col.name() + " does not have a field named " + c.field());
                }
                valueType = ut.fieldTypes().get(idx);
                label = col.name() + "." + c.field();
            }
            List<ValueSource> values = new ArrayList<>();
            boolean boundList = false;
            switch (c.op()) {
                case EQ, NEQ, LT, LTE, GT, GTE -> values.add(vars.source(c.value(), valueType, label));
                case IN -> {
                    if (!(c.value() instanceof Term.InValues in)) {
                        // IN ?: one bound list of candidates
                        values.add(vars.source(c.value(), new io.strata.cql.types.CollectionType(
                                io.strata.cql.types.CollectionType.Kind.LIST, valueType, null, false), "in(" + label + ")"));
                        boundList = true;
                        break;
                    }
                    for (Term v : in.values()) {
                        values.add(vars.source(v, valueType, label));
                    }
                }
                default -> throw CqlException.invalid("Unsupported operator " + c.op().cql() + " in IF condition on " + col.name());
            }
            if (element == null && c.field() == null && !col.type().isFrozen() && c.op() != Relation.Operator.EQ
                    && c.op() != Relation.Operator.NEQ && c.op() != Relation.Operator.IN
                    && (col.type() instanceof io.strata.cql.types.CollectionType || col.type() instanceof io.strata.cql.types.UserType)) {
                throw CqlException.invalid("Slice conditions are not supported on non-frozen collections or UDTs: " + col.name());
            }
            out.add(new Condition.ColumnCondition(col, element, c.field(), valueType, c.op(), values, boundList));
        }
        return new Condition.IfColumns(out);
    }

}
