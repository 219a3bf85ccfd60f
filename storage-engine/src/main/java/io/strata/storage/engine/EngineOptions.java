package io.strata.storage.engine;

/**
 * Tuning of the engine.
 *
 * @param flushThresholdBytes memtables of all tables together are flushed once they exceed this estimate
 * @param stallThresholdBytes writers wait (their acknowledgement is delayed) while memtables exceed this and a flush runs
 * @param readThreads threads serving reads
 */
public record EngineOptions(long flushThresholdBytes, long stallThresholdBytes, int readThreads) {
    public static EngineOptions defaults() {
        return new EngineOptions(64L << 20, 256L << 20, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
}
