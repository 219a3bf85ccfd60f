package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** {@code DROP TABLE [IF EXISTS] [ks.]name} (also spelled {@code DROP COLUMNFAMILY}). */
public record DropTable(QualifiedName name, boolean ifExists) implements Statement {
    public DropTable {
        requireNonNull(name, "name is null");
    }
}
