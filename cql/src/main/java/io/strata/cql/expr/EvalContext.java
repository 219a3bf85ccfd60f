package io.strata.cql.expr;

/**
 * Per-execution facts: the write timestamp (microseconds) and "now" for TTLs, fixed once so that every
 * cell of one statement or batch agrees. Immutable.
 */
public record EvalContext(long timestampMicros, long nowMillis, TimeUuids timeUuids) {
    public int nowInSeconds() {
        return (int) (nowMillis / 1000);
    }
}
