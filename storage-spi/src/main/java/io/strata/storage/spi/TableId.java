package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * Identity of a table in storage: the tenant, the CQL keyspace and table names (for humans and logs)
 * and the table's UUID, which alone identifies its data: a dropped and re-created table has a new id
 * and none of the old data.
 */
public record TableId(String tenant, String keyspace, String table, UUID id) {
    public TableId {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(id, "id is null");
    }

    @Override
    public String toString() {
        return tenant + "/" + keyspace + "." + table + "(" + id + ")";
    }
}
