package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

/**
 * {@code DESCRIBE | DESC} (server-side describe, as in Cassandra 4). {@code target} is set for
 * {@code [ONLY] KEYSPACE x} (name only), {@code TABLE x}, {@code TYPE x} and {@code NAME} (a bare
 * {@code DESCRIBE x}, to be resolved as a keyspace or table); null otherwise. {@code KEYSPACE} without a
 * name means the current keyspace; {@code ONLY_KEYSPACE} is {@code DESCRIBE ONLY KEYSPACE} (the keyspace
 * without its types and tables).
 */
public record Describe(Kind kind, QualifiedName target) implements Statement {
    public Describe {
        requireNonNull(kind, "kind is null");
    }

    /** What is described. */
    public enum Kind { KEYSPACES, KEYSPACE, ONLY_KEYSPACE, TABLES, TABLE, TYPES, TYPE, SCHEMA, FULL_SCHEMA, CLUSTER, NAME }
}
