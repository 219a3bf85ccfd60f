package io.strata.cql.exec;

import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.plan.ModificationPlan;
import io.strata.cql.plan.ModificationPlan.ColumnOp;
import io.strata.cql.plan.ModificationPlan.Kind;
import io.strata.cql.plan.Restrictions;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.RequestUsage;
import io.strata.cql.schema.TableMetadata;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one execution of a {@link ModificationPlan} into storage updates: one {@link PartitionUpdate} per
 * partition it writes (IN on the partition key names several), each with a row per clustering it names
 * (IN on clustering columns names several), the static row, or a row, range or partition deletion.
 * Resolves USING TTL and TIMESTAMP and enforces Keyspaces' row-size limit. Stateless.
 */
final class UpdateBuilder {
    /** Keyspaces' maximum row size (static data is limited separately, to the same size). */
    static final int MAX_ROW_BYTES = 1024 * 1024;
    /** Keyspaces caps TTLs at 20 years, as Cassandra does. */
    static final int MAX_TTL = 630_720_000;

    private UpdateBuilder() {}

    /** Every partition the statement writes, for one execution. */
    static List<PartitionKey> partitions(ModificationPlan plan, Bindings b, EvalContext ctx) {
        return KeyResolver.partitionKeys(plan.table(), plan.partitionKeys(), b, ctx);
    }

    /** The encoded clusterings of the rows the statement writes (none for static-only or deletions by range). */
    static List<byte[]> clusterings(ModificationPlan plan, Bindings b, EvalContext ctx) {
        TableMetadata t = plan.table();
        Restrictions.Clustering ck = plan.where().clustering();
        if (ck.fixedColumns() < t.clustering().size() || ck.range() != null) {
            return List.of();
        }
        return new ArrayList<>(KeyResolver.encodedPrefixes(t, ck, b, ctx).keySet());
    }

    /** The read of the current rows that list operations by index or value need, for one partition. */
    static ReadQuery readBeforeWrite(String tenant, ModificationPlan plan, PartitionKey key, Bindings b, EvalContext ctx) {
        TableMetadata t = plan.table();
        Set<String> columns = new HashSet<>();
        for (ColumnOp op : plan.ops()) {
            if (op.needsRead()) {
                columns.add(op.column().name());
            }
        }
        List<Slice> slices = new ArrayList<>();
        if (t.clustering().isEmpty()) {
            slices.add(Slice.ALL);
        } else {
            for (byte[] c : clusterings(plan, b, ctx)) {
                slices.add(Slice.prefix(c));
            }
            if (slices.isEmpty()) {
                slices.add(Slice.ALL);
            }
        }
        return new ReadQuery(t.tableId(tenant), new PartitionSelection.Single(key), slices, false, columns, Integer.MAX_VALUE,
                Integer.MAX_VALUE, ctx.nowInSeconds(), null);
    }

    /**
     * The statement's update of one partition; {@code current} is the partition as read before the write
     * (for list operations), or null.
     */
    static PartitionUpdate build(String tenant, ModificationPlan plan, PartitionKey key, Bindings b, EvalContext ctx,
            PartitionData current, RequestUsage usage) {
        TableMetadata table = plan.table();
        TableId id = table.tableId(tenant);
        long ts = timestamp(plan, b, ctx);
        int now = ctx.nowInSeconds();
        int ttl = ttl(plan, b, ctx);
        Restrictions.Clustering ck = plan.where().clustering();
        if (plan.deletesRows()) {
            DeletionTime del = new DeletionTime(ts, now);
            if (ck.fixedColumns() == 0 && ck.range() == null) {
                usage.written(1, key.key().length);
                return PartitionUpdate.deletePartition(id, key, del);
            }
            if (ck.fixedColumns() == table.clustering().size() && ck.range() == null) {
                List<Row> rows = new ArrayList<>();
                for (byte[] c : clusterings(plan, b, ctx)) {
                    rows.add(Row.deleted(Clustering.of(c), del));
                }
                usage.written(rows.size(), key.key().length);
                return PartitionUpdate.ofRows(id, key, rows);
            }
            List<RangeTombstone> ranges = new ArrayList<>();
            for (Slice s : KeyResolver.slices(table, ck, b, ctx)) {
                ranges.add(new RangeTombstone(s, del));
            }
            usage.written(ranges.size(), key.key().length);
            return new PartitionUpdate(id, key, DeletionTime.LIVE, ranges, null, List.of());
        }
        CellWriter statics = new CellWriter(ts, ttl, now, ctx);
        for (ColumnOp op : plan.ops()) {
            if (op.column().isStatic()) {
                statics.apply(op, b, current == null ? null : current.staticRow());
            }
        }
        List<Row> rows = new ArrayList<>();
        long bytes = statics.bytes;
        for (byte[] clustering : clusterings(plan, b, ctx)) {
            CellWriter regular = new CellWriter(ts, ttl, now, ctx);
            Row existing = rowAt(current, clustering);
            for (ColumnOp op : plan.ops()) {
                if (!op.column().isStatic()) {
                    regular.apply(op, b, existing);
                }
            }
            if (plan.kind() == Kind.INSERT || !regular.isEmpty()) {
                LivenessInfo liveness = plan.kind() == Kind.INSERT ? LivenessInfo.of(ts, ttl, now) : LivenessInfo.NONE;
                rows.add(regular.row(Clustering.of(clustering), liveness));
            }
            if (regular.bytes > MAX_ROW_BYTES) {
                throw CqlException.invalid("The update exceeds the maximum row size of 1 MB");
            }
            bytes += regular.bytes + clustering.length;
        }
        if (statics.bytes > MAX_ROW_BYTES) {
            throw CqlException.invalid("The update exceeds the maximum row size of 1 MB");
        }
        Row staticRow = statics.isEmpty() ? null : statics.row(Clustering.STATIC, LivenessInfo.NONE);
        usage.written(rows.size() + (staticRow == null ? 0 : 1), bytes + key.key().length);
        return new PartitionUpdate(id, key, DeletionTime.LIVE, List.of(), staticRow, rows);
    }

    static Row rowAt(PartitionData p, byte[] clustering) {
        if (p == null) {
            return null;
        }
        for (Row r : p.rows()) {
            if (Arrays.equals(r.clustering().encoded(), clustering)) {
                return r;
            }
        }
        return null;
    }

    private static long timestamp(ModificationPlan plan, Bindings b, EvalContext ctx) {
        if (plan.timestamp() == null) {
            return ctx.timestampMicros();
        }
        byte[] v = plan.timestamp().resolve(b, ctx);
        if (v == null) {
            throw CqlException.invalid("Invalid null value of timestamp");
        }
        return Bindings.isUnset(v) ? ctx.timestampMicros() : ByteBuffer.wrap(v).getLong();
    }

    private static int ttl(ModificationPlan plan, Bindings b, EvalContext ctx) {
        if (plan.isCounter()) {
            return 0;
        }
        int ttl = defaultTtl(plan.table());
        if (plan.ttl() != null) {
            byte[] v = plan.ttl().resolve(b, ctx);
            if (v == null) {
                return 0; // as Cassandra 5: a null TTL means no TTL
            }
            if (!Bindings.isUnset(v)) {
                ttl = ByteBuffer.wrap(v).getInt();
            }
            if (ttl < 0) {
                throw CqlException.invalid("A TTL must be greater or equal to 0, but was " + ttl);
            }
            if (ttl > MAX_TTL) {
                throw CqlException.invalid("ttl is too large. requested (" + ttl + ") maximum (" + MAX_TTL + ")");
            }
        }
        return ttl;
    }

    static int defaultTtl(TableMetadata t) {
        Object v = t.options().get("default_time_to_live");
        return v == null ? 0 : Integer.parseInt(String.valueOf(v));
    }

    /** Keyed lookups of partitions read before a write. */
    static PartitionData find(Map<PartitionKey, PartitionData> read, PartitionKey key) {
        return read == null ? null : read.get(key);
    }
}
