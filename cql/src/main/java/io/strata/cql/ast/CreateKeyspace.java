package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * {@code CREATE KEYSPACE [IF NOT EXISTS] name WITH replication = {...} [AND durable_writes = ...]}.
 * Property values are {@code String}, {@link PropertyNumber}, {@code Boolean} or nested {@code Map<String,Object>}.
 */
public record CreateKeyspace(String name, boolean ifNotExists, Map<String, Object> properties) implements Statement {
    public CreateKeyspace {
        requireNonNull(name, "name is null");
        properties = PropertyMaps.copy(properties);
    }
}
