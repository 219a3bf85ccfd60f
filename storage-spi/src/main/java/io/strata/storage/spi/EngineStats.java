package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot of an engine's counters, for operators, metrics and readiness checks. Taking one does no I/O.
 * Counters an engine does not keep are zero. Immutable.
 *
 * @param writerEpoch the epoch this engine claimed when it opened (a newer writer claims a higher one)
 * @param fenced whether a newer writer took over this engine's storage (its writes then fail)
 * @param commitLog the name of the commit log being appended
 * @param commitLogBytes bytes appended to that log so far (0: a roll would move nothing into segments)
 * @param memtableBytes estimated bytes held in memtables, every table together
 * @param tables live tables
 * @param segments live segments, every table together
 * @param blockCacheBytes bytes of uncompressed blocks in the block cache
 * @param blockCacheHitRate the block cache's hit rate since start (0 to 1)
 * @param diskCacheBytes bytes of segments held in the local disk cache (remote data stores)
 * @param bytesFlushed segment bytes written by flushes since start
 * @param bytesCompacted segment bytes written by compactions since start
 * @param writeAmplification segment bytes written by flushes and compactions per byte flushed (0 before a flush)
 */
public record EngineStats(long writerEpoch, boolean fenced, String commitLog, long commitLogBytes, long memtableBytes,
        int tables, int segments, long blockCacheBytes, double blockCacheHitRate, long diskCacheBytes, long bytesFlushed,
        long bytesCompacted, double writeAmplification) {
    public EngineStats {
        requireNonNull(commitLog, "commitLog is null");
    }
}
