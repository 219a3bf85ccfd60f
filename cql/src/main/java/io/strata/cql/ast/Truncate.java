package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** {@code TRUNCATE [TABLE] [ks.]name}. */
public record Truncate(QualifiedName name) implements Statement {
    public Truncate {
        requireNonNull(name, "name is null");
    }
}
