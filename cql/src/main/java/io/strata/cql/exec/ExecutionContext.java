package io.strata.cql.exec;

/**
 * Per-execution facts: the write timestamp (microseconds) and "now" for TTLs, fixed once so that every
 * cell of one statement or batch agrees. Immutable.
 */
record ExecutionContext(long timestampMicros, long nowMillis, TimeUuids timeUuids) {
    int nowInSeconds() {
        return (int) (nowMillis / 1000);
    }
}
