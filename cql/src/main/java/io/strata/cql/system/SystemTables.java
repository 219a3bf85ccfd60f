package io.strata.cql.system;

import static io.strata.cql.system.VirtualTable.define;

import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The definitions of the system tables every tenant sees, as Cassandra 5.0.9 defines them (column names,
 * types, order, key, comment and the options its DESCRIBE prints), plus Keyspaces' {@code system_schema_mcs}:
 * {@code system} (local, peers, peers_v2), {@code system_schema} (the eleven schema tables),
 * {@code system_traces}, the empty {@code system_auth} and {@code system_distributed}, and the virtual
 * {@code system_virtual_schema}. Immutable.
 */
public final class SystemTables {
    private SystemTables() {}

    private static final DataType TEXT = NativeType.TEXT;
    private static final DataType INT = NativeType.INT;
    private static final DataType UUIDT = NativeType.UUID;
    private static final DataType BOOL = NativeType.BOOLEAN;
    private static final DataType DOUBLE = NativeType.DOUBLE;
    private static final DataType INET = NativeType.INET;
    private static final DataType BLOB = NativeType.BLOB;
    private static final DataType TIMESTAMP = NativeType.TIMESTAMP;
    private static final DataType FROZEN_MAP_TEXT = map(TEXT, TEXT, true);
    private static final DataType FROZEN_MAP_BLOB = map(TEXT, BLOB, true);
    private static final DataType FROZEN_SET_TEXT = new CollectionType(CollectionType.Kind.SET, TEXT, null, true);
    private static final DataType FROZEN_LIST_TEXT = list(TEXT);
    private static final DataType FROZEN_LIST_BOOLEAN = list(BOOL);
    private static final DataType SET_TEXT = new CollectionType(CollectionType.Kind.SET, TEXT, null, false);
    private static final DataType MAP_TEXT = map(TEXT, TEXT, false);
    private static final DataType MAP_UUID_BLOB = map(UUIDT, BLOB, false);
    private static final DataType MCS_CUSTOM_PROPERTIES = map(TEXT, FROZEN_MAP_TEXT, false);

    /** Options of the tables of {@code system}: never collected, flushed hourly. */
    private static final Map<String, Object> LOCAL = options("gc_grace_seconds", "0", "memtable_flush_period_in_ms", "3600000");
    /** Options of the tables of {@code system_schema} (and Strata's {@code system_schema_mcs}). */
    private static final Map<String, Object> SCHEMA = options("gc_grace_seconds", "604800",
            "memtable_flush_period_in_ms", "3600000");
    private static final Map<String, Object> TRACES = options("gc_grace_seconds", "0");

    static final TableMetadata LOCAL_TABLE = define("system", "local", "information about the local node", LOCAL, 1, 0,
            "key", TEXT, "bootstrapped", TEXT, "broadcast_address", INET, "broadcast_port", INT, "cluster_name", TEXT,
            "cql_version", TEXT, "data_center", TEXT, "gossip_generation", INT, "host_id", UUIDT, "listen_address", INET,
            "listen_port", INT, "native_protocol_version", TEXT, "partitioner", TEXT, "rack", TEXT, "release_version", TEXT,
            "rpc_address", INET, "rpc_port", INT, "schema_version", UUIDT, "tokens", SET_TEXT, "truncated_at", MAP_UUID_BLOB);
    static final TableMetadata PEERS = define("system", "peers", "information about known peers in the cluster", LOCAL, 1, 0,
            "peer", INET, "data_center", TEXT, "host_id", UUIDT, "preferred_ip", INET, "rack", TEXT, "release_version", TEXT,
            "rpc_address", INET, "schema_version", UUIDT, "tokens", SET_TEXT);
    static final TableMetadata PEERS_V2 = define("system", "peers_v2", "information about known peers in the cluster", LOCAL,
            1, 1, "peer", INET, "peer_port", INT, "data_center", TEXT, "host_id", UUIDT, "native_address", INET,
            "native_port", INT, "preferred_ip", INET, "preferred_port", INT, "rack", TEXT, "release_version", TEXT,
            "schema_version", UUIDT, "tokens", SET_TEXT);

    static final TableMetadata AGGREGATES = define("system_schema", "aggregates", "user defined aggregate definitions", SCHEMA,
            1, 2, "keyspace_name", TEXT, "aggregate_name", TEXT, "argument_types", FROZEN_LIST_TEXT, "final_func", TEXT,
            "initcond", TEXT, "return_type", TEXT, "state_func", TEXT, "state_type", TEXT);
    static final TableMetadata COLUMN_MASKS = define("system_schema", "column_masks", "column dynamic data masks", SCHEMA,
            1, 2, "keyspace_name", TEXT, "table_name", TEXT, "column_name", TEXT,
            "function_argument_nulls", FROZEN_LIST_BOOLEAN, "function_argument_types", FROZEN_LIST_TEXT,
            "function_argument_values", FROZEN_LIST_TEXT, "function_keyspace", TEXT, "function_name", TEXT);
    static final TableMetadata COLUMNS = define("system_schema", "columns", "column definitions", SCHEMA, 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "column_name", TEXT, "clustering_order", TEXT,
            "column_name_bytes", BLOB, "kind", TEXT, "position", INT, "type", TEXT);
    static final TableMetadata DROPPED_COLUMNS = define("system_schema", "dropped_columns", "dropped column registry", SCHEMA,
            1, 2, "keyspace_name", TEXT, "table_name", TEXT, "column_name", TEXT, "dropped_time", TIMESTAMP,
            "kind", TEXT, "type", TEXT);
    static final TableMetadata FUNCTIONS = define("system_schema", "functions", "user defined function definitions", SCHEMA,
            1, 2, "keyspace_name", TEXT, "function_name", TEXT, "argument_types", FROZEN_LIST_TEXT,
            "argument_names", FROZEN_LIST_TEXT, "body", TEXT, "called_on_null_input", BOOL, "language", TEXT,
            "return_type", TEXT);
    static final TableMetadata INDEXES = define("system_schema", "indexes", "secondary index definitions", SCHEMA, 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "index_name", TEXT, "kind", TEXT, "options", FROZEN_MAP_TEXT);
    static final TableMetadata KEYSPACES = define("system_schema", "keyspaces", "keyspace definitions", SCHEMA, 1, 0,
            "keyspace_name", TEXT, "durable_writes", BOOL, "replication", FROZEN_MAP_TEXT);
    static final TableMetadata TABLES = define("system_schema", "tables", "table definitions", SCHEMA, 1, 1,
            "keyspace_name", TEXT, "table_name", TEXT, "additional_write_policy", TEXT, "allow_auto_snapshot", BOOL,
            "bloom_filter_fp_chance", DOUBLE, "caching", FROZEN_MAP_TEXT, "cdc", BOOL, "comment", TEXT,
            "compaction", FROZEN_MAP_TEXT, "compression", FROZEN_MAP_TEXT, "crc_check_chance", DOUBLE,
            "dclocal_read_repair_chance", DOUBLE, "default_time_to_live", INT, "extensions", FROZEN_MAP_BLOB,
            "flags", FROZEN_SET_TEXT, "gc_grace_seconds", INT, "id", UUIDT, "incremental_backups", BOOL,
            "max_index_interval", INT, "memtable", TEXT, "memtable_flush_period_in_ms", INT, "min_index_interval", INT,
            "read_repair", TEXT, "read_repair_chance", DOUBLE, "speculative_retry", TEXT);
    static final TableMetadata TRIGGERS = define("system_schema", "triggers", "trigger definitions", SCHEMA, 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "trigger_name", TEXT, "options", FROZEN_MAP_TEXT);
    static final TableMetadata TYPES = define("system_schema", "types", "user defined type definitions", SCHEMA, 1, 1,
            "keyspace_name", TEXT, "type_name", TEXT, "field_names", FROZEN_LIST_TEXT, "field_types", FROZEN_LIST_TEXT);
    static final TableMetadata VIEWS = define("system_schema", "views", "view definitions", SCHEMA, 1, 1,
            "keyspace_name", TEXT, "view_name", TEXT, "additional_write_policy", TEXT, "allow_auto_snapshot", BOOL,
            "base_table_id", UUIDT, "base_table_name", TEXT, "bloom_filter_fp_chance", DOUBLE, "caching", FROZEN_MAP_TEXT,
            "cdc", BOOL, "comment", TEXT, "compaction", FROZEN_MAP_TEXT, "compression", FROZEN_MAP_TEXT,
            "crc_check_chance", DOUBLE, "dclocal_read_repair_chance", DOUBLE, "default_time_to_live", INT,
            "extensions", FROZEN_MAP_BLOB, "gc_grace_seconds", INT, "id", UUIDT, "include_all_columns", BOOL,
            "incremental_backups", BOOL, "max_index_interval", INT, "memtable", TEXT, "memtable_flush_period_in_ms", INT,
            "min_index_interval", INT, "read_repair", TEXT, "read_repair_chance", DOUBLE, "speculative_retry", TEXT,
            "where_clause", TEXT);

    static final TableMetadata TRACE_EVENTS = define("system_traces", "events", "tracing events", TRACES, 1, 1,
            "session_id", UUIDT, "event_id", NativeType.TIMEUUID, "activity", TEXT, "source", INET, "source_elapsed", INT,
            "source_port", INT, "thread", TEXT);
    static final TableMetadata TRACE_SESSIONS = define("system_traces", "sessions", "tracing sessions", TRACES, 1, 0,
            "session_id", UUIDT, "client", INET, "command", TEXT, "coordinator", INET, "coordinator_port", INT,
            "duration", INT, "parameters", MAP_TEXT, "request", TEXT, "started_at", TIMESTAMP);

    static final TableMetadata MCS_KEYSPACES = define("system_schema_mcs", "keyspaces", "", SCHEMA, 1, 0,
            "keyspace_name", TEXT, "durable_writes", BOOL, "replication", FROZEN_MAP_TEXT, "status", TEXT);
    static final TableMetadata MCS_TABLES = define("system_schema_mcs", "tables", "", SCHEMA, 1, 1,
            "keyspace_name", TEXT, "table_name", TEXT, "comment", TEXT, "custom_properties", MCS_CUSTOM_PROPERTIES,
            "default_time_to_live", INT, "gc_grace_seconds", INT, "id", UUIDT, "status", TEXT);

    static final TableMetadata VIRTUAL_COLUMNS = define("system_virtual_schema", "columns", "virtual column definitions",
            Map.of(), 1, 2, "keyspace_name", TEXT, "table_name", TEXT, "column_name", TEXT, "clustering_order", TEXT,
            "column_name_bytes", BLOB, "kind", TEXT, "position", INT, "type", TEXT);
    static final TableMetadata VIRTUAL_KEYSPACES = define("system_virtual_schema", "keyspaces",
            "virtual keyspace definitions", Map.of(), 1, 0, "keyspace_name", TEXT);
    static final TableMetadata VIRTUAL_TABLES = define("system_virtual_schema", "tables", "virtual table definitions",
            Map.of(), 1, 1, "keyspace_name", TEXT, "table_name", TEXT, "comment", TEXT);

    /** The keyspace whose tables are virtual in Cassandra's sense (DESCRIBE shows them as VIRTUAL TABLE). */
    public static final String VIRTUAL_SCHEMA = "system_virtual_schema";

    private static final Map<String, KeyspaceMetadata> KEYSPACES_BY_NAME;

    static {
        Map<String, Map<String, TableMetadata>> tables = new TreeMap<>();
        for (TableMetadata t : List.of(LOCAL_TABLE, PEERS, PEERS_V2, AGGREGATES, COLUMN_MASKS, COLUMNS, DROPPED_COLUMNS,
                FUNCTIONS, INDEXES, KEYSPACES, TABLES, TRIGGERS, TYPES, VIEWS, TRACE_EVENTS, TRACE_SESSIONS, MCS_KEYSPACES,
                MCS_TABLES, VIRTUAL_COLUMNS, VIRTUAL_KEYSPACES, VIRTUAL_TABLES)) {
            tables.computeIfAbsent(t.keyspace(), k -> new TreeMap<>()).put(t.name(), t);
        }
        // As Cassandra 5.0.9 reports them (system_auth, system_distributed and system_traces replicate; Strata's
        // have no tables of their own but the traces).
        Map<String, Map<String, String>> replication = new LinkedHashMap<>();
        replication.put("system", local());
        replication.put("system_auth", simple("1"));
        replication.put("system_distributed", simple("3"));
        replication.put("system_schema", local());
        replication.put("system_schema_mcs", local());
        replication.put("system_traces", simple("2"));
        replication.put(VIRTUAL_SCHEMA, local());
        Map<String, KeyspaceMetadata> keyspaces = new TreeMap<>();
        replication.forEach((name, repl) -> keyspaces.put(name,
                new KeyspaceMetadata(name, repl, true, tables.getOrDefault(name, Map.of()), Map.of())));
        KEYSPACES_BY_NAME = Collections.unmodifiableMap(keyspaces);
    }

    /** Every system keyspace with its tables, by name. */
    public static Map<String, KeyspaceMetadata> keyspaces() {
        return KEYSPACES_BY_NAME;
    }

    /** The definition of a system table, if it exists. */
    public static Optional<TableMetadata> definition(String keyspace, String table) {
        KeyspaceMetadata ks = KEYSPACES_BY_NAME.get(keyspace);
        return ks == null ? Optional.empty() : Optional.ofNullable(ks.tables().get(table));
    }

    /** True for the keyspace of virtual tables (system_virtual_schema). */
    public static boolean isVirtual(String keyspace) {
        return VIRTUAL_SCHEMA.equals(keyspace);
    }

    private static Map<String, String> local() {
        return Map.of("class", "org.apache.cassandra.locator.LocalStrategy");
    }

    private static Map<String, String> simple(String rf) {
        return Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", rf);
    }

    private static Map<String, Object> options(String... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static DataType map(DataType k, DataType v, boolean frozen) {
        return new CollectionType(CollectionType.Kind.MAP, k, v, frozen);
    }

    private static DataType list(DataType element) {
        return new CollectionType(CollectionType.Kind.LIST, element, null, true);
    }
}
