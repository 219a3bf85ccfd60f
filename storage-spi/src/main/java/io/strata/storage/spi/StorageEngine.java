package io.strata.storage.spi;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The storage engine as the CQL layer sees it. Thread-safe; every operation may be called from any
 * thread and never blocks the caller for I/O: stages complete on the engine's own threads, so callers
 * must not block inside their continuations either (hop to their own executor if they need to).
 *
 * <p>Durability: when the stage of {@link #apply} completes normally, the updates survive a process
 * crash and a power loss. Visibility: a read that starts after an apply completed sees it.
 */
public interface StorageEngine extends AutoCloseable {
    /** Creates the table's storage; idempotent (creating an existing table succeeds). */
    CompletionStage<Void> createTable(TableId table);

    /**
     * Applies schema-derived settings to a created table (on every schema load and change; not persisted by
     * the engine, which uses conservative defaults until told). Unknown tables are ignored.
     */
    default CompletionStage<Void> configureTable(TableId table, TableSettings settings) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /**
     * Checks that the tenant may encrypt tables under customer-managed key {@code customerKey} (it exists in the key
     * provider and is the tenant's), before a schema names it. Fails the stage with a
     * {@link io.strata.storage.spi.crypto.KeyUnavailableException} whose message says why.
     */
    default CompletionStage<Void> checkCustomerKey(String tenant, String customerKey) {
        return java.util.concurrent.CompletableFuture.failedFuture(new io.strata.storage.spi.crypto.KeyUnavailableException(
                "this storage engine does not support customer managed keys"));
    }

    /**
     * Starts restoring table {@code source} (any incarnation that has history, dropped ones included) as it was at
     * {@code atMillis} (every write committed at or before that instant, none after) into {@code target}, a new table
     * of the same tenant whose storage this creates. The stage completes once the restore is validated and under way
     * (fails with a {@link StorageException} saying why when there is no history for that instant); the target
     * becomes readable when {@link #restoreStatus} says ACTIVE. Segments are shared, not copied; only the commit-log
     * tail up to the instant is replayed. A restore interrupted by a crash is FAILED at the next open and its storage
     * removed; the source is never touched.
     */
    default CompletionStage<Void> restoreTable(TableId source, long atMillis, TableId target) {
        return java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException(
                "this storage engine keeps no history to restore from"));
    }

    /** As {@link #restoreTable}, from on-demand backup {@code backup} of the target's tenant. */
    default CompletionStage<Void> restoreBackup(String backup, TableId target) {
        return java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException(
                "this storage engine has no backups"));
    }

    /** The state of the restore into {@code target}, or null when no restore of that table is known. */
    default RestoreStatus restoreStatus(TableId target) {
        return null;
    }

    /**
     * Takes an on-demand backup of the table now (its memtable flushed first), named {@code name} (unique in the
     * tenant), storing {@code metadata} beside it; fails if the name is taken.
     */
    default CompletionStage<BackupInfo> createBackup(TableId table, String name, byte[] metadata) {
        return java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException(
                "this storage engine has no backups"));
    }

    /** The tenant's backups, by name. */
    default CompletionStage<List<BackupInfo>> listBackups(String tenant) {
        return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }

    /** Deletes a backup (its segments go once nothing else uses them); idempotent. */
    default CompletionStage<Void> deleteBackup(String tenant, String name) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** Drops the table and schedules its data for deletion; idempotent. */
    CompletionStage<Void> dropTable(TableId table);

    /** Removes every row of the table, durably; the table stays. */
    CompletionStage<Void> truncate(TableId table);

    /**
     * Applies the updates atomically (all or none survive a crash) and durably. Updates may span
     * tables and partitions of one tenant; updates to tables not created fail the whole call.
     */
    CompletionStage<Void> apply(List<PartitionUpdate> updates);

    /** Reads reconciled, live data. */
    CompletionStage<ReadResult> read(ReadQuery query);

    /**
     * A compare-and-set on one partition (lightweight transactions): reads {@code read} (which must select a
     * single partition), asks {@code decide} whether to write and what, and applies those updates durably,
     * all while no other {@code applyIf} on the same partition runs, so conditional operations on a
     * partition are linearizable. {@code decide} returns null (or an empty list) to apply nothing; it runs
     * on an engine thread and must not block.
     *
     * @throws UnsupportedOperationException (in the stage) if the engine lacks {@link StorageCapability#LWT}
     */
    CompletionStage<ConditionalResult> applyIf(ReadQuery read,
            java.util.function.Function<ReadResult, List<PartitionUpdate>> decide);

    /**
     * Registers who is told when expired data is removed for good (TTL deletes, for billing); replaces the previous
     * listener. Engines that never remove expired data ignore it.
     */
    default void expiryListener(ExpiryListener listener) {}

    /**
     * The table's stored size in bytes (its segments as written, plus what its memtables hold), what storage is
     * billed on; 0 for an unknown table or an engine that does not know. Answers from memory.
     */
    default long tableBytes(TableId table) {
        return 0;
    }

    /**
     * Bytes the table keeps only as point-in-time history (flushed commit-log records and superseded segments kept
     * for the recovery window), what Keyspaces bills as PITR storage; 0 for a table without it or an engine that
     * keeps none. Answers from memory (refreshed by garbage collection).
     */
    default long historyBytes(TableId table) {
        return 0;
    }

    /** Versioned documents (schemas, tenant registry) stored with the same durability as data. */
    CatalogStore catalog();

    Set<StorageCapability> capabilities();

    /** A snapshot of the engine's counters (epoch, fencing, caches, write amplification); does no I/O. */
    EngineStats stats();

    /** Flushes memtables and closes files; acknowledged writes are already durable, so this only speeds restart. */
    @Override
    void close();
}
