package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

/** {@code USE keyspace}: checked to exist, then the session's keyspace. Immutable. */
public record UsePlan(String keyspace) implements Plan {
    public UsePlan {
        requireNonNull(keyspace, "keyspace is null");
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.use(this);
    }

    @Override
    public Access access() {
        return Access.NONE;
    }
}
