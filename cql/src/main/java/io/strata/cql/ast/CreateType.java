package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** {@code CREATE TYPE [IF NOT EXISTS] [ks.]name (field type, ...)}. */
public record CreateType(QualifiedName name, boolean ifNotExists, List<FieldDefinition> fields) implements Statement {
    public CreateType {
        requireNonNull(name, "name is null");
        fields = List.copyOf(requireNonNull(fields, "fields is null"));
    }
}
