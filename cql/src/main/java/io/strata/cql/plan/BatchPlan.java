package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.expr.ValueSource;
import java.util.List;

/**
 * A batch without conditions: its statements' updates are applied atomically (one commit-log record).
 * {@code timestamp} is the batch's USING TIMESTAMP (null: each statement's own, the client's or the
 * server's). The batch rules were checked when it was planned. Immutable.
 */
public record BatchPlan(Type type, List<ModificationPlan> statements, ValueSource timestamp) implements Plan {
    public enum Type { LOGGED, UNLOGGED, COUNTER }

    public BatchPlan {
        requireNonNull(type, "type is null");
        statements = List.copyOf(statements);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.batch(this);
    }

    @Override
    public Access access() {
        return Access.WRITE;
    }
}
