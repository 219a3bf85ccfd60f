package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.Assignment;
import io.strata.cql.ast.Delete;
import io.strata.cql.ast.DeleteTarget;
import io.strata.cql.ast.Insert;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Update;
import io.strata.cql.ast.Using;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.UserType;
import io.strata.storage.spi.Bound;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An analysed INSERT, UPDATE or DELETE: everything resolved against the schema at prepare time, so an
 * execution only resolves bound values and builds one {@link PartitionUpdate}. Immutable, thread-safe.
 */
final class ModificationPlan {
    enum Kind { INSERT, UPDATE, DELETE }

    /** Keyspaces' limits. */
    static final int MAX_PARTITION_KEY_BYTES = 2048;
    static final int MAX_CLUSTERING_BYTES = 850;

    /** What a statement does to one column. */
    enum Op {
        /** {@code c = v} (INSERT too): a collection or UDT is overwritten as a whole. */
        SET,
        /** {@code l = l + v}, {@code s = s + v}, {@code m = m + v}. */
        ADD,
        /** {@code l = v + l}. */
        PREPEND,
        /** {@code l = l - v}, {@code s = s - v}, {@code m = m - keys}. */
        REMOVE,
        /** {@code m[k] = v}, {@code l[i] = v}. */
        SET_ELEMENT,
        /** {@code u.f = v} on a non-frozen UDT. */
        SET_FIELD,
        /** {@code c = c + n} / {@code c = c - n} on a counter ({@code negate} for minus). */
        COUNTER_ADD,
        COUNTER_SUBTRACT,
        /** {@code DELETE c}. */
        DELETE,
        /** {@code DELETE m[k]}, {@code DELETE l[i]}, {@code DELETE s[e]}. */
        DELETE_ELEMENT,
        /** {@code DELETE u.f}. */
        DELETE_FIELD
    }

    /** One operation: {@code key} is the element key or list index, {@code field} a UDT field. */
    record ColumnValue(ColumnMetadata column, Op op, ValueSource value, ValueSource key, String field) {
        ColumnValue(ColumnMetadata column, ValueSource value) {
            this(column, Op.SET, value, null, null);
        }

        /** List operations that need the current list (Cassandra reads before writing these too). */
        boolean needsRead() {
            return column.type() instanceof CollectionType ct && ct.kind() == CollectionType.Kind.LIST && !ct.isFrozen()
                    && (op == Op.SET_ELEMENT || op == Op.REMOVE || op == Op.DELETE_ELEMENT);
        }
    }

    private final Kind kind;
    private final TableMetadata table;
    private final List<ValueSource> partitionKey;
    private final List<ValueSource> clusteringEq;
    /** For DELETE with a clustering range: the operator on the last clustering column, else null. */
    private final Relation.Operator rangeOp;
    private final ValueSource rangeValue;
    /**
     * For UPDATE/DELETE with {@code IN} on a partition key column: that column's position and its values
     * (one source per literal, or one bound list); null otherwise. The statement then writes every partition.
     */
    private int inColumn = -1;
    private List<ValueSource> inValues;
    private boolean inIsList;

    /** For DELETE with a clustering range bounded on both sides: the other bound, else null. */
    private Relation.Operator rangeOp2;
    private ValueSource rangeValue2;
    private final List<ColumnValue> values;
    private final ValueSource ttl;
    private final ValueSource timestamp;

    private ModificationPlan(Kind kind, TableMetadata table, List<ValueSource> partitionKey, List<ValueSource> clusteringEq,
            Relation.Operator rangeOp, ValueSource rangeValue, List<ColumnValue> values,
            ValueSource ttl, ValueSource timestamp) {
        this.kind = kind;
        this.table = requireNonNull(table, "table is null");
        this.partitionKey = partitionKey;
        this.clusteringEq = clusteringEq;
        this.rangeOp = rangeOp;
        this.rangeValue = rangeValue;
        this.values = values;
        this.ttl = ttl;
        this.timestamp = timestamp;
    }

    /** The lightweight-transaction condition, or null for an unconditional statement. */
    private LwtCondition condition;

    TableMetadata table() {
        return table;
    }

    LwtCondition condition() {
        return condition;
    }

    /** Makes this plan conditional (LWT); requires the full primary key, as Cassandra does. */
    private ModificationPlan conditional(LwtCondition c) {
        if (c == null) {
            return this;
        }
        if (clusteringEq.size() != table.clustering().size() || rangeOp != null) {
            throw CqlException.invalid("Conditional statements (IF ...) must restrict the full PRIMARY KEY of "
                    + table.keyspace() + "." + table.name());
        }
        if (isCounterTable(table)) {
            throw CqlException.invalid("Conditional updates are not supported on counter tables");
        }
        if (timestamp != null) {
            throw CqlException.invalid("Cannot provide custom timestamp for conditional updates");
        }
        if (inColumn >= 0) {
            throw CqlException.invalid("IN on the partition key is not supported with conditional updates");
        }
        this.condition = c;
        return this;
    }

    List<ValueSource> partitionKeySources() {
        return inColumn >= 0 ? null : partitionKey;
    }

    /** Whether this statement writes several partitions (IN on the partition key). */
    boolean writesSeveralPartitions() {
        return inColumn >= 0;
    }

    /** Every partition this statement writes, for one execution. */
    List<PartitionKey> partitionKeysFor(Bindings b, ExecutionContext ctx) {
        if (inColumn < 0) {
            return List.of(partitionKeyFor(b, ctx));
        }
        List<ValueSource> values = new ArrayList<>();
        if (inIsList) {
            byte[] list = inValues.get(0).resolve(b, ctx);
            if (list == null || Bindings.isUnset(list)) {
                throw CqlException.invalid("Invalid null value for IN restriction on " + table.partitionKey().get(inColumn).name());
            }
            for (byte[] e : io.strata.cql.types.CollectionCodec.elements(list, false)) {
                values.add(new ValueSource.Constant(e));
            }
        } else {
            values.addAll(inValues);
        }
        java.util.LinkedHashSet<PartitionKey> keys = new java.util.LinkedHashSet<>();
        for (ValueSource v : values) {
            List<ValueSource> sources = new ArrayList<>(partitionKey);
            sources.set(inColumn, v);
            keys.add(partitionKey(table, sources, b, ctx));
        }
        return new ArrayList<>(keys);
    }

    /** INSERT JSON: every column of the table takes its value from the document (see ValueSource.FromJson). */
    private static ModificationPlan insertJson(Insert s, TableMetadata t, Variables vars) {
        ValueSource doc = vars.source(s.json(), NativeType.TEXT, "[json]");
        java.util.Set<String> names = new java.util.HashSet<>();
        t.columns().forEach(c -> names.add(c.name()));
        List<ColumnValue> values = new ArrayList<>();
        List<ValueSource> pk = new ArrayList<>();
        List<ValueSource> ck = new ArrayList<>();
        for (ColumnMetadata c : t.columns()) {
            ValueSource v = new ValueSource.FromJson(doc, c.name(), c.type(), s.defaultUnset(), c.isPrimaryKey(), Set.copyOf(names));
            switch (c.kind()) {
                case PARTITION_KEY -> pk.add(v);
                case CLUSTERING -> ck.add(v);
                default -> {
                    if (c.type() == NativeType.COUNTER) {
                        throw CqlException.invalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
                    }
                    values.add(new ColumnValue(c, v));
                }
            }
        }
        Using u = s.using() == null ? Using.NONE : s.using();
        return new ModificationPlan(Kind.INSERT, t, pk, ck, null, null, values,
                u.ttl() == null ? null : vars.source(u.ttl(), NativeType.INT, "[ttl]"),
                u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]"))
                .conditional(s.ifNotExists() ? LwtCondition.IF_NOT_EXISTS : null);
    }

    static ModificationPlan insert(Insert s, TableMetadata t, Variables vars) {
        if (s.json() != null) {
            return insertJson(s, t, vars);
        }
        if (s.columns().size() != s.values().size()) {
            throw CqlException.invalid("Unmatched column names/values");
        }
        Map<String, ValueSource> byColumn = new HashMap<>();
        List<ColumnValue> values = new ArrayList<>();
        for (int i = 0; i < s.columns().size(); i++) {
            String name = s.columns().get(i);
            ColumnMetadata c = column(t, name);
            if (byColumn.containsKey(name)) {
                throw CqlException.invalid("Multiple definitions found for column " + name);
            }
            ValueSource v = vars.source(s.values().get(i), c.type(), name);
            byColumn.put(name, v);
            if (!c.isPrimaryKey()) {
                if (c.type() == NativeType.COUNTER) {
                    throw CqlException.invalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
                }
                values.add(new ColumnValue(c, v));
            }
        }
        List<ValueSource> pk = new ArrayList<>();
        for (ColumnMetadata c : t.partitionKey()) {
            ValueSource v = byColumn.get(c.name());
            if (v == null) {
                throw CqlException.invalid("Some partition key parts are missing: " + c.name());
            }
            pk.add(v);
        }
        List<ValueSource> ck = new ArrayList<>();
        for (ColumnMetadata c : t.clustering()) {
            ValueSource v = byColumn.get(c.name());
            if (v == null) {
                boolean onlyStatic = values.stream().allMatch(cv -> cv.column().isStatic()) && !values.isEmpty();
                if (onlyStatic) {
                    break;
                }
                throw CqlException.invalid("Some clustering keys are missing: " + c.name());
            }
            ck.add(v);
        }
        Using u = s.using() == null ? Using.NONE : s.using();
        return new ModificationPlan(Kind.INSERT, t, pk, ck, null, null, values,
                u.ttl() == null ? null : vars.source(u.ttl(), NativeType.INT, "[ttl]"),
                u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]"))
                .conditional(s.ifNotExists() ? LwtCondition.IF_NOT_EXISTS : null);
    }

    static ModificationPlan update(Update s, TableMetadata t, Variables vars) {
        List<ColumnValue> values = new ArrayList<>();
        java.util.Set<String> wholeColumnSets = new java.util.HashSet<>();
        for (Assignment a : s.assignments()) {
            ColumnMetadata c = column(t, a.column());
            if (c.isPrimaryKey()) {
                throw CqlException.invalid("PRIMARY KEY part " + c.name() + " found in SET part");
            }
            if (a instanceof Assignment.SetColumn && !wholeColumnSets.add(c.name())) {
                throw CqlException.invalid("Multiple incompatible setting of column " + c.name());
            }
            values.add(assignment(a, c, vars));
        }
        Keys keys = keys(t, s.where(), vars, false);
        boolean onlyStatic = values.stream().allMatch(cv -> cv.column().isStatic());
        if (onlyStatic && !keys.clustering.isEmpty()) {
            throw CqlException.invalid("Invalid restrictions on clustering columns since the UPDATE statement modifies "
                    + "only static columns");
        }
        if (keys.clustering.size() < t.clustering().size() && !(onlyStatic && keys.clustering.isEmpty())) {
            throw CqlException.invalid("Some clustering keys are missing: " + t.clustering().get(keys.clustering.size()).name());
        }
        Using u = s.using() == null ? Using.NONE : s.using();
        if (u.ttl() != null && isCounterTable(t)) {
            throw CqlException.invalid("Cannot provide custom TTL for counter updates");
        }
        if (u.timestamp() != null && isCounterTable(t)) {
            throw CqlException.invalid("Cannot provide custom timestamp for counter updates");
        }
        return new ModificationPlan(Kind.UPDATE, t, keys.partition, keys.clustering, null, null, values,
                u.ttl() == null ? null : vars.source(u.ttl(), NativeType.INT, "[ttl]"),
                u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]"))
                .withIn(keys)
                .conditional(s.ifExists() ? LwtCondition.IF_EXISTS
                        : s.conditions().isEmpty() ? null : LwtCondition.of(s.conditions(), t, vars));
    }

    private static ColumnValue assignment(Assignment a, ColumnMetadata c, Variables vars) {
        DataType type = c.type();
        CollectionType multiCell = type instanceof CollectionType ct && !ct.isFrozen() ? ct : null;
        if (a instanceof Assignment.SetColumn set) {
            if (type == NativeType.COUNTER) {
                throw CqlException.invalid("Cannot set the value of counter column " + c.name()
                        + " (counters can only be incremented/decremented, not set)");
            }
            return new ColumnValue(c, vars.source(set.value(), type, c.name()));
        }
        if (a instanceof Assignment.Increment inc) {
            if (type == NativeType.COUNTER) {
                return new ColumnValue(c, Op.COUNTER_ADD, vars.source(inc.value(), NativeType.BIGINT, c.name()), null, null);
            }
            if (multiCell == null) {
                throw invalidOperation(c, c.name() + " = " + c.name() + " + <value>");
            }
            return new ColumnValue(c, Op.ADD, vars.source(inc.value(), type, c.name()), null, null);
        }
        if (a instanceof Assignment.Decrement dec) {
            if (type == NativeType.COUNTER) {
                return new ColumnValue(c, Op.COUNTER_SUBTRACT, vars.source(dec.value(), NativeType.BIGINT, c.name()), null, null);
            }
            if (multiCell == null) {
                throw invalidOperation(c, c.name() + " = " + c.name() + " - <value>");
            }
            DataType removed = multiCell.kind() == CollectionType.Kind.MAP
                    ? new CollectionType(CollectionType.Kind.SET, multiCell.keyOrElement(), null, false) : type;
            return new ColumnValue(c, Op.REMOVE, vars.source(dec.value(), removed, c.name()), null, null);
        }
        if (a instanceof Assignment.Prepend pre) {
            if (multiCell == null || multiCell.kind() != CollectionType.Kind.LIST) {
                throw invalidOperation(c, c.name() + " = <value> + " + c.name());
            }
            return new ColumnValue(c, Op.PREPEND, vars.source(pre.value(), type, c.name()), null, null);
        }
        if (a instanceof Assignment.SetElement el) {
            if (multiCell == null || multiCell.kind() == CollectionType.Kind.SET) {
                throw invalidOperation(c, c.name() + "[<key>] = <value>");
            }
            if (multiCell.kind() == CollectionType.Kind.MAP) {
                return new ColumnValue(c, Op.SET_ELEMENT, vars.source(el.value(), multiCell.value(), "value(" + c.name() + ")"),
                        vars.source(el.key(), multiCell.keyOrElement(), "key(" + c.name() + ")"), null);
            }
            return new ColumnValue(c, Op.SET_ELEMENT, vars.source(el.value(), multiCell.keyOrElement(), "value(" + c.name() + ")"),
                    vars.source(el.key(), NativeType.INT, "idx(" + c.name() + ")"), null);
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
        return new ColumnValue(c, Op.SET_FIELD, vars.source(sf.value(), ut.fieldTypes().get(idx), c.name() + "." + sf.field()),
                null, sf.field());
    }

    private static CqlException invalidOperation(ColumnMetadata c, String op) {
        String what = c.type() == NativeType.COUNTER ? "counter column"
                : c.type() instanceof CollectionType ct ? (ct.isFrozen() ? "frozen collection column"
                        : ct.kind().name().toLowerCase(java.util.Locale.ROOT) + " column")
                : "non counter column";
        return CqlException.invalid("Invalid operation (" + op + ") for " + what + " " + c.name());
    }

    static boolean isCounterTable(TableMetadata t) {
        return t.regularAndStatic().stream().anyMatch(c -> c.type() == NativeType.COUNTER);
    }

    static ModificationPlan delete(Delete s, TableMetadata t, Variables vars) {
        Using u = s.using() == null ? Using.NONE : s.using();
        if (u.ttl() != null) {
            throw CqlException.invalid("Cannot provide custom TTL for a DELETE");
        }
        List<ColumnValue> ops = new ArrayList<>();
        for (DeleteTarget target : s.targets()) {
            ColumnMetadata c = column(t, target.column());
            if (c.isPrimaryKey()) {
                throw CqlException.invalid("Invalid identifier " + c.name() + " for deletion (should not be a PRIMARY KEY part)");
            }
            if (target.element() != null) {
                if (!(c.type() instanceof CollectionType ct) || ct.isFrozen()) {
                    throw CqlException.invalid("Invalid deletion operation for non collection column " + c.name());
                }
                DataType keyType = ct.kind() == CollectionType.Kind.LIST ? NativeType.INT : ct.keyOrElement();
                ops.add(new ColumnValue(c, Op.DELETE_ELEMENT, null, vars.source(target.element(), keyType,
                        (ct.kind() == CollectionType.Kind.LIST ? "idx(" : "key(") + c.name() + ")"), null));
            } else if (target.field() != null) {
                if (!(c.type() instanceof UserType ut) || ut.isFrozen()) {
                    throw CqlException.invalid("Invalid field deletion operation for non-UDT column " + c.name());
                }
                if (!ut.fieldNames().contains(target.field())) {
                    throw CqlException.invalid("UDT column " + c.name() + " does not have a field named " + target.field());
                }
                ops.add(new ColumnValue(c, Op.DELETE_FIELD, null, null, target.field()));
            } else {
                ops.add(new ColumnValue(c, Op.DELETE, null, null, null));
            }
        }
        Keys keys = keys(t, s.where(), vars, ops.isEmpty());
        if (!ops.isEmpty() && keys.clustering.size() < t.clustering().size()
                && !(ops.stream().allMatch(o -> o.column().isStatic()) && keys.clustering.isEmpty())) {
            throw CqlException.invalid("Some clustering keys are missing: " + t.clustering().get(keys.clustering.size()).name());
        }
        ModificationPlan plan = new ModificationPlan(Kind.DELETE, t, keys.partition, keys.clustering, keys.rangeOp,
                keys.rangeValue, ops, null, u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]"));
        plan.rangeOp2 = keys.rangeOp2;
        plan.rangeValue2 = keys.rangeValue2;
        plan.withIn(keys);
        return plan.conditional(s.ifExists() ? LwtCondition.IF_EXISTS
                        : s.conditions().isEmpty() ? null : LwtCondition.of(s.conditions(), t, vars));
    }

    /** The partition this statement writes, for one execution. */
    PartitionKey partitionKeyFor(Bindings b, ExecutionContext ctx) {
        return partitionKey(table, partitionKey, b, ctx);
    }

    /** The encoded clustering of the row this statement writes (empty for tables without clustering). */
    byte[] clusteringFor(Bindings b, ExecutionContext ctx) {
        List<byte[]> ckValues = clusteringValues(b, ctx);
        return ComparableEncoding.encode(table.clusteringTypes().subList(0, ckValues.size()),
                table.clusteringDescending().subList(0, ckValues.size()), ckValues);
    }

    /** The read of the whole row a conditional statement tests, for one execution. */
    ReadQuery conditionRead(String tenant, Bindings b, ExecutionContext ctx) {
        PartitionKey key = partitionKey(table, partitionKey, b, ctx);
        List<byte[]> ckValues = clusteringValues(b, ctx);
        byte[] ck = ComparableEncoding.encode(table.clusteringTypes(), table.clusteringDescending(), ckValues);
        List<Slice> slices = table.clustering().isEmpty() ? List.of(Slice.ALL) : List.of(Slice.prefix(ck));
        return new ReadQuery(table.tableId(tenant), new io.strata.storage.spi.PartitionSelection.Single(key), slices,
                false, null, 1, 1, ctx.nowInSeconds(), null);
    }

    private record Keys(List<ValueSource> partition, List<ValueSource> clustering, Relation.Operator rangeOp,
            ValueSource rangeValue, Relation.Operator rangeOp2, ValueSource rangeValue2, int inColumn,
            List<ValueSource> inValues, boolean inIsList) {}

    private ModificationPlan withIn(Keys keys) {
        this.inColumn = keys.inColumn();
        this.inValues = keys.inValues();
        this.inIsList = keys.inIsList();
        return this;
    }

    private static Keys keys(TableMetadata t, List<Relation> where, Variables vars, boolean allowRange) {
        Map<String, Relation.SingleColumn> eq = new HashMap<>();
        Relation.SingleColumn range = null;
        Relation.SingleColumn range2 = null;
        Relation.SingleColumn in = null;
        for (Relation r : where) {
            if (!(r instanceof Relation.SingleColumn sc)) {
                throw CqlException.invalid("Only single-column equality relations on the primary key are supported in "
                        + "UPDATE and DELETE for now: " + r);
            }
            ColumnMetadata c = column(t, sc.column());
            if (!c.isPrimaryKey()) {
                throw CqlException.invalid("Non PRIMARY KEY columns found in where clause: " + c.name());
            }
            if (sc.op() == Relation.Operator.IN && c.kind() == ColumnMetadata.Kind.PARTITION_KEY) {
                if (in != null) {
                    throw CqlException.invalid("IN is supported on one partition key column of an UPDATE or DELETE");
                }
                in = sc;
                continue;
            }
            if (sc.op() == Relation.Operator.EQ) {
                if (eq.put(c.name(), sc) != null) {
                    throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes an Equal");
                }
            } else if (allowRange && c.kind() == ColumnMetadata.Kind.CLUSTERING && isSliceOp(sc.op())
                    && (range == null || range2 == null && range.column().equals(sc.column())
                    && isLowerOp(range.op()) != isLowerOp(sc.op()))) {
                if (range == null) {
                    range = sc;
                } else {
                    range2 = sc;
                }
            } else if (allowRange && isSliceOp(sc.op()) && range != null && range.column().equals(sc.column())) {
                throw CqlException.invalid("More than one restriction was found for the " + (isLowerOp(sc.op()) ? "start" : "end")
                        + " bound on " + c.name());
            } else {
                throw CqlException.invalid("Invalid operator " + sc.op() + " for PRIMARY KEY part " + c.name());
            }
        }
        List<ValueSource> pk = new ArrayList<>();
        int inColumn = -1;
        List<ValueSource> inValues = null;
        boolean inIsList = false;
        for (ColumnMetadata c : t.partitionKey()) {
            if (in != null && in.column().equals(c.name())) {
                if (eq.containsKey(c.name())) {
                    throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes an IN");
                }
                inColumn = c.position();
                inValues = new ArrayList<>();
                if (in.value() instanceof io.strata.cql.ast.Term.InValues values) {
                    for (io.strata.cql.ast.Term v : values.values()) {
                        inValues.add(vars.source(v, c.type(), c.name()));
                    }
                } else {
                    inValues.add(vars.source(in.value(), new io.strata.cql.types.CollectionType(
                            io.strata.cql.types.CollectionType.Kind.LIST, c.type(), null, false), "in(" + c.name() + ")"));
                    inIsList = true;
                }
                pk.add(new ValueSource.Constant(null)); // replaced per IN value at execution
                continue;
            }
            Relation.SingleColumn r = eq.get(c.name());
            if (r == null) {
                throw CqlException.invalid("Some partition key parts are missing: " + c.name());
            }
            pk.add(vars.source(r.value(), c.type(), c.name()));
        }
        List<ValueSource> ck = new ArrayList<>();
        boolean gap = false;
        for (ColumnMetadata c : t.clustering()) {
            Relation.SingleColumn r = eq.get(c.name());
            if (r == null) {
                gap = true;
                continue;
            }
            if (gap) {
                throw CqlException.invalid("PRIMARY KEY column \"" + c.name() + "\" cannot be restricted as preceding column "
                        + "is not restricted");
            }
            ck.add(vars.source(r.value(), c.type(), c.name()));
        }
        ValueSource rangeValue = null;
        ValueSource rangeValue2 = null;
        if (range != null) {
            ColumnMetadata rc = column(t, range.column());
            if (rc.position() != ck.size()) {
                throw CqlException.invalid("PRIMARY KEY column \"" + rc.name() + "\" cannot be restricted as preceding column "
                        + "is not restricted");
            }
            rangeValue = vars.source(range.value(), rc.type(), rc.name());
            if (range2 != null) {
                rangeValue2 = vars.source(range2.value(), rc.type(), rc.name());
            }
        }
        return new Keys(pk, ck, range == null ? null : range.op(), rangeValue, range2 == null ? null : range2.op(),
                rangeValue2, inColumn, inValues, inIsList);
    }

    private static boolean isSliceOp(Relation.Operator op) {
        return op == Relation.Operator.LT || op == Relation.Operator.LTE || op == Relation.Operator.GT
                || op == Relation.Operator.GTE;
    }

    private static boolean isLowerOp(Relation.Operator op) {
        return op == Relation.Operator.GT || op == Relation.Operator.GTE;
    }

    static ColumnMetadata column(TableMetadata t, String name) {
        ColumnMetadata c = t.column(name);
        if (c == null) {
            throw CqlException.invalid("Undefined column name " + name + " in table " + t.keyspace() + "." + t.name());
        }
        return c;
    }

    /** Keyspaces' maximum row size (static data is limited separately, to the same size). */
    static final int MAX_ROW_BYTES = 1024 * 1024;

    /** True when an execution must first read the current row (list index and removal operations). */
    boolean needsRead() {
        return values.stream().anyMatch(ColumnValue::needsRead);
    }

    /** The read of the current values of the columns {@link #needsRead()} operations touch, for one execution. */
    ReadQuery readBeforeWrite(String tenant, Bindings b, ExecutionContext ctx) {
        return readBeforeWrite(tenant, b, ctx, partitionKey(table, partitionKey, b, ctx));
    }

    ReadQuery readBeforeWrite(String tenant, Bindings b, ExecutionContext ctx, PartitionKey key) {
        List<byte[]> ckValues = clusteringValues(b, ctx);
        byte[] ck = ComparableEncoding.encode(table.clusteringTypes().subList(0, ckValues.size()),
                table.clusteringDescending().subList(0, ckValues.size()), ckValues);
        java.util.Set<String> columns = new java.util.HashSet<>();
        for (ColumnValue cv : values) {
            if (cv.needsRead()) {
                columns.add(cv.column().name());
            }
        }
        List<Slice> slices = ckValues.isEmpty() && table.clustering().isEmpty() ? List.of(Slice.ALL)
                : List.of(Slice.prefix(ck));
        return new ReadQuery(table.tableId(tenant), new io.strata.storage.spi.PartitionSelection.Single(key), slices,
                false, columns, 1, 1, ctx.nowInSeconds(), null);
    }

    private List<byte[]> clusteringValues(Bindings b, ExecutionContext ctx) {
        List<byte[]> ckValues = new ArrayList<>(clusteringEq.size());
        for (int i = 0; i < clusteringEq.size(); i++) {
            ckValues.add(keyValue(clusteringEq.get(i), b, ctx, table.clustering().get(i)));
        }
        return ckValues;
    }

    /** Builds this statement's update for one execution, without a read (see {@link #needsRead()}). */
    PartitionUpdate build(String tenant, Bindings b, ExecutionContext ctx, int defaultTtl) {
        return build(tenant, b, ctx, defaultTtl, null);
    }

    /**
     * Builds this statement's update for one execution; {@code current} is the result of
     * {@link #readBeforeWrite} when {@link #needsRead()}.
     */
    PartitionUpdate build(String tenant, Bindings b, ExecutionContext ctx, int defaultTtl, PartitionData current) {
        return buildFor(partitionKey(table, partitionKey, b, ctx), tenant, b, ctx, defaultTtl, current);
    }

    /** The update of this statement on one of its partitions ({@link #partitionKeysFor}). */
    PartitionUpdate buildFor(PartitionKey key, String tenant, Bindings b, ExecutionContext ctx, int defaultTtl,
            PartitionData current) {
        TableId id = table.tableId(tenant);
        long ts = ctx.timestampMicros();
        if (timestamp != null) {
            byte[] v = timestamp.resolve(b, ctx);
            if (v == null) {
                throw CqlException.invalid("Invalid null value of timestamp");
            }
            if (!Bindings.isUnset(v)) {
                ts = ByteBuffer.wrap(v).getLong();
            }
        }
        int now = ctx.nowInSeconds();
        int ttlSeconds = isCounterTable(table) ? 0 : defaultTtl;
        if (ttl != null) {
            byte[] v = ttl.resolve(b, ctx);
            if (v == null) {
                throw CqlException.invalid("Invalid null value of TTL");
            }
            if (!Bindings.isUnset(v)) {
                ttlSeconds = ByteBuffer.wrap(v).getInt();
            }
            if (ttlSeconds < 0) {
                throw CqlException.invalid("A TTL must be greater or equal to 0, but was " + ttlSeconds);
            }
            if (ttlSeconds > Ddl.MAX_TTL) {
                throw CqlException.invalid("ttl is too large. requested (" + ttlSeconds + ") maximum (" + Ddl.MAX_TTL + ")");
            }
        }
        List<byte[]> ckValues = clusteringValues(b, ctx);
        byte[] ckEncoded = ComparableEncoding.encode(table.clusteringTypes().subList(0, ckValues.size()),
                table.clusteringDescending().subList(0, ckValues.size()), ckValues);
        for (byte[] v : ckValues) {
            if (v.length > MAX_CLUSTERING_BYTES) {
                throw CqlException.invalid("Clustering column value is " + v.length + " bytes; the maximum is "
                        + MAX_CLUSTERING_BYTES + " bytes");
            }
        }
        boolean fullClustering = ckValues.size() == table.clustering().size();
        if (kind == Kind.DELETE && values.isEmpty()) {
            DeletionTime del = new DeletionTime(ts, now);
            if (rangeOp != null) {
                byte[] rv = keyValue(rangeValue, b, ctx, table.clustering().get(ckValues.size()));
                List<byte[]> withRange = new ArrayList<>(ckValues);
                withRange.add(rv);
                int n = withRange.size();
                byte[] bound = ComparableEncoding.encode(table.clusteringTypes().subList(0, n),
                        table.clusteringDescending().subList(0, n), withRange);
                Slice slice = rangeSlice(ckEncoded, bound, rangeOp, table.clusteringDescending().get(n - 1));
                if (rangeOp2 != null) {
                    withRange.set(n - 1, keyValue(rangeValue2, b, ctx, table.clustering().get(ckValues.size())));
                    byte[] bound2 = ComparableEncoding.encode(table.clusteringTypes().subList(0, n),
                            table.clusteringDescending().subList(0, n), withRange);
                    Slice other = rangeSlice(ckEncoded, bound2, rangeOp2, table.clusteringDescending().get(n - 1));
                    // One slice is open at its start, the other at its end (storage order): keep each one's bound.
                    boolean firstIsLower = isLowerOp(rangeOp) != table.clusteringDescending().get(n - 1);
                    slice = firstIsLower ? new Slice(slice.start(), other.end()) : new Slice(other.start(), slice.end());
                }
                return new PartitionUpdate(id, key, DeletionTime.LIVE, List.of(new RangeTombstone(slice, del)), null, List.of());
            }
            if (ckValues.isEmpty()) {
                return PartitionUpdate.deletePartition(id, key, del);
            }
            if (fullClustering) {
                return PartitionUpdate.ofRows(id, key, List.of(Row.deleted(Clustering.of(ckEncoded), del)));
            }
            return new PartitionUpdate(id, key, DeletionTime.LIVE,
                    List.of(new RangeTombstone(Slice.prefix(ckEncoded), del)), null, List.of());
        }
        CellWriter regular = new CellWriter(ts, ttlSeconds, now, ctx);
        CellWriter statics = new CellWriter(ts, ttlSeconds, now, ctx);
        for (ColumnValue cv : values) {
            Row existing = current == null ? null
                    : cv.column().isStatic() ? current.staticRow() : current.rows().isEmpty() ? null : current.rows().get(0);
            (cv.column().isStatic() ? statics : regular).apply(cv, b, existing);
        }
        Row staticRow = statics.isEmpty() ? null : statics.row(Clustering.STATIC, LivenessInfo.NONE);
        List<Row> rows = new ArrayList<>(1);
        boolean writesRow = fullClustering && (kind == Kind.INSERT || !regular.isEmpty());
        if (writesRow) {
            LivenessInfo liveness = kind == Kind.INSERT ? LivenessInfo.of(ts, ttlSeconds, now) : LivenessInfo.NONE;
            rows.add(regular.row(Clustering.of(ckEncoded), liveness));
        }
        if (regular.bytes > MAX_ROW_BYTES || statics.bytes > MAX_ROW_BYTES) {
            throw CqlException.invalid("The update exceeds the maximum row size of 1 MB");
        }
        return new PartitionUpdate(id, key, DeletionTime.LIVE, List.of(), staticRow, rows);
    }

    /** Collects the cells and complex deletions one statement writes to one row. Not thread-safe. */
    private final class CellWriter {
        private final long ts;
        private final int ttl;
        private final int now;
        private final ExecutionContext ctx;
        private final List<Cell> cells = new ArrayList<>();
        private final Map<String, DeletionTime> complexDeletions = new HashMap<>();
        long bytes;

        CellWriter(long ts, int ttl, int now, ExecutionContext ctx) {
            this.ts = ts;
            this.ttl = ttl;
            this.now = now;
            this.ctx = ctx;
        }

        boolean isEmpty() {
            return cells.isEmpty() && complexDeletions.isEmpty();
        }

        Row row(Clustering clustering, LivenessInfo liveness) {
            cells.sort(ModificationPlan::compareCells);
            return new Row(clustering, liveness, DeletionTime.LIVE, complexDeletions, cells);
        }

        private void live(String column, byte[] path, byte[] value) {
            cells.add(Cell.expiring(column, path, ts, ttl, now, value));
            bytes += column.length() + (path == null ? 0 : path.length) + value.length;
        }

        private void tombstone(String column, byte[] path) {
            cells.add(Cell.tombstone(column, path, ts, now));
        }

        void apply(ColumnValue cv, Bindings b, Row existing) {
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
                            paths[i] = io.strata.cql.types.Values.ofUuid(ctx.timeUuids().nextDescending());
                        }
                        for (int i = 0; i < parts.size(); i++) {
                            live(name, paths[i], parts.get(i));
                        }
                    } else {
                        for (byte[] e : parts) {
                            live(name, io.strata.cql.types.Values.ofUuid(ctx.timeUuids().next()), e);
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

    /** The slice for {@code prefix AND c op v}; DESC columns flip the byte order, so they flip the side. */
    static Slice rangeSlice(byte[] prefix, byte[] bound, Relation.Operator op, boolean descending) {
        boolean lower = op == Relation.Operator.GT || op == Relation.Operator.GTE;
        boolean inclusive = op == Relation.Operator.GTE || op == Relation.Operator.LTE;
        if (descending) {
            lower = !lower;
        }
        Bound open = new Bound(prefix, true);
        Bound b = new Bound(bound, inclusive);
        return lower ? new Slice(b, open) : new Slice(open, b);
    }

    static PartitionKey partitionKey(TableMetadata table, List<ValueSource> sources, Bindings b, ExecutionContext ctx) {
        List<byte[]> parts = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            parts.add(keyValue(sources.get(i), b, ctx, table.partitionKey().get(i)));
        }
        byte[] key = PartitionKeys.serialize(parts);
        if (key.length > MAX_PARTITION_KEY_BYTES) {
            throw CqlException.invalid("Partition key is " + key.length + " bytes; the maximum is "
                    + MAX_PARTITION_KEY_BYTES + " bytes");
        }
        if (key.length == 0) {
            throw CqlException.invalid("Key may not be empty");
        }
        return PartitionKey.of(key);
    }

    private static byte[] keyValue(ValueSource s, Bindings b, ExecutionContext ctx, ColumnMetadata c) {
        byte[] v = s.resolve(b, ctx);
        if (v == null) {
            throw CqlException.invalid("Invalid null value in condition for column " + c.name());
        }
        if (Bindings.isUnset(v)) {
            throw CqlException.invalid("Invalid unset value for column " + c.name());
        }
        return v;
    }

    static DataType typeOf(ColumnMetadata c) {
        return c.type();
    }
}
