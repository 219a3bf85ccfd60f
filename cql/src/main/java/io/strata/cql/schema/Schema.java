package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One tenant's whole schema at one version: an immutable snapshot. {@code version} is the stored
 * document's version (for compare-and-set); {@code schemaVersion} is the UUID reported to drivers in
 * system.local.schema_version, new at every change; {@code history} the tables of the recovery window, dropped
 * ones included, with their past schemas (what point-in-time restores look up).
 */
public record Schema(long version, UUID schemaVersion, Map<String, KeyspaceMetadata> keyspaces, SchemaHistory history) {
    public static final Schema EMPTY = new Schema(0, new UUID(0, 0), Map.of());

    public Schema {
        requireNonNull(schemaVersion, "schemaVersion is null");
        requireNonNull(history, "history is null");
        keyspaces = Collections.unmodifiableMap(new TreeMap<>(keyspaces));
    }

    /** A schema without history. */
    public Schema(long version, UUID schemaVersion, Map<String, KeyspaceMetadata> keyspaces) {
        this(version, schemaVersion, keyspaces, SchemaHistory.EMPTY);
    }

    public Schema withHistory(SchemaHistory newHistory) {
        return new Schema(version, schemaVersion, keyspaces, newHistory);
    }

    public Optional<KeyspaceMetadata> keyspace(String name) {
        return Optional.ofNullable(keyspaces.get(name));
    }

    public Optional<TableMetadata> table(String keyspace, String table) {
        KeyspaceMetadata ks = keyspaces.get(keyspace);
        return ks == null ? Optional.empty() : Optional.ofNullable(ks.tables().get(table));
    }

    public Schema with(KeyspaceMetadata ks, UUID newSchemaVersion) {
        TreeMap<String, KeyspaceMetadata> m = new TreeMap<>(keyspaces);
        m.put(ks.name(), ks);
        return new Schema(version, newSchemaVersion, m, history);
    }

    public Schema without(String keyspace, UUID newSchemaVersion) {
        TreeMap<String, KeyspaceMetadata> m = new TreeMap<>(keyspaces);
        m.remove(keyspace);
        return new Schema(version, newSchemaVersion, m, history);
    }

    public Schema withVersion(long newVersion) {
        return new Schema(newVersion, schemaVersion, keyspaces, history);
    }
}
