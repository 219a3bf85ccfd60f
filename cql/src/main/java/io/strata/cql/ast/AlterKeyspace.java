package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** {@code ALTER KEYSPACE name WITH ...}; property values as in {@link CreateKeyspace}. */
public record AlterKeyspace(String name, Map<String, Object> properties) implements Statement {
    public AlterKeyspace {
        requireNonNull(name, "name is null");
        properties = PropertyMaps.copy(properties);
    }
}
