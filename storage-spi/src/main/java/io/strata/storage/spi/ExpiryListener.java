package io.strata.storage.spi;

/**
 * Told when storage removes expired data for good: a TTL delete, what Keyspaces bills per 1 KB row. Expired data is
 * invisible to reads from the second it expires, but stays stored (shadowing older copies) until gc_grace has passed
 * and a compaction that sees every copy drops it; that removal is reported here, once.
 *
 * <p>Implementations are called on the engine's compaction thread and must be quick and must not block.
 */
@FunctionalInterface
public interface ExpiryListener {
    /** Counts nothing. */
    ExpiryListener NONE = table -> Purge.NONE;

    /** A compaction of {@code table} may purge expired rows: returns where to count them. */
    Purge purging(TableId table);

    /**
     * One compaction's purge. {@link #row} is called for each row that loses expired data, and {@link #committed}
     * once the compaction's result is durable; a compaction that fails is never committed and is retried later, so
     * only committed counts are real.
     */
    interface Purge {
        /** Counts nothing. */
        Purge NONE = new Purge() {
            @Override
            public void row(PartitionKey key, Row expired) {}

            @Override
            public void committed() {}
        };

        /**
         * A row (or a static row) of partition {@code key} lost expired data: {@code expired} holds that data, its
         * row marker if the marker expired and the cells that expired.
         */
        void row(PartitionKey key, Row expired);

        /** The compaction that purged the rows is durable. */
        void committed();
    }
}
