package io.strata.storage.engine.flush;

/**
 * When to flush and stall, and whether flushed commit logs are kept.
 *
 * @param flushThresholdBytes memtables of all tables together are flushed once they exceed this estimate
 * @param stallThresholdBytes writers wait while memtables exceed this and a flush runs
 * @param retainLogs whether flushed logs are kept (marked retired) for point-in-time recovery, or deleted at once
 */
public record FlushPolicy(long flushThresholdBytes, long stallThresholdBytes, boolean retainLogs) {}
