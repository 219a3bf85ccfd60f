package io.strata.storage.engine.read;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.runtime.FairShareExecutor;
import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.spi.ConditionalResult;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.StorageOverloadedException;
import io.strata.storage.spi.TableId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Read, decide, write on one partition (lightweight transactions), linearizable per partition: a striped
 * partition lock is held across the read, the decision and the durable write. Plain writes do not take it
 * (as in Cassandra, mixing LWT and non-LWT writes on a partition is not linearizable). Runs on its own
 * executor, since each operation blocks a thread until its write is durable.
 *
 * <p>Each tenant has its own lock stripes (made on its first conditional write), so one tenant's hot partitions
 * never block another tenant's; the same table and partition always map to the same lock (a table belongs to
 * one tenant). The executor is shared fairly by tenants ({@link FairShareExecutor}). Thread-safe.
 */
public final class ConditionalWrites {
    /** Per tenant: a tenant's collisions only slow that tenant, so fewer than the old 1024 global ones suffice. */
    static final int STRIPES = 256;

    /** Kept while the engine runs: 256 idle locks (about 8 KiB) per tenant that ever ran a conditional write. */
    private final ConcurrentMap<String, ReentrantLock[]> locks = new ConcurrentHashMap<>();
    private final Tables tables;
    private final FairShareExecutor<String> executor;
    private final Function<List<PartitionUpdate>, CompletionStage<Void>> apply;

    /**
     * @param executor runs the operations, keyed by tenant
     * @param apply the engine's durable apply
     */
    public ConditionalWrites(Tables tables, FairShareExecutor<String> executor,
            Function<List<PartitionUpdate>, CompletionStage<Void>> apply) {
        this.tables = requireNonNull(tables, "tables is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.apply = requireNonNull(apply, "apply is null");
    }

    /** The lock of a partition: the same for the same table and key, never shared across tenants. */
    ReentrantLock lockFor(TableId table, PartitionKey key) {
        ReentrantLock[] stripes = locks.computeIfAbsent(table.tenant(), t -> {
            ReentrantLock[] l = new ReentrantLock[STRIPES];
            for (int i = 0; i < STRIPES; i++) {
                l[i] = new ReentrantLock();
            }
            return l;
        });
        return stripes[Math.floorMod(Long.hashCode(key.token()) ^ table.id().hashCode(), STRIPES)];
    }

    /** See {@link io.strata.storage.spi.StorageEngine#applyIf}. */
    public CompletionStage<ConditionalResult> applyIf(ReadQuery query, Function<ReadResult, List<PartitionUpdate>> decide) {
        if (!(query.partitions() instanceof PartitionSelection.Single single)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a conditional write reads one partition"));
        }
        Table table = tables.get(query.table());
        if (table == null) {
            return CompletableFuture.failedFuture(tables.missing(query.table()));
        }
        ReentrantLock lock = lockFor(table.id(), single.key());
        String tenant = table.id().tenant();
        try {
            return CompletableFuture.supplyAsync(() -> underLock(lock, table, query, single.key(), decide),
                    executor.executor(tenant));
        } catch (FairShareExecutor.QueueFullException e) {
            return CompletableFuture.failedFuture(new StorageOverloadedException(
                    "tenant " + tenant + " has too many conditional writes queued; retry later", e));
        }
    }

    private ConditionalResult underLock(ReentrantLock lock, Table table, ReadQuery query, PartitionKey key,
            Function<ReadResult, List<PartitionUpdate>> decide) {
        lock.lock();
        try {
            ReadResult current = Reader.read(table, query);
            List<PartitionUpdate> updates = decide.apply(current);
            if (updates == null || updates.isEmpty()) {
                return new ConditionalResult(false, current);
            }
            for (PartitionUpdate u : updates) {
                if (!u.key().equals(key) || !u.table().equals(query.table())) {
                    throw new IllegalArgumentException("a conditional write may only update the partition it read");
                }
            }
            apply.apply(updates).toCompletableFuture().join();
            return new ConditionalResult(true, current);
        } finally {
            lock.unlock();
        }
    }
}
