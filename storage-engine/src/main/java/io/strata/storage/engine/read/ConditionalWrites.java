package io.strata.storage.engine.read;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.spi.ConditionalResult;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.StorageException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Read, decide, write on one partition (lightweight transactions), linearizable per partition: a striped
 * partition lock is held across the read, the decision and the durable write. Plain writes do not take it
 * (as in Cassandra, mixing LWT and non-LWT writes on a partition is not linearizable). Runs on its own
 * executor, since each operation blocks a thread until its write is durable. Thread-safe.
 */
public final class ConditionalWrites {
    private static final int STRIPES = 1024;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final Tables tables;
    private final Executor executor;
    private final Function<List<PartitionUpdate>, CompletionStage<Void>> apply;

    /**
     * @param apply the engine's durable apply
     */
    public ConditionalWrites(Tables tables, Executor executor, Function<List<PartitionUpdate>, CompletionStage<Void>> apply) {
        this.tables = requireNonNull(tables, "tables is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.apply = requireNonNull(apply, "apply is null");
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** See {@link io.strata.storage.spi.StorageEngine#applyIf}. */
    public CompletionStage<ConditionalResult> applyIf(ReadQuery query, Function<ReadResult, List<PartitionUpdate>> decide) {
        if (!(query.partitions() instanceof PartitionSelection.Single single)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a conditional write reads one partition"));
        }
        Table table = tables.get(query.table());
        if (table == null) {
            return CompletableFuture.failedFuture(new StorageException("table " + query.table() + " does not exist"));
        }
        ReentrantLock lock = locks[Math.floorMod(Long.hashCode(single.key().token()) ^ table.id().id().hashCode(), STRIPES)];
        return CompletableFuture.supplyAsync(() -> {
            lock.lock();
            try {
                ReadResult current = Reader.read(table.view(), query);
                List<PartitionUpdate> updates = decide.apply(current);
                if (updates == null || updates.isEmpty()) {
                    return new ConditionalResult(false, current);
                }
                for (PartitionUpdate u : updates) {
                    if (!u.key().equals(single.key()) || !u.table().equals(query.table())) {
                        throw new IllegalArgumentException("a conditional write may only update the partition it read");
                    }
                }
                apply.apply(updates).toCompletableFuture().join();
                return new ConditionalResult(true, current);
            } finally {
                lock.unlock();
            }
        }, executor);
    }
}
