package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.Describe;

/** Server-side {@code DESCRIBE}; {@code keyspace} is the session's keyspace (or null). Immutable. */
public record DescribePlan(Describe statement, String keyspace) implements Plan {
    public DescribePlan {
        requireNonNull(statement, "statement is null");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.describe(this);
    }

    @Override
    public Access access() {
        return Access.NONE;
    }
}
