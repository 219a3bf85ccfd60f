package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import io.strata.cql.types.UserType;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** A keyspace of one tenant: replication as given (Strata always keeps 3 zone replicas), tables and types. */
public record KeyspaceMetadata(
        String name,
        Map<String, String> replication,
        boolean durableWrites,
        Map<String, TableMetadata> tables,
        Map<String, UserType> types) {
    public KeyspaceMetadata {
        requireNonNull(name, "name is null");
        replication = Collections.unmodifiableMap(new TreeMap<>(replication));
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
        types = Collections.unmodifiableMap(new TreeMap<>(types));
    }

    public KeyspaceMetadata withTable(TableMetadata t) {
        TreeMap<String, TableMetadata> m = new TreeMap<>(tables);
        m.put(t.name(), t);
        return new KeyspaceMetadata(name, replication, durableWrites, m, types);
    }

    public KeyspaceMetadata withoutTable(String tableName) {
        TreeMap<String, TableMetadata> m = new TreeMap<>(tables);
        m.remove(tableName);
        return new KeyspaceMetadata(name, replication, durableWrites, m, types);
    }
}
