package io.strata.tenancy.capacity;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * A table whose capacity is metered: its tenant and names (for messages and metrics) and its id (a table dropped
 * and created again under the same name is another table, with fresh buckets).
 */
public record TableRef(String tenant, String keyspace, String table, UUID id) {
    public TableRef {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(id, "id is null");
    }

    /** {@code keyspace.table}, as CQL names it. */
    public String qualified() {
        return keyspace + "." + table;
    }
}
