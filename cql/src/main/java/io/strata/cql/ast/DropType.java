package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** {@code DROP TYPE [IF EXISTS] [ks.]name}. */
public record DropType(QualifiedName name, boolean ifExists) implements Statement {
    public DropType {
        requireNonNull(name, "name is null");
    }
}
