package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/**
 * A possibly keyspace-qualified name ({@code ks.t} or {@code t}). {@code keyspace} is null when absent;
 * the analyzer resolves it against the session's current keyspace.
 */
public record QualifiedName(String keyspace, String name) {
    public QualifiedName {
        requireNonNull(name, "name is null");
    }

    public static QualifiedName of(String name) {
        return new QualifiedName(null, name);
    }

    public boolean hasKeyspace() {
        return keyspace != null;
    }

    @Override
    public String toString() {
        return keyspace == null ? name : keyspace + "." + name;
    }
}
