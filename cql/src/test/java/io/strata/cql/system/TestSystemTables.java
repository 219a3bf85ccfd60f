package io.strata.cql.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.DroppedColumn;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.Values;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The system tables drivers read have Cassandra 5.0.9's columns, types and SELECT * order (the expected
 * lists were read from a Cassandra 5.0.9 node's system_schema.columns and system_virtual_schema.columns),
 * and their rows come back in Cassandra's order.
 */
class TestSystemTables {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "system.local|key text, bootstrapped text, broadcast_address inet, broadcast_port int, cluster_name text, cql_version text, data_center text, gossip_generation int, host_id uuid, listen_address inet, listen_port int, native_protocol_version text, partitioner text, rack text, release_version text, rpc_address inet, rpc_port int, schema_version uuid, tokens set<text>, truncated_at map<uuid, blob>",
            "system.peers|peer inet, data_center text, host_id uuid, preferred_ip inet, rack text, release_version text, rpc_address inet, schema_version uuid, tokens set<text>",
            "system.peers_v2|peer inet, peer_port int, data_center text, host_id uuid, native_address inet, native_port int, preferred_ip inet, preferred_port int, rack text, release_version text, schema_version uuid, tokens set<text>",
            "system_schema.aggregates|keyspace_name text, aggregate_name text, argument_types frozen<list<text>>, final_func text, initcond text, return_type text, state_func text, state_type text",
            "system_schema.column_masks|keyspace_name text, table_name text, column_name text, function_argument_nulls frozen<list<boolean>>, function_argument_types frozen<list<text>>, function_argument_values frozen<list<text>>, function_keyspace text, function_name text",
            "system_schema.columns|keyspace_name text, table_name text, column_name text, clustering_order text, column_name_bytes blob, kind text, position int, type text",
            "system_schema.dropped_columns|keyspace_name text, table_name text, column_name text, dropped_time timestamp, kind text, type text",
            "system_schema.functions|keyspace_name text, function_name text, argument_types frozen<list<text>>, argument_names frozen<list<text>>, body text, called_on_null_input boolean, language text, return_type text",
            "system_schema.indexes|keyspace_name text, table_name text, index_name text, kind text, options frozen<map<text, text>>",
            "system_schema.keyspaces|keyspace_name text, durable_writes boolean, replication frozen<map<text, text>>",
            "system_schema.tables|keyspace_name text, table_name text, additional_write_policy text, allow_auto_snapshot boolean, bloom_filter_fp_chance double, caching frozen<map<text, text>>, cdc boolean, comment text, compaction frozen<map<text, text>>, compression frozen<map<text, text>>, crc_check_chance double, dclocal_read_repair_chance double, default_time_to_live int, extensions frozen<map<text, blob>>, flags frozen<set<text>>, gc_grace_seconds int, id uuid, incremental_backups boolean, max_index_interval int, memtable text, memtable_flush_period_in_ms int, min_index_interval int, read_repair text, read_repair_chance double, speculative_retry text",
            "system_schema.triggers|keyspace_name text, table_name text, trigger_name text, options frozen<map<text, text>>",
            "system_schema.types|keyspace_name text, type_name text, field_names frozen<list<text>>, field_types frozen<list<text>>",
            "system_schema.views|keyspace_name text, view_name text, additional_write_policy text, allow_auto_snapshot boolean, base_table_id uuid, base_table_name text, bloom_filter_fp_chance double, caching frozen<map<text, text>>, cdc boolean, comment text, compaction frozen<map<text, text>>, compression frozen<map<text, text>>, crc_check_chance double, dclocal_read_repair_chance double, default_time_to_live int, extensions frozen<map<text, blob>>, gc_grace_seconds int, id uuid, include_all_columns boolean, incremental_backups boolean, max_index_interval int, memtable text, memtable_flush_period_in_ms int, min_index_interval int, read_repair text, read_repair_chance double, speculative_retry text, where_clause text",
            "system_traces.events|session_id uuid, event_id timeuuid, activity text, source inet, source_elapsed int, source_port int, thread text",
            "system_traces.sessions|session_id uuid, client inet, command text, coordinator inet, coordinator_port int, duration int, parameters map<text, text>, request text, started_at timestamp",
            "system_virtual_schema.columns|keyspace_name text, table_name text, column_name text, clustering_order text, column_name_bytes blob, kind text, position int, type text",
            "system_virtual_schema.keyspaces|keyspace_name text",
            "system_virtual_schema.tables|keyspace_name text, table_name text, comment text",
    })
    void columnsAsInCassandra(String table, String columns) {
        String[] name = table.split("\\.");
        TableMetadata def = SystemKeyspaces.definition(name[0], name[1]).orElseThrow();
        assertThat(def.columns().stream().map(c -> c.name() + " " + c.type().cql()).collect(Collectors.joining(", ")))
                .isEqualTo(columns);
    }

    @Test
    void everySchemaTableOfCassandraExists() {
        assertThat(SystemTables.keyspaces().get("system_schema").tables().keySet()).containsExactly("aggregates",
                "column_masks", "columns", "dropped_columns", "functions", "indexes", "keyspaces", "tables", "triggers",
                "types", "views");
    }

    private static List<List<String>> text(VirtualTable t, int... columns) {
        List<List<String>> out = new ArrayList<>();
        for (List<byte[]> row : t.rows()) {
            List<String> r = new ArrayList<>();
            for (int c : columns) {
                r.add(row.get(c) == null ? null : new String(row.get(c), StandardCharsets.UTF_8));
            }
            out.add(r);
        }
        return out;
    }

    private static Schema schema() throws Exception {
        List<ColumnMetadata> columns = List.of(
                new ColumnMetadata("k", NativeType.INT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
                new ColumnMetadata("c", NativeType.INT, ColumnMetadata.Kind.CLUSTERING, 0, true),
                new ColumnMetadata("Z", NativeType.INT, ColumnMetadata.Kind.REGULAR, -1, false),
                new ColumnMetadata("a", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, -1, false));
        TableMetadata d2 = new TableMetadata("ks", "d2", UUID.randomUUID(), columns, Map.of())
                .withDropped(Map.of("gone", new DroppedColumn("gone", NativeType.TEXT, 1_700_000_000_000_000L, false)));
        TableMetadata quoted = new TableMetadata("ks", "Quoted", UUID.randomUUID(), columns.subList(0, 1), Map.of());
        KeyspaceMetadata ks = new KeyspaceMetadata("ks", Map.of("class", "SingleRegionStrategy"), true,
                Map.of("d2", d2, "Quoted", quoted), Map.of());
        return new Schema(1, UUID.randomUUID(), Map.of("ks", ks));
    }

    private static SystemKeyspaces system() throws Exception {
        return new SystemKeyspaces(new NodeInfo("Test", "datacenter1", "rack1", UUID.randomUUID(),
                InetAddress.getLoopbackAddress(), 9042, "5.0.9", List.of("0")));
    }

    @Test
    void columnsComeBackInClusteringOrderOfTableAndColumnNames() throws Exception {
        VirtualTable columns = system().table("system_schema", "columns", schema(), "t").orElseThrow();
        List<List<String>> ks = text(columns, 0, 1, 2, 3).stream().filter(r -> r.get(0).equals("ks")).toList();
        assertThat(ks).containsExactly(List.of("ks", "Quoted", "k", "none"), List.of("ks", "d2", "Z", "none"),
                List.of("ks", "d2", "a", "none"), List.of("ks", "d2", "c", "desc"), List.of("ks", "d2", "k", "none"));
    }

    @Test
    void droppedColumnsArePublished() throws Exception {
        VirtualTable dropped = system().table("system_schema", "dropped_columns", schema(), "t").orElseThrow();
        assertThat(text(dropped, 0, 1, 2, 4, 5)).containsExactly(List.of("ks", "d2", "gone", "regular", "text"));
        assertThat(dropped.rows().get(0).get(3)).isEqualTo(Values.ofLong(1_700_000_000_000L));
    }

    @Test
    void systemSchemaListsNoVirtualKeyspaceAndTheVirtualSchemaDescribesItself() throws Exception {
        SystemKeyspaces system = system();
        List<String> names = text(system.table("system_schema", "keyspaces", schema(), "t").orElseThrow(), 0).stream()
                .map(r -> r.get(0)).toList();
        assertThat(names).contains("ks", "system", "system_schema", "system_traces", "system_schema_mcs")
                .doesNotContain("system_virtual_schema");
        assertThat(text(system.table("system_virtual_schema", "tables", schema(), "t").orElseThrow(), 1, 2))
                .containsExactly(List.of("columns", "virtual column definitions"),
                        List.of("keyspaces", "virtual keyspace definitions"),
                        List.of("tables", "virtual table definitions"));
    }

    @Test
    void tableRowsWriteOptionalColumnsOnlyAsCassandraDoes() throws Exception {
        VirtualTable tables = system().table("system_schema", "tables", schema(), "t").orElseThrow();
        TableMetadata def = tables.metadata();
        List<byte[]> d2 = tables.rows().stream()
                .filter(r -> new String(r.get(1), StandardCharsets.UTF_8).equals("d2")).findFirst().orElseThrow();
        for (String absent : List.of("allow_auto_snapshot", "cdc", "incremental_backups", "memtable")) {
            assertThat(d2.get(def.columns().indexOf(def.column(absent)))).as(absent).isNull();
        }
        assertThat(new String(d2.get(def.columns().indexOf(def.column("speculative_retry"))), StandardCharsets.UTF_8))
                .isEqualTo("99p");
    }
}
