package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.capacity.Metering;
import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.plan.BatchPlan;
import io.strata.cql.plan.ModificationPlan;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.Result;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.StorageEngine;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs unconditional writes: one statement, or a batch whose statements' updates are applied together,
 * atomically and durably (one commit-log record acknowledged by a quorum of zones). Statements with list
 * operations by index or value read their rows first, as Cassandra does. Warns, as Cassandra does, about
 * unlogged batches spanning many partitions and about large batches. Thread-safe.
 */
final class WriteExecutor {
    /** Cassandra's default batch_size_warn_threshold. */
    static final long BATCH_WARN_BYTES = 5 * 1024;
    /** Cassandra's default unlogged_batch_across_partitions_warn_threshold. */
    static final int UNLOGGED_PARTITIONS_WARN = 10;

    private final StorageEngine engine;

    WriteExecutor(StorageEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    Uni<Result> modification(RequestContext rc, ModificationPlan plan, Bindings b, EvalContext ctx) {
        return updates(rc, plan, b, ctx, 1).chain(updates -> apply(rc, updates));
    }

    Uni<Result> batch(RequestContext rc, BatchPlan plan, List<Bindings> bindings, EvalContext ctx) {
        EvalContext batchCtx = ctx;
        if (plan.timestamp() != null) {
            byte[] v = plan.timestamp().resolve(bindings.get(0), ctx);
            if (v != null && !Bindings.isUnset(v)) {
                // USING TIMESTAMP of the batch is every statement's default timestamp.
                batchCtx = new EvalContext(ByteBuffer.wrap(v).getLong(), ctx.nowMillis(), ctx.timeUuids());
            }
        }
        // Keyspaces writes each row of a logged batch twice (prepare, then commit) and meters both writes.
        int writes = plan.type() == BatchPlan.Type.LOGGED ? 2 : 1;
        List<Uni<List<PartitionUpdate>>> parts = new ArrayList<>();
        for (int i = 0; i < plan.statements().size(); i++) {
            parts.add(updates(rc, plan.statements().get(i), bindings.get(i), batchCtx, writes));
        }
        return Uni.join().all(parts).andFailFast().chain(all -> {
            List<PartitionUpdate> updates = new ArrayList<>();
            all.forEach(updates::addAll);
            warn(rc, plan, updates);
            return apply(rc, updates);
        });
    }

    private static void warn(RequestContext rc, BatchPlan plan, List<PartitionUpdate> updates) {
        Set<PartitionKey> partitions = new HashSet<>();
        Set<String> tables = new java.util.TreeSet<>();
        for (PartitionUpdate u : updates) {
            partitions.add(u.key());
            tables.add(u.table().keyspace() + "." + u.table().table());
        }
        if (plan.type() == BatchPlan.Type.UNLOGGED && partitions.size() > UNLOGGED_PARTITIONS_WARN) {
            rc.warnings().add("Unlogged batch covering " + partitions.size() + " partitions detected against table"
                    + (tables.size() == 1 ? " " : "s ") + tables + ". You should use a logged batch for atomicity, or "
                    + "asynchronous writes for performance.");
        }
        long bytes = rc.usage().bytesWritten();
        // As Cassandra: batches on one partition are exempt; the size is the data the batch writes.
        if (partitions.size() > 1 && bytes > BATCH_WARN_BYTES) {
            rc.warnings().add("Batch for " + tables + " is of size " + bytes + ", exceeding specified threshold of "
                    + BATCH_WARN_BYTES + " by " + (bytes - BATCH_WARN_BYTES) + ".");
        }
    }

    /**
     * The statement's updates, reading first where a list operation needs the current list, metered as written
     * {@code writes} times.
     */
    Uni<List<PartitionUpdate>> updates(RequestContext rc, ModificationPlan plan, Bindings b, EvalContext ctx, int writes) {
        List<PartitionKey> keys = UpdateBuilder.partitions(plan, b, ctx);
        String tenant = rc.tenant();
        if (!plan.needsRead()) {
            List<PartitionUpdate> out = new ArrayList<>(keys.size());
            for (PartitionKey key : keys) {
                out.add(metered(rc, plan, writes, UpdateBuilder.build(tenant, plan, key, b, ctx, null, rc.usage())));
            }
            return Uni.createFrom().item(out);
        }
        List<Uni<PartitionUpdate>> reads = new ArrayList<>();
        for (PartitionKey key : keys) {
            reads.add(Uni.createFrom().completionStage(() -> engine.read(UpdateBuilder.readBeforeWrite(tenant, plan, key, b, ctx)))
                    .map(r -> metered(rc, plan, writes, UpdateBuilder.build(tenant, plan, key, b, ctx,
                            r.partitions().isEmpty() ? null : r.partitions().get(0), rc.usage()))));
        }
        return Uni.join().all(reads).andFailFast();
    }

    /**
     * Meters the update's rows in write units. The read before a list operation by index or value is not metered:
     * a write is billed on what it writes (docs/capacity.md).
     */
    private static PartitionUpdate metered(RequestContext rc, ModificationPlan plan, int writes, PartitionUpdate u) {
        Metering.written(plan.table(), u, writes, rc.usage());
        return u;
    }

    private Uni<Result> apply(RequestContext rc, List<PartitionUpdate> updates) {
        List<PartitionUpdate> all = updates;
        try {
            for (PartitionUpdate u : updates) {
                rc.gate().admit(u.table(), u.key().token(), true);
            }
            // the ledger's entries go in the same commit-log record: billed exactly when acknowledged
            List<PartitionUpdate> journal = rc.journal().entries(rc);
            if (!journal.isEmpty()) {
                all = new ArrayList<>(updates.size() + journal.size());
                all.addAll(updates);
                all.addAll(journal);
            }
        } catch (RuntimeException refused) {
            return Uni.createFrom().failure(refused);
        }
        List<PartitionUpdate> applied = all;
        if (rc.trace().enabled()) {
            rc.trace().event("Appending " + updates.size() + " partition update(s) to the commit log (quorum of zones)");
        }
        return Uni.createFrom().completionStage(() -> engine.apply(applied)).map(v -> {
            if (rc.trace().enabled()) {
                rc.trace().event("Commit log record acknowledged by a quorum of zones; memtables updated");
            }
            return Result.VOID;
        });
    }
}
