package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A schema change, as DDL results and SCHEMA_CHANGE events announce it: what happened to which element.
 * {@code name} is null for a keyspace; {@code arguments} are function argument types (none today).
 */
public record SchemaEvent(Change change, Target target, String keyspace, String name, List<String> arguments) {
    public enum Change { CREATED, UPDATED, DROPPED }

    public enum Target { KEYSPACE, TABLE, TYPE, FUNCTION, AGGREGATE }

    public SchemaEvent {
        requireNonNull(change, "change is null");
        requireNonNull(target, "target is null");
        requireNonNull(keyspace, "keyspace is null");
        arguments = List.copyOf(arguments);
    }

    public static SchemaEvent keyspace(Change change, String keyspace) {
        return new SchemaEvent(change, Target.KEYSPACE, keyspace, null, List.of());
    }

    public static SchemaEvent table(Change change, String keyspace, String table) {
        return new SchemaEvent(change, Target.TABLE, keyspace, table, List.of());
    }

    public static SchemaEvent type(Change change, String keyspace, String type) {
        return new SchemaEvent(change, Target.TYPE, keyspace, type, List.of());
    }
}
