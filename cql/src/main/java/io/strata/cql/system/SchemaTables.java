package io.strata.cql.system;

import static io.strata.cql.system.VirtualTable.row;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.DroppedColumn;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Replication;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.schema.TableParams;
import io.strata.cql.types.DataType;
import io.strata.cql.types.UserType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of the schema tables, computed from a tenant's schema and the system keyspaces' definitions:
 * {@code system_schema.*} (as Cassandra 5.0.9 fills them), Keyspaces' {@code system_schema_mcs.*} and
 * {@code system_virtual_schema.*} (which describes itself). Keyspaces with Keyspaces' SingleRegionStrategy
 * show drivers {@link Replication#asShown what Strata does}; {@code system_schema_mcs} keeps the class as
 * given. Stateless.
 */
final class SchemaTables {
    private SchemaTables() {}

    /** Rows of {@code table} (a system_schema, system_schema_mcs or system_virtual_schema table), unordered. */
    static List<List<byte[]>> rows(TableMetadata table, Schema schema) {
        List<List<byte[]>> rows = new ArrayList<>();
        switch (table.keyspace() + "." + table.name()) {
            case "system_schema.keyspaces" -> keyspaces(schema).forEach(ks ->
                    rows.add(row(ks.name(), ks.durableWrites(), Replication.asShown(ks.replication()))));
            case "system_schema.tables" -> tables(schema).forEach(t -> rows.add(tableRow(t)));
            case "system_schema.columns" -> tables(schema).forEach(t -> columnRows(t, rows));
            case "system_schema.dropped_columns" -> tables(schema).forEach(t -> {
                for (DroppedColumn d : t.dropped().values()) {
                    rows.add(row(t.keyspace(), t.name(), d.name(), Instant.ofEpochMilli(Math.floorDiv(d.droppedAtMicros(), 1000)),
                            d.isStatic() ? "static" : "regular", d.type() == null ? null : d.type().cql()));
                }
            });
            case "system_schema.types" -> keyspaces(schema).forEach(ks -> {
                for (UserType u : ks.types().values()) {
                    rows.add(row(ks.name(), u.name(), u.fieldNames(), u.fieldTypes().stream().map(DataType::cql).toList()));
                }
            });
            case "system_schema_mcs.keyspaces" -> keyspaces(schema).forEach(ks ->
                    rows.add(row(ks.name(), ks.durableWrites(), ks.replication(), "ACTIVE")));
            case "system_schema_mcs.tables" -> tables(schema).forEach(t -> {
                TableParams p = TableParams.of(t);
                rows.add(row(t.keyspace(), t.name(), p.comment(), customProperties(t), p.defaultTimeToLive(),
                        p.gcGraceSeconds(), t.id(), io.strata.cql.schema.RestoreState.restoring(t) ? "RESTORING" : "ACTIVE"));
            });
            case "system_virtual_schema.keyspaces" -> rows.add(row(SystemTables.VIRTUAL_SCHEMA));
            case "system_virtual_schema.tables" -> virtualTables().forEach(t ->
                    rows.add(row(t.keyspace(), t.name(), TableParams.of(t).comment())));
            case "system_virtual_schema.columns" -> virtualTables().forEach(t -> columnRows(t, rows));
            default -> {
                // functions, aggregates, indexes, views, triggers and column_masks: Strata has none of these.
            }
        }
        return rows;
    }

    /** The keyspaces system_schema describes: the tenant's and the system ones, not the virtual schema. */
    private static List<KeyspaceMetadata> keyspaces(Schema schema) {
        List<KeyspaceMetadata> all = new ArrayList<>();
        for (KeyspaceMetadata ks : SystemTables.keyspaces().values()) {
            if (!SystemTables.isVirtual(ks.name())) {
                all.add(ks);
            }
        }
        all.addAll(schema.keyspaces().values());
        return all;
    }

    private static List<TableMetadata> tables(Schema schema) {
        List<TableMetadata> all = new ArrayList<>();
        for (KeyspaceMetadata ks : keyspaces(schema)) {
            all.addAll(ks.tables().values());
        }
        return all;
    }

    private static List<TableMetadata> virtualTables() {
        return List.copyOf(SystemTables.keyspaces().get(SystemTables.VIRTUAL_SCHEMA).tables().values());
    }

    private static void columnRows(TableMetadata t, List<List<byte[]>> rows) {
        for (ColumnMetadata c : t.columns()) {
            rows.add(row(t.keyspace(), t.name(), c.name(),
                    c.kind() == ColumnMetadata.Kind.CLUSTERING ? (c.descending() ? "desc" : "asc") : "none",
                    c.name().getBytes(StandardCharsets.UTF_8), c.kind().schemaName(), c.position(), c.type().cql()));
        }
    }

    /**
     * A row of system_schema.tables. As Cassandra's SchemaKeyspace writes it: cdc only where CDC is enabled
     * on the node (it is not), memtable only when not the default configuration, allow_auto_snapshot and
     * incremental_backups only when false; the read repair chances are always 0.
     */
    private static List<byte[]> tableRow(TableMetadata t) {
        TableParams p = TableParams.of(t);
        return row(t.keyspace(), t.name(), p.additionalWritePolicy(), p.allowAutoSnapshot() ? null : false,
                p.bloomFilterFpChance(), p.caching(), null, p.comment(), p.compaction(), p.compression(),
                p.crcCheckChance(), 0.0, p.defaultTimeToLive(), Map.of(), Set.of("compound"), p.gcGraceSeconds(), t.id(),
                p.incrementalBackups() ? null : false, p.maxIndexInterval(),
                "default".equals(p.memtable()) ? null : p.memtable(), p.memtableFlushPeriodInMs(), p.minIndexInterval(),
                p.readRepair(), 0.0, p.speculativeRetry());
    }

    /** Keyspaces' custom_properties: capacity mode, PITR, encryption, TTL and client-side timestamps, as set. */
    private static Map<String, Map<String, String>> customProperties(TableMetadata t) {
        Map<String, Map<String, String>> props = new LinkedHashMap<>();
        props.put("capacity_mode", Map.of("throughput_mode", "PAY_PER_REQUEST"));
        props.put("encryption_specification", Map.of("encryption_type", "AWS_OWNED_KMS_KEY"));
        props.put("point_in_time_recovery", Map.of("status", "disabled"));
        props.put("ttl", Map.of("status", "enabled"));
        props.put("client_side_timestamps", Map.of("status", "enabled"));
        Object given = t.options().get("custom_properties");
        if (given instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Map<?, ?> inner) {
                    Map<String, String> s = new LinkedHashMap<>();
                    inner.forEach((ik, iv) -> s.put(String.valueOf(ik), String.valueOf(iv)));
                    if ("capacity_mode".equals(String.valueOf(k)) && "PROVISIONED".equals(s.get("throughput_mode"))) {
                        // kept for the switching rule; Keyspaces shows it on on-demand tables only
                        s.remove("last_update_to_pay_per_request_timestamp");
                    }
                    s.remove(io.strata.cql.schema.RestoreWindow.ENABLED_SINCE); // ours, for the restore window
                    props.put(String.valueOf(k), s);
                }
            });
        }
        return props;
    }
}
