package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** {@code DROP KEYSPACE [IF EXISTS] name}. */
public record DropKeyspace(String name, boolean ifExists) implements Statement {
    public DropKeyspace {
        requireNonNull(name, "name is null");
    }
}
