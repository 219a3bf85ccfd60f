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
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.storage.spi.Bound;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
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

/**
 * An analysed INSERT, UPDATE or DELETE: everything resolved against the schema at prepare time, so an
 * execution only resolves bound values and builds one {@link PartitionUpdate}. Immutable, thread-safe.
 */
final class ModificationPlan {
    enum Kind { INSERT, UPDATE, DELETE }

    /** Keyspaces' limits. */
    static final int MAX_PARTITION_KEY_BYTES = 2048;
    static final int MAX_CLUSTERING_BYTES = 850;

    record ColumnValue(ColumnMetadata column, ValueSource value) {}

    private final Kind kind;
    private final TableMetadata table;
    private final List<ValueSource> partitionKey;
    private final List<ValueSource> clusteringEq;
    /** For DELETE with a clustering range: the operator on the last clustering column, else null. */
    private final Relation.Operator rangeOp;
    private final ValueSource rangeValue;
    private final List<ColumnValue> values;
    private final List<ColumnMetadata> deletedColumns;
    private final ValueSource ttl;
    private final ValueSource timestamp;

    private ModificationPlan(Kind kind, TableMetadata table, List<ValueSource> partitionKey, List<ValueSource> clusteringEq,
            Relation.Operator rangeOp, ValueSource rangeValue, List<ColumnValue> values, List<ColumnMetadata> deletedColumns,
            ValueSource ttl, ValueSource timestamp) {
        this.kind = kind;
        this.table = requireNonNull(table, "table is null");
        this.partitionKey = partitionKey;
        this.clusteringEq = clusteringEq;
        this.rangeOp = rangeOp;
        this.rangeValue = rangeValue;
        this.values = values;
        this.deletedColumns = deletedColumns;
        this.ttl = ttl;
        this.timestamp = timestamp;
    }

    TableMetadata table() {
        return table;
    }

    List<ValueSource> partitionKeySources() {
        return partitionKey;
    }

    static ModificationPlan insert(Insert s, TableMetadata t, Variables vars) {
        if (s.json() != null) {
            throw CqlException.invalid("INSERT JSON is not supported yet");
        }
        if (s.ifNotExists()) {
            throw CqlException.invalid("Conditional updates (INSERT ... IF NOT EXISTS) are not supported yet");
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
        return new ModificationPlan(Kind.INSERT, t, pk, ck, null, null, values, List.of(),
                u.ttl() == null ? null : vars.source(u.ttl(), NativeType.INT, "[ttl]"),
                u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]"));
    }

    static ModificationPlan update(Update s, TableMetadata t, Variables vars) {
        if (s.ifExists() || !s.conditions().isEmpty()) {
            throw CqlException.invalid("Conditional updates (UPDATE ... IF) are not supported yet");
        }
        List<ColumnValue> values = new ArrayList<>();
        for (Assignment a : s.assignments()) {
            if (a instanceof Assignment.SetColumn set) {
                ColumnMetadata c = column(t, set.column());
                if (c.isPrimaryKey()) {
                    throw CqlException.invalid("PRIMARY KEY part " + c.name() + " found in SET part");
                }
                if (c.type() == NativeType.COUNTER) {
                    throw CqlException.invalid("Cannot set the value of counter column " + c.name()
                            + " (counters can only be incremented/decremented, not set)");
                }
                values.add(new ColumnValue(c, vars.source(set.value(), c.type(), c.name())));
            } else {
                throw CqlException.invalid("This kind of assignment is not supported yet: " + a);
            }
        }
        Keys keys = keys(t, s.where(), vars, false);
        boolean onlyStatic = values.stream().allMatch(cv -> cv.column().isStatic());
        if (keys.clustering.size() < t.clustering().size() && !(onlyStatic && keys.clustering.isEmpty())) {
            throw CqlException.invalid("Some clustering keys are missing: " + t.clustering().get(keys.clustering.size()).name());
        }
        Using u = s.using() == null ? Using.NONE : s.using();
        return new ModificationPlan(Kind.UPDATE, t, keys.partition, keys.clustering, null, null, values, List.of(),
                u.ttl() == null ? null : vars.source(u.ttl(), NativeType.INT, "[ttl]"),
                u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]"));
    }

    static ModificationPlan delete(Delete s, TableMetadata t, Variables vars) {
        if (s.ifExists() || !s.conditions().isEmpty()) {
            throw CqlException.invalid("Conditional deletions (DELETE ... IF) are not supported yet");
        }
        Using u = s.using() == null ? Using.NONE : s.using();
        if (u.ttl() != null) {
            throw CqlException.invalid("Cannot provide custom TTL for a DELETE");
        }
        List<ColumnMetadata> cols = new ArrayList<>();
        for (DeleteTarget target : s.targets()) {
            ColumnMetadata c = column(t, target.column());
            if (c.isPrimaryKey()) {
                throw CqlException.invalid("Invalid identifier " + c.name() + " for deletion (should not be a PRIMARY KEY part)");
            }
            if (target.element() != null) {
                throw CqlException.invalid("Deleting collection elements is not supported yet");
            }
            cols.add(c);
        }
        Keys keys = keys(t, s.where(), vars, cols.isEmpty());
        if (!cols.isEmpty() && keys.clustering.size() < t.clustering().size()
                && !(cols.stream().allMatch(ColumnMetadata::isStatic) && keys.clustering.isEmpty())) {
            throw CqlException.invalid("Some clustering keys are missing: " + t.clustering().get(keys.clustering.size()).name());
        }
        return new ModificationPlan(Kind.DELETE, t, keys.partition, keys.clustering, keys.rangeOp, keys.rangeValue,
                List.of(), cols, null, u.timestamp() == null ? null : vars.source(u.timestamp(), NativeType.BIGINT, "[timestamp]"));
    }

    private record Keys(List<ValueSource> partition, List<ValueSource> clustering, Relation.Operator rangeOp, ValueSource rangeValue) {}

    private static Keys keys(TableMetadata t, List<Relation> where, Variables vars, boolean allowRange) {
        Map<String, Relation.SingleColumn> eq = new HashMap<>();
        Relation.SingleColumn range = null;
        for (Relation r : where) {
            if (!(r instanceof Relation.SingleColumn sc)) {
                throw CqlException.invalid("Only single-column equality relations on the primary key are supported in "
                        + "UPDATE and DELETE for now: " + r);
            }
            ColumnMetadata c = column(t, sc.column());
            if (!c.isPrimaryKey()) {
                throw CqlException.invalid("Non PRIMARY KEY columns found in where clause: " + c.name());
            }
            if (sc.op() == Relation.Operator.EQ) {
                if (eq.put(c.name(), sc) != null) {
                    throw CqlException.invalid(c.name() + " cannot be restricted by more than one relation if it includes an Equal");
                }
            } else if (allowRange && c.kind() == ColumnMetadata.Kind.CLUSTERING && range == null
                    && (sc.op() == Relation.Operator.LT || sc.op() == Relation.Operator.LTE
                    || sc.op() == Relation.Operator.GT || sc.op() == Relation.Operator.GTE)) {
                range = sc;
            } else {
                throw CqlException.invalid("Invalid operator " + sc.op() + " for PRIMARY KEY part " + c.name());
            }
        }
        List<ValueSource> pk = new ArrayList<>();
        for (ColumnMetadata c : t.partitionKey()) {
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
        if (range != null) {
            ColumnMetadata rc = column(t, range.column());
            if (rc.position() != ck.size()) {
                throw CqlException.invalid("PRIMARY KEY column \"" + rc.name() + "\" cannot be restricted as preceding column "
                        + "is not restricted");
            }
            rangeValue = vars.source(range.value(), rc.type(), rc.name());
        }
        return new Keys(pk, ck, range == null ? null : range.op(), rangeValue);
    }

    static ColumnMetadata column(TableMetadata t, String name) {
        ColumnMetadata c = t.column(name);
        if (c == null) {
            throw CqlException.invalid("Undefined column name " + name + " in table " + t.keyspace() + "." + t.name());
        }
        return c;
    }

    /** Builds this statement's update for one execution. */
    PartitionUpdate build(String tenant, Bindings b, ExecutionContext ctx, int defaultTtl) {
        TableId id = table.tableId(tenant);
        PartitionKey key = partitionKey(table, partitionKey, b, ctx);
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
        int ttlSeconds = defaultTtl;
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
        List<byte[]> ckValues = new ArrayList<>(clusteringEq.size());
        for (int i = 0; i < clusteringEq.size(); i++) {
            ckValues.add(keyValue(clusteringEq.get(i), b, ctx, table.clustering().get(i)));
        }
        byte[] ckEncoded = ComparableEncoding.encode(table.clusteringTypes().subList(0, ckValues.size()),
                table.clusteringDescending().subList(0, ckValues.size()), ckValues);
        if (ckEncoded.length > MAX_CLUSTERING_BYTES * Math.max(1, ckValues.size()) + 16 * ckValues.size()) {
            throw CqlException.invalid("Clustering key exceeds the maximum size of " + MAX_CLUSTERING_BYTES + " bytes per column");
        }
        for (byte[] v : ckValues) {
            if (v.length > MAX_CLUSTERING_BYTES) {
                throw CqlException.invalid("Clustering column value is " + v.length + " bytes; the maximum is "
                        + MAX_CLUSTERING_BYTES + " bytes");
            }
        }
        boolean fullClustering = ckValues.size() == table.clustering().size();
        switch (kind) {
            case INSERT, UPDATE -> {
                List<Cell> regular = new ArrayList<>();
                List<Cell> statics = new ArrayList<>();
                for (ColumnValue cv : values) {
                    byte[] v = cv.value().resolve(b, ctx);
                    if (Bindings.isUnset(v)) {
                        continue;
                    }
                    Cell cell = v == null ? Cell.tombstone(cv.column().name(), null, ts, now)
                            : Cell.expiring(cv.column().name(), null, ts, ttlSeconds, now, v);
                    (cv.column().isStatic() ? statics : regular).add(cell);
                }
                regular.sort((x, y) -> x.column().compareTo(y.column()));
                statics.sort((x, y) -> x.column().compareTo(y.column()));
                Row staticRow = statics.isEmpty() ? null : Row.of(Clustering.STATIC, LivenessInfo.NONE, statics);
                List<Row> rows = new ArrayList<>(1);
                boolean writesRow = fullClustering && (kind == Kind.INSERT || !regular.isEmpty());
                if (writesRow) {
                    LivenessInfo liveness = kind == Kind.INSERT ? LivenessInfo.of(ts, ttlSeconds, now) : LivenessInfo.NONE;
                    rows.add(Row.of(Clustering.of(ckEncoded), liveness, regular));
                }
                return new PartitionUpdate(id, key, DeletionTime.LIVE, List.of(), staticRow, rows);
            }
            case DELETE -> {
                DeletionTime del = new DeletionTime(ts, now);
                if (!deletedColumns.isEmpty()) {
                    List<Cell> regular = new ArrayList<>();
                    List<Cell> statics = new ArrayList<>();
                    for (ColumnMetadata c : deletedColumns) {
                        (c.isStatic() ? statics : regular).add(Cell.tombstone(c.name(), null, ts, now));
                    }
                    regular.sort((x, y) -> x.column().compareTo(y.column()));
                    statics.sort((x, y) -> x.column().compareTo(y.column()));
                    Row staticRow = statics.isEmpty() ? null : Row.of(Clustering.STATIC, LivenessInfo.NONE, statics);
                    List<Row> rows = regular.isEmpty() ? List.of()
                            : List.of(Row.of(Clustering.of(ckEncoded), LivenessInfo.NONE, regular));
                    return new PartitionUpdate(id, key, DeletionTime.LIVE, List.of(), staticRow, rows);
                }
                if (rangeOp != null) {
                    byte[] rv = keyValue(rangeValue, b, ctx, table.clustering().get(ckValues.size()));
                    List<byte[]> withRange = new ArrayList<>(ckValues);
                    withRange.add(rv);
                    int n = withRange.size();
                    byte[] bound = ComparableEncoding.encode(table.clusteringTypes().subList(0, n),
                            table.clusteringDescending().subList(0, n), withRange);
                    Slice slice = rangeSlice(ckEncoded, bound, rangeOp, table.clusteringDescending().get(n - 1));
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
        }
        throw new IllegalStateException(kind.toString());
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
