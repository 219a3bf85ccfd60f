package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** {@code USE keyspace}. */
public record Use(String keyspace) implements Statement {
    public Use {
        requireNonNull(keyspace, "keyspace is null");
    }
}
