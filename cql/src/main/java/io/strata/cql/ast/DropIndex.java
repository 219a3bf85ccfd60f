package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** {@code DROP INDEX [IF EXISTS] [ks.]name}. */
public record DropIndex(QualifiedName name, boolean ifExists) implements Statement {
    public DropIndex {
        requireNonNull(name, "name is null");
    }
}
