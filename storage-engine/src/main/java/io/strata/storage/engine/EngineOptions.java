package io.strata.storage.engine;

/**
 * Tuning of the engine.
 *
 * @param flushThresholdBytes memtables of all tables together are flushed once they exceed this estimate
 * @param stallThresholdBytes writers wait (their acknowledgement is delayed) while memtables exceed this and a flush runs
 * @param readThreads threads serving reads
 * @param gcGraceSeconds how long tombstones are kept before a major compaction may purge them (Cassandra's
 *     gc_grace_seconds default; per-table values come with the storage issue)
 */
public record EngineOptions(long flushThresholdBytes, long stallThresholdBytes, int readThreads, int gcGraceSeconds) {
    public static final int DEFAULT_GC_GRACE_SECONDS = 864_000;

    public EngineOptions(long flushThresholdBytes, long stallThresholdBytes, int readThreads) {
        this(flushThresholdBytes, stallThresholdBytes, readThreads, DEFAULT_GC_GRACE_SECONDS);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(64L << 20, 256L << 20, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
}
