package io.strata.cql.schema;

import io.strata.tenancy.core.AccessPolicy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What of a tenant's schema a token sees: the keyspaces its policy {@linkplain AccessPolicy#seesKeyspace sees},
 * each with only the tables it {@linkplain AccessPolicy#sees sees} and all its types (a visible table's columns
 * may use any of them). Everything that shows schema to a client goes through here: the system tables and
 * DESCRIBE read the {@linkplain #visible(Schema, AccessPolicy) visible schema}, so their rows, LIMIT, paging and
 * counts all agree; SCHEMA_CHANGE events are {@linkplain #visible(SchemaEvent, AccessPolicy) filtered} likewise.
 * The system keyspaces are not part of a tenant's schema and stay visible to every token (drivers need them).
 * Stateless.
 */
public final class SchemaVisibility {
    private SchemaVisibility() {}

    /**
     * The part of {@code schema} the policy sees, with the same versions (drivers compare
     * {@code schema_version} across nodes; what a token sees changes only with the schema). The schema itself
     * when the policy is {@link AccessPolicy#ALL}.
     */
    public static Schema visible(Schema schema, AccessPolicy policy) {
        if (policy == AccessPolicy.ALL) {
            return schema; // tokens without a policy: no per-row checks
        }
        Map<String, KeyspaceMetadata> keyspaces = new LinkedHashMap<>();
        for (KeyspaceMetadata ks : schema.keyspaces().values()) {
            if (!policy.seesKeyspace(ks.name())) {
                continue;
            }
            Map<String, TableMetadata> tables = new LinkedHashMap<>();
            ks.tables().forEach((name, t) -> {
                if (policy.sees(ks.name(), name)) {
                    tables.put(name, t);
                }
            });
            keyspaces.put(ks.name(), tables.size() == ks.tables().size() ? ks
                    : new KeyspaceMetadata(ks.name(), ks.replication(), ks.durableWrites(), tables, ks.types()));
        }
        return new Schema(schema.version(), schema.schemaVersion(), keyspaces);
    }

    /** Whether a token with the policy may be told of the change: keyspace and type events by keyspace, table events by table. */
    public static boolean visible(SchemaEvent event, AccessPolicy policy) {
        if (policy == AccessPolicy.ALL) {
            return true;
        }
        return event.target() == SchemaEvent.Target.TABLE
                ? policy.sees(event.keyspace(), event.name())
                : policy.seesKeyspace(event.keyspace());
    }
}
