package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/** One column of a {@code CREATE TABLE} or {@code ALTER TABLE ... ADD}. */
public record ColumnDefinition(String name, TypeRef type, boolean isStatic) {
    public ColumnDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
