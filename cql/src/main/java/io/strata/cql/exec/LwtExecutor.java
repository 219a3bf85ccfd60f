package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.capacity.Metering;
import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.Cells;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.PartitionKeys;
import io.strata.cql.plan.Condition;
import io.strata.cql.plan.ConditionalPlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.Result;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.StorageEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs lightweight transactions, as Cassandra does: every statement on one partition of one table; the rows
 * the statements name are read under the partition's compare-and-set lock in the engine (linearizable per
 * partition), every condition is evaluated against its own row (or the static row), and all statements apply
 * or none. The result is {@code [applied]} and, when a condition failed, the current values: the whole row
 * for IF NOT EXISTS / IF EXISTS, the conditioned columns otherwise (for a batch, one row per conditional
 * row, with its primary key). Thread-safe.
 */
final class LwtExecutor {
    private final StorageEngine engine;

    LwtExecutor(StorageEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    Uni<Result> run(RequestContext rc, ConditionalPlan plan, List<Bindings> bindings, EvalContext ctx) {
        TableMetadata t = plan.table();
        List<ConditionalPlan.Statement> statements = plan.statements();
        PartitionKey key = null;
        List<byte[]> clusterings = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            List<PartitionKey> keys = UpdateBuilder.partitions(statements.get(i).write(), bindings.get(i), ctx);
            PartitionKey k = keys.get(0);
            if (key != null && !key.equals(k) || keys.size() > 1) {
                throw CqlException.invalid("Batch with conditions cannot span multiple partitions");
            }
            key = k;
            List<byte[]> cs = UpdateBuilder.clusterings(statements.get(i).write(), bindings.get(i), ctx);
            clusterings.add(cs.isEmpty() ? null : cs.get(0));
        }
        checkConditionsPerRow(statements, clusterings);
        PartitionKey partition = key;
        ReadQuery read = read(rc.tenant(), t, partition, clusterings, ctx);
        rc.gate().admit(read.table(), partition.token(), true);
        if (rc.trace().enabled()) {
            rc.trace().event("Reading the current row(s) of " + t + " under the partition's compare-and-set lock");
        }
        // The updates of the last evaluation (the engine may evaluate again under contention), metered once applied.
        java.util.concurrent.atomic.AtomicReference<List<PartitionUpdate>> built = new java.util.concurrent.atomic.AtomicReference<>();
        return Uni.createFrom().completionStage(() -> engine.applyIf(read, current -> {
            PartitionData p = current.partitions().isEmpty() ? null : current.partitions().get(0);
            for (int i = 0; i < statements.size(); i++) {
                Condition c = statements.get(i).condition();
                if (c != null && !holds(c, p, clusterings.get(i), bindings.get(i), ctx)) {
                    return null;
                }
            }
            List<PartitionUpdate> updates = new ArrayList<>();
            for (int i = 0; i < statements.size(); i++) {
                updates.add(UpdateBuilder.build(rc.tenant(), statements.get(i).write(), partition, bindings.get(i), ctx, p,
                        rc.usage()));
            }
            built.set(updates);
            return updates;
        })).chain(result -> {
            PartitionData p = result.current().partitions().isEmpty() ? null : result.current().partitions().get(0);
            meter(rc, t, partition, clusterings, result.applied(), built.get(), p);
            if (rc.trace().enabled()) {
                rc.trace().event(result.applied() ? "Conditions held: updates applied" : "Conditions did not hold");
            }
            Result answer = plan.batch() ? batchResult(t, statements, clusterings, result.applied(), p)
                    : singleResult(t, statements.get(0), clusterings.get(0), result.applied(), p);
            // an LWT's ledger entries cannot join its compare-and-set (one partition only): written durably before
            // the answer instead, so an acknowledged LWT, applied or not, is billed after a crash too
            List<PartitionUpdate> journal = rc.journal().entries(rc);
            return journal.isEmpty() ? Uni.createFrom().item(answer)
                    : Uni.createFrom().completionStage(() -> engine.apply(journal)).map(v -> answer);
        });
    }

    /**
     * Applied: the rows written, as any write. Not applied: each row the statements name, at its current size or
     * 1 write unit if absent (Keyspaces' rule for failed conditions); no read units either way.
     */
    private static void meter(RequestContext rc, TableMetadata t, PartitionKey key, List<byte[]> clusterings,
            boolean applied, List<PartitionUpdate> updates, PartitionData p) {
        if (applied) {
            for (PartitionUpdate u : updates == null ? List.<PartitionUpdate>of() : updates) {
                Metering.written(t, u, rc.usage());
            }
            return;
        }
        Set<String> seen = new java.util.HashSet<>();
        for (byte[] c : clusterings) {
            if (seen.add(c == null ? "static" : HexFormat.of().formatHex(c))) {
                Row current = c == null ? (p == null ? null : p.staticRow()) : UpdateBuilder.rowAt(p, c);
                Metering.conditionFailed(t, key, current, rc.usage());
            }
        }
    }

    /** Cassandra's rule for batches: one row cannot be tested both for absence and for its values or presence. */
    private static void checkConditionsPerRow(List<ConditionalPlan.Statement> statements, List<byte[]> clusterings) {
        java.util.Map<String, Condition> byRow = new java.util.HashMap<>();
        for (int i = 0; i < statements.size(); i++) {
            Condition c = statements.get(i).condition();
            if (c == null) {
                continue;
            }
            String row = clusterings.get(i) == null ? "static" : HexFormat.of().formatHex(clusterings.get(i));
            Condition prev = byRow.putIfAbsent(row, c);
            if (prev == null || prev.getClass() == c.getClass()) {
                continue;
            }
            boolean notExists = prev instanceof Condition.IfNotExists || c instanceof Condition.IfNotExists;
            if (notExists && (prev instanceof Condition.IfExists || c instanceof Condition.IfExists)) {
                throw CqlException.invalid("Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row");
            }
            if (notExists) {
                throw CqlException.invalid("Cannot mix IF conditions and IF NOT EXISTS for the same row");
            }
        }
    }

    /** The read of every row the statements name (and the static row), or just the static row. */
    private static ReadQuery read(String tenant, TableMetadata t, PartitionKey key, List<byte[]> clusterings,
            EvalContext ctx) {
        TreeMap<byte[], Slice> slices = new TreeMap<>(Arrays::compareUnsigned);
        for (byte[] c : clusterings) {
            if (c != null) {
                slices.put(c, t.clustering().isEmpty() ? Slice.ALL : Slice.prefix(c));
            }
        }
        List<Slice> list = slices.isEmpty() ? List.of(Slice.ALL) : List.copyOf(slices.values());
        int limit = slices.isEmpty() ? 1 : slices.size();
        return new ReadQuery(t.tableId(tenant), new PartitionSelection.Single(key), list, false, null, limit, limit,
                ctx.nowInSeconds(), null);
    }

    private static boolean holds(Condition condition, PartitionData p, byte[] clustering, Bindings b, EvalContext ctx) {
        Row staticRow = p == null ? null : p.staticRow();
        Row row = clustering == null ? null : UpdateBuilder.rowAt(p, clustering);
        if (condition instanceof Condition.IfNotExists) {
            return clustering == null ? !hasCells(staticRow) : row == null;
        }
        if (condition instanceof Condition.IfExists) {
            return clustering == null ? hasCells(staticRow) : row != null;
        }
        for (Condition.ColumnCondition c : ((Condition.IfColumns) condition).conditions()) {
            byte[] actual = Conditions.actual(c, c.column().isStatic() ? staticRow : row, b, ctx);
            if (!Conditions.holds(c, actual, b, ctx)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasCells(Row r) {
        return r != null && !r.cells().isEmpty();
    }

    private static Result singleResult(TableMetadata t, ConditionalPlan.Statement s, byte[] clustering, boolean applied,
            PartitionData p) {
        List<ResultColumn> columns = new ArrayList<>();
        List<ByteBuffer> values = new ArrayList<>();
        columns.add(new ResultColumn(t.keyspace(), t.name(), "[applied]", NativeType.BOOLEAN));
        values.add(ByteBuffer.wrap(Values.ofBoolean(applied)));
        Row row = clustering == null ? null : UpdateBuilder.rowAt(p, clustering);
        boolean found = clustering == null ? p != null && hasCells(p.staticRow()) : row != null;
        if (!applied && found) {
            List<ColumnMetadata> shown;
            Row shownRow = row;
            boolean withStatics = true;
            if (s.condition() instanceof Condition.IfColumns cols) {
                shown = conditioned(List.of(cols));
            } else {
                // As Cassandra: the whole row, statics first; a row's static values are read only when the statement
                // writes a static column, and a static-only statement shows the partition's first row key.
                shown = wholeRow(t);
                withStatics = clustering == null || s.write().ops().stream().anyMatch(o -> o.column().isStatic());
                if (clustering == null) {
                    shownRow = p.rows().isEmpty() ? null : Row.of(p.rows().get(0).clustering(),
                            io.strata.storage.spi.LivenessInfo.NONE, List.of());
                }
            }
            for (ColumnMetadata c : shown) {
                columns.add(new ResultColumn(t.keyspace(), t.name(), c.name(), c.type()));
            }
            values.addAll(currentValues(t, shown, p, shownRow, withStatics));
        }
        List<List<ByteBuffer>> rows = new ArrayList<>();
        rows.add(values);
        return new Result.Rows(columns, rows, null);
    }

    /** Partition key, clustering, static and then regular columns, each by name: Cassandra's CAS row order. */
    private static List<ColumnMetadata> wholeRow(TableMetadata t) {
        List<ColumnMetadata> out = new ArrayList<>(t.partitionKey());
        out.addAll(t.clustering());
        t.regularAndStatic().stream().filter(ColumnMetadata::isStatic).forEach(out::add);
        t.regularAndStatic().stream().filter(c -> !c.isStatic()).forEach(out::add);
        return out;
    }

    /** The conditioned columns: regular ones in condition order, then static ones in condition order. */
    private static List<ColumnMetadata> conditioned(List<Condition.IfColumns> conditions) {
        List<ColumnMetadata> regular = new ArrayList<>();
        List<ColumnMetadata> statics = new ArrayList<>();
        for (Condition.IfColumns cols : conditions) {
            for (Condition.ColumnCondition c : cols.conditions()) {
                List<ColumnMetadata> into = c.column().isStatic() ? statics : regular;
                if (!into.contains(c.column())) {
                    into.add(c.column());
                }
            }
        }
        regular.addAll(statics);
        return regular;
    }

    private static Result batchResult(TableMetadata t, List<ConditionalPlan.Statement> statements, List<byte[]> clusterings,
            boolean applied, PartitionData p) {
        List<ColumnMetadata> shown = new ArrayList<>(t.partitionKey());
        shown.addAll(t.clustering());
        List<Condition.IfColumns> columnConditions = new ArrayList<>();
        boolean staticConditions = false;
        for (ConditionalPlan.Statement s : statements) {
            if (s.condition() instanceof Condition.IfColumns cols) {
                columnConditions.add(cols);
                staticConditions |= cols.conditions().stream().anyMatch(c -> c.column().isStatic());
            }
        }
        for (ColumnMetadata c : conditioned(columnConditions)) {
            if (!shown.contains(c)) {
                shown.add(c);
            }
        }
        List<ResultColumn> specs = new ArrayList<>();
        specs.add(new ResultColumn(t.keyspace(), t.name(), "[applied]", NativeType.BOOLEAN));
        List<List<ByteBuffer>> rows = new ArrayList<>();
        if (applied || p == null || p.rows().isEmpty() && !hasCells(p.staticRow())) {
            List<ByteBuffer> only = new ArrayList<>();
            only.add(ByteBuffer.wrap(Values.ofBoolean(applied)));
            rows.add(only);
            return new Result.Rows(specs, rows, null);
        }
        for (ColumnMetadata c : shown) {
            specs.add(new ResultColumn(t.keyspace(), t.name(), c.name(), c.type()));
        }
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).condition() == null || clusterings.get(i) == null) {
                continue;
            }
            Row row = UpdateBuilder.rowAt(p, clusterings.get(i));
            if (row == null || !seen.add(HexFormat.of().formatHex(row.clustering().encoded()))) {
                continue;
            }
            List<ByteBuffer> values = new ArrayList<>();
            values.add(ByteBuffer.wrap(Values.ofBoolean(false)));
            values.addAll(currentValues(t, shown, p, row, true));
            rows.add(values);
        }
        if (rows.isEmpty() && staticConditions && hasCells(p.staticRow())) {
            // The partition's static values, on a row of their own (no clustering), as Cassandra shows them.
            List<ByteBuffer> values = new ArrayList<>();
            values.add(ByteBuffer.wrap(Values.ofBoolean(false)));
            values.addAll(currentValues(t, shown, p, null, true));
            rows.add(values);
        }
        if (rows.isEmpty()) {
            List<ByteBuffer> only = new ArrayList<>();
            only.add(ByteBuffer.wrap(Values.ofBoolean(false)));
            for (int i = 0; i < shown.size(); i++) {
                only.add(null);
            }
            rows.add(only);
        }
        return new Result.Rows(specs, rows, null);
    }

    /** The values of {@code columns} in a row read by a conditional statement (for its [applied]=false result). */
    private static List<ByteBuffer> currentValues(TableMetadata t, List<ColumnMetadata> columns, PartitionData p, Row row,
            boolean withStatics) {
        List<byte[]> pk = PartitionKeys.split(p.key().key(), t.partitionKey().size());
        List<byte[]> ck = t.clustering().isEmpty() || row == null ? List.of()
                : ComparableEncoding.decode(t.clusteringTypes(), t.clusteringDescending(), row.clustering().encoded());
        List<ByteBuffer> values = new ArrayList<>(columns.size());
        for (ColumnMetadata c : columns) {
            byte[] v = switch (c.kind()) {
                case PARTITION_KEY -> pk.get(c.position());
                case CLUSTERING -> c.position() < ck.size() ? ck.get(c.position()) : null;
                case STATIC -> withStatics ? Cells.value(p.staticRow(), c.name(), c.type()) : null;
                case REGULAR -> Cells.value(row, c.name(), c.type());
            };
            values.add(v == null ? null : ByteBuffer.wrap(v));
        }
        return values;
    }
}
