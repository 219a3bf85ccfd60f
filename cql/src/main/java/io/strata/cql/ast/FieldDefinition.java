package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** One field of a user-defined type. */
public record FieldDefinition(String name, TypeRef type) {
    public FieldDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
