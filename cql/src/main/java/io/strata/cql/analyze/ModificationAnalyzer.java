package io.strata.cql.analyze;

import io.strata.cql.ast.Assignment;
import io.strata.cql.ast.Delete;
import io.strata.cql.ast.DeleteTarget;
import io.strata.cql.ast.Insert;
import io.strata.cql.ast.Update;
import io.strata.cql.ast.Using;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Condition;
import io.strata.cql.plan.ConditionalPlan;
import io.strata.cql.plan.ModificationPlan;
import io.strata.cql.plan.ModificationPlan.ColumnOp;
import io.strata.cql.plan.ModificationPlan.Kind;
import io.strata.cql.plan.ModificationPlan.Op;
import io.strata.cql.plan.Plan;
import io.strata.cql.plan.Restrictions;
import io.strata.cql.plan.Restrictions.KeyValues;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Analyses INSERT, UPDATE and DELETE into a {@link ModificationPlan}, or a {@link ConditionalPlan} when the
 * statement has a condition: column operations with their types, the rows written (WHERE through
 * {@link RestrictionAnalyzer}, INSERT's key columns as EQ restrictions), USING TTL/TIMESTAMP, with
 * Cassandra's rules and messages. Stateless.
 */
final class ModificationAnalyzer {
    private ModificationAnalyzer() {}

    /** A statement's write and its condition (null when unconditional). */
    record Analyzed(ModificationPlan write, Condition condition) {
        Plan plan() {
            return condition == null ? write : new ConditionalPlan(write.table(), List.of(new ConditionalPlan.Statement(write,
                    condition)), false);
        }
    }

    static Analyzed insert(Insert s, TableMetadata t, Variables vars) {
        if (s.json() != null) {
            return insertJson(s, t, vars);
        }
        if (s.columns().size() != s.values().size()) {
            throw CqlException.invalid("Unmatched column names/values");
        }
        Map<String, ValueSource> byColumn = new HashMap<>();
        List<ColumnOp> ops = new ArrayList<>();
        for (int i = 0; i < s.columns().size(); i++) {
            String name = s.columns().get(i);
            ColumnMetadata c = Analysis.column(t, name);
            if (byColumn.containsKey(name)) {
                throw CqlException.invalid("Multiple definitions found for column " + name);
            }
            ValueSource v = vars.source(s.values().get(i), c.type(), name);
            byColumn.put(name, v);
            if (!c.isPrimaryKey()) {
                if (c.type() == NativeType.COUNTER) {
                    throw CqlException.invalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
                }
                ops.add(ColumnOp.set(c, v));
            }
        }
        List<KeyValues> pk = new ArrayList<>();
        for (ColumnMetadata c : t.partitionKey()) {
            ValueSource v = byColumn.get(c.name());
            if (v == null) {
                throw CqlException.invalid("Some partition key parts are missing: " + c.name());
            }
            pk.add(KeyValues.eq(v));
        }
        List<KeyValues> ck = new ArrayList<>();
        for (ColumnMetadata c : t.clustering()) {
            ValueSource v = byColumn.get(c.name());
            if (v == null) {
                if (!ops.isEmpty() && ops.stream().allMatch(o -> o.column().isStatic())) {
                    break;
                }
                throw CqlException.invalid("Some clustering keys are missing: " + c.name());
            }
            ck.add(KeyValues.eq(v));
        }
        return insertPlan(s, t, vars, pk, ck, ops);
    }

    /** INSERT JSON: every column of the table takes its value from the document (see ValueSource.FromJson). */
    private static Analyzed insertJson(Insert s, TableMetadata t, Variables vars) {
        ValueSource doc = vars.source(s.json(), NativeType.TEXT, "[json]");
        Set<String> names = new HashSet<>();
        t.columns().forEach(c -> names.add(c.name()));
        List<ColumnOp> ops = new ArrayList<>();
        List<KeyValues> pk = new ArrayList<>();
        List<KeyValues> ck = new ArrayList<>();
        for (ColumnMetadata c : t.columns()) {
            ValueSource v = new ValueSource.FromJson(doc, c.name(), c.type(), s.defaultUnset(), c.isPrimaryKey(),
                    Set.copyOf(names));
            switch (c.kind()) {
                case PARTITION_KEY -> pk.add(KeyValues.eq(v));
                case CLUSTERING -> ck.add(KeyValues.eq(v));
                default -> {
                    if (c.type() == NativeType.COUNTER) {
                        throw CqlException.invalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
                    }
                    ops.add(ColumnOp.set(c, v));
                }
            }
        }
        return insertPlan(s, t, vars, pk, ck, ops);
    }

    private static Analyzed insertPlan(Insert s, TableMetadata t, Variables vars, List<KeyValues> pk, List<KeyValues> ck,
            List<ColumnOp> ops) {
        Using u = s.using() == null ? Using.NONE : s.using();
        Restrictions where = new Restrictions(new Restrictions.PartitionRestriction.Keys(pk),
                new Restrictions.Clustering(ck, null, null), List.of());
        ModificationPlan plan = new ModificationPlan(Kind.INSERT, t, where, ops, ttl(u, vars), timestamp(u, vars));
        return conditional(plan, s.ifNotExists() ? Condition.IF_NOT_EXISTS : null, u);
    }

    static Analyzed update(Update s, TableMetadata t, Variables vars) {
        List<ColumnOp> ops = new ArrayList<>();
        Set<String> wholeColumnSets = new HashSet<>();
        for (Assignment a : s.assignments()) {
            ColumnMetadata c = Analysis.column(t, a.column());
            if (c.isPrimaryKey()) {
                throw CqlException.invalid("PRIMARY KEY part " + c.name() + " found in SET part");
            }
            if (a instanceof Assignment.SetColumn && !wholeColumnSets.add(c.name())) {
                throw CqlException.syntax("Multiple incompatible setting of column " + c.name());
            }
            ops.add(assignment(a, c, vars));
        }
        Restrictions where = RestrictionAnalyzer.analyze(s.where(), t, vars, RestrictionAnalyzer.Mode.MODIFICATION, false,
                new HashSet<>());
        Restrictions.Clustering ck = where.clustering();
        boolean onlyStatic = ops.stream().allMatch(o -> o.column().isStatic());
        if (onlyStatic && ck.fixedColumns() > 0) {
            throw CqlException.invalid("Invalid restrictions on clustering columns since the UPDATE statement modifies "
                    + "only static columns");
        }
        if (ck.range() != null) {
            throw CqlException.invalid("Slice restrictions are not supported on the clustering columns in UPDATE "
                    + "statements");
        }
        if (!onlyStatic) {
            requireFullClustering(t, ck);
        }
        Using u = s.using() == null ? Using.NONE : s.using();
        if (u.ttl() != null && ModificationPlan.isCounterTable(t)) {
            throw CqlException.invalid("Cannot provide custom TTL for counter updates");
        }
        if (u.timestamp() != null && ModificationPlan.isCounterTable(t)) {
            throw CqlException.invalid("Cannot provide custom timestamp for counter updates");
        }
        ModificationPlan plan = new ModificationPlan(Kind.UPDATE, t, where, ops, ttl(u, vars), timestamp(u, vars));
        Condition condition = s.ifExists() ? Condition.IF_EXISTS
                : s.conditions().isEmpty() ? null : ConditionAnalyzer.analyze(s.conditions(), t, vars);
        return conditional(plan, condition, u);
    }

    static Analyzed delete(Delete s, TableMetadata t, Variables vars) {
        Using u = s.using() == null ? Using.NONE : s.using();
        if (u.ttl() != null) {
            throw CqlException.invalid("Cannot provide custom TTL for a DELETE");
        }
        List<ColumnOp> ops = new ArrayList<>();
        for (DeleteTarget target : s.targets()) {
            ops.add(deletion(target, t, vars));
        }
        Restrictions where = RestrictionAnalyzer.analyze(s.where(), t, vars, RestrictionAnalyzer.Mode.MODIFICATION, false,
                new HashSet<>());
        Restrictions.Clustering ck = where.clustering();
        if (!ops.isEmpty()) {
            boolean onlyStatic = ops.stream().allMatch(o -> o.column().isStatic());
            boolean full = ck.fixedColumns() == t.clustering().size() && ck.range() == null;
            if (!full && !(onlyStatic && ck.fixedColumns() == 0 && ck.range() == null)) {
                throw CqlException.invalid("Range deletions are not supported for specific columns");
            }
        }
        ModificationPlan plan = new ModificationPlan(Kind.DELETE, t, where, ops, null, timestamp(u, vars));
        Condition condition = s.ifExists() ? Condition.IF_EXISTS
                : s.conditions().isEmpty() ? null : ConditionAnalyzer.analyze(s.conditions(), t, vars);
        return conditional(plan, condition, u);
    }

    private static void requireFullClustering(TableMetadata t, Restrictions.Clustering ck) {
        int fixed = ck.fixedColumns();
        if (fixed < t.clustering().size()) {
            List<String> missing = new ArrayList<>();
            for (int i = fixed; i < t.clustering().size(); i++) {
                missing.add(t.clustering().get(i).name());
            }
            throw CqlException.invalid("Some clustering keys are missing: " + String.join(", ", missing));
        }
    }

    /**
     * Makes a statement conditional, with Cassandra's rules: the full primary key (or only the partition key when
     * the statement and its conditions touch only static columns), no IN on clustering, no counters, no custom
     * timestamp.
     */
    private static Analyzed conditional(ModificationPlan plan, Condition condition, Using u) {
        if (condition == null) {
            return new Analyzed(plan, null);
        }
        TableMetadata t = plan.table();
        Restrictions.Clustering ck = plan.where().clustering();
        // As Cassandra: a statement and conditions that touch only static columns need only the partition key.
        boolean staticOnly = plan.onlyStatic()
                && (!(condition instanceof Condition.IfColumns cols) || cols.onlyStatic());
        if (ck.hasIn()) {
            throw CqlException.invalid("IN on the clustering key columns is not supported with conditional "
                    + (plan.kind() == Kind.DELETE ? "deletions" : "updates"));
        }
        if (!plan.partitionKeys().single()) {
            throw CqlException.invalid("IN on the partition key is not supported with conditional "
                    + (plan.kind() == Kind.DELETE ? "deletions" : "updates"));
        }
        boolean full = ck.range() == null && ck.fixedColumns() == t.clustering().size();
        if (!full && !(staticOnly && ck.fixedColumns() == 0 && ck.range() == null)) {
            if (plan.kind() == Kind.DELETE) {
                throw CqlException.invalid("DELETE statements must restrict all PRIMARY KEY columns with equality relations "
                        + "in order to delete non static columns");
            }
            requireFullClustering(t, ck);
        }
        if (plan.isCounter()) {
            throw CqlException.invalid("Conditional updates are not supported on counter tables");
        }
        if (u.timestamp() != null) {
            throw CqlException.invalid("Cannot provide custom timestamp for conditional updates");
        }
        return new Analyzed(plan, condition);
    }

    private static ValueSource ttl(Using u, Variables vars) {
        return u.ttl() == null ? null : vars.source(u.ttl(), NativeType.INT, "[ttl]");
    }

    private static ValueSource timestamp(Using u, Variables vars) {
        return u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]");
    }

    private static ColumnOp deletion(DeleteTarget target, TableMetadata t, Variables vars) {
        ColumnMetadata c = Analysis.column(t, target.column());
        if (c.isPrimaryKey()) {
            throw CqlException.invalid("Invalid identifier " + c.name() + " for deletion (should not be a PRIMARY KEY part)");
        }
        if (target.element() != null) {
            if (!(c.type() instanceof CollectionType ct) || ct.isFrozen()) {
                throw CqlException.invalid("Invalid deletion operation for non collection column " + c.name());
            }
            DataType keyType = ct.kind() == CollectionType.Kind.LIST ? NativeType.INT : ct.keyOrElement();
            return new ColumnOp(c, Op.DELETE_ELEMENT, null, vars.source(target.element(), keyType,
                    (ct.kind() == CollectionType.Kind.LIST ? "idx(" : "key(") + c.name() + ")"), null);
        }
        if (target.field() != null) {
            if (!(c.type() instanceof UserType ut) || ut.isFrozen()) {
                throw CqlException.invalid("Invalid field deletion operation for non-UDT column " + c.name());
            }
            if (!ut.fieldNames().contains(target.field())) {
                throw CqlException.invalid("UDT column " + c.name() + " does not have a field named " + target.field());
            }
            return new ColumnOp(c, Op.DELETE_FIELD, null, null, target.field());
        }
        return new ColumnOp(c, Op.DELETE, null, null, null);
    }

    private static ColumnOp assignment(Assignment a, ColumnMetadata c, Variables vars) {
        DataType type = c.type();
        CollectionType multiCell = type instanceof CollectionType ct && !ct.isFrozen() ? ct : null;
        if (a instanceof Assignment.SetColumn set) {
            if (type == NativeType.COUNTER) {
                throw CqlException.invalid("Cannot set the value of counter column " + c.name()
                        + " (counters can only be incremented/decremented, not set)");
            }
            return ColumnOp.set(c, vars.source(set.value(), type, c.name()));
        }
        if (a instanceof Assignment.Increment inc) {
            if (type == NativeType.COUNTER) {
                return new ColumnOp(c, Op.COUNTER_ADD, vars.source(inc.value(), NativeType.BIGINT, c.name()), null, null);
            }
            if (multiCell == null) {
                throw invalidOperation(c, c.name() + " = " + c.name() + " + <value>");
            }
            return new ColumnOp(c, Op.ADD, vars.source(inc.value(), type, c.name()), null, null);
        }
        if (a instanceof Assignment.Decrement dec) {
            if (type == NativeType.COUNTER) {
                return new ColumnOp(c, Op.COUNTER_SUBTRACT, vars.source(dec.value(), NativeType.BIGINT, c.name()), null, null);
            }
            if (multiCell == null) {
                throw invalidOperation(c, c.name() + " = " + c.name() + " - <value>");
            }
            DataType removed = multiCell.kind() == CollectionType.Kind.MAP
                    ? new CollectionType(CollectionType.Kind.SET, multiCell.keyOrElement(), null, false) : type;
            return new ColumnOp(c, Op.REMOVE, vars.source(dec.value(), removed, c.name()), null, null);
        }
        if (a instanceof Assignment.Prepend pre) {
            if (multiCell == null || multiCell.kind() != CollectionType.Kind.LIST) {
                throw invalidOperation(c, c.name() + " = <value> + " + c.name());
            }
            return new ColumnOp(c, Op.PREPEND, vars.source(pre.value(), type, c.name()), null, null);
        }
        if (a instanceof Assignment.SetElement el) {
            if (multiCell == null || multiCell.kind() == CollectionType.Kind.SET) {
                throw invalidOperation(c, c.name() + "[<key>] = <value>");
            }
            if (multiCell.kind() == CollectionType.Kind.MAP) {
                return new ColumnOp(c, Op.SET_ELEMENT, vars.source(el.value(), multiCell.value(), "value(" + c.name() + ")"),
                        vars.source(el.key(), multiCell.keyOrElement(), "key(" + c.name() + ")"), null);
            }
            return new ColumnOp(c, Op.SET_ELEMENT, vars.source(el.value(), multiCell.keyOrElement(),
                    "value(" + c.name() + ")"), vars.source(el.key(), NativeType.INT, "idx(" + c.name() + ")"), null);
        }
        Assignment.SetField sf = (Assignment.SetField) a;
        if (!(type instanceof UserType ut) || ut.isFrozen()) {
            throw CqlException.invalid("Invalid operation (" + c.name() + "." + sf.field() + " = <value>) for "
                    + (type instanceof UserType ? "frozen UDT column " : "non-UDT column ") + c.name());
        }
        int idx = ut.fieldNames().indexOf(sf.field());
        if (idx < 0) {
            throw CqlException.invalid("UDT column " + c.name() + " does not have a field named " + sf.field());
        }
        return new ColumnOp(c, Op.SET_FIELD, vars.source(sf.value(), ut.fieldTypes().get(idx), c.name() + "." + sf.field()),
                null, sf.field());
    }

    private static CqlException invalidOperation(ColumnMetadata c, String op) {
        String what = c.type() == NativeType.COUNTER ? "counter column"
                : c.type() instanceof CollectionType ct ? (ct.isFrozen() ? "frozen collection column"
                        : ct.kind().name().toLowerCase(Locale.ROOT) + " column")
                : "non counter column";
        return CqlException.invalid("Invalid operation (" + op + ") for " + what + " " + c.name());
    }
}
