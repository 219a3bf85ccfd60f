package io.strata.cql.system;

import static io.strata.cql.system.VirtualTable.LIST_TEXT;
import static io.strata.cql.system.VirtualTable.MAP_TEXT_BLOB;
import static io.strata.cql.system.VirtualTable.MAP_TEXT_TEXT;
import static io.strata.cql.system.VirtualTable.SET_TEXT;
import static io.strata.cql.system.VirtualTable.TEXT;
import static io.strata.cql.system.VirtualTable.define;
import static io.strata.cql.system.VirtualTable.row;
import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The system keyspaces every tenant sees: {@code system} (local, peers, peers_v2), {@code system_schema}
 * (Cassandra 4's schema tables, describing only the tenant's own keyspaces plus the system keyspaces),
 * Keyspaces' {@code system_schema_mcs} (with status and custom_properties) and an empty
 * {@code system_virtual_schema}. Rows are computed from the tenant's schema snapshot on every read.
 * Thread-safe (immutable).
 */
public final class SystemKeyspaces {
    public static final Set<String> NAMES = Set.of("system", "system_schema", "system_schema_mcs", "system_virtual_schema",
            "system_auth", "system_distributed", "system_traces");

    private static final DataType INT = NativeType.INT;
    private static final DataType UUIDT = NativeType.UUID;
    private static final DataType BOOL = NativeType.BOOLEAN;
    private static final DataType DOUBLE = NativeType.DOUBLE;
    private static final DataType INET = NativeType.INET;
    private static final DataType MAP_TEXT_FROZEN_MAP = new CollectionType(CollectionType.Kind.MAP, NativeType.TEXT, MAP_TEXT_TEXT, false);

    static final TableMetadata LOCAL = define("system", "local", 1, 0,
            "key", TEXT, "bootstrapped", TEXT, "broadcast_address", INET, "broadcast_port", INT, "cluster_name", TEXT,
            "cql_version", TEXT, "data_center", TEXT, "gossip_generation", INT, "host_id", UUIDT, "listen_address", INET,
            "listen_port", INT, "native_protocol_version", TEXT, "partitioner", TEXT, "rack", TEXT, "release_version", TEXT,
            "rpc_address", INET, "rpc_port", INT, "schema_version", UUIDT, "tokens", SET_TEXT);
    static final TableMetadata PEERS = define("system", "peers", 1, 0,
            "peer", INET, "data_center", TEXT, "host_id", UUIDT, "preferred_ip", INET, "rack", TEXT, "release_version", TEXT,
            "rpc_address", INET, "schema_version", UUIDT, "tokens", SET_TEXT);
    static final TableMetadata PEERS_V2 = define("system", "peers_v2", 1, 1,
            "peer", INET, "peer_port", INT, "data_center", TEXT, "host_id", UUIDT, "native_address", INET, "native_port", INT,
            "preferred_ip", INET, "preferred_port", INT, "rack", TEXT, "release_version", TEXT, "schema_version", UUIDT,
            "tokens", SET_TEXT);

    static final TableMetadata KEYSPACES = define("system_schema", "keyspaces", 1, 0,
            "keyspace_name", TEXT, "durable_writes", BOOL, "replication", MAP_TEXT_TEXT);
    static final TableMetadata TABLES = define("system_schema", "tables", 1, 1,
            "keyspace_name", TEXT, "table_name", TEXT, "additional_write_policy", TEXT, "bloom_filter_fp_chance", DOUBLE,
            "caching", MAP_TEXT_TEXT, "cdc", BOOL, "comment", TEXT, "compaction", MAP_TEXT_TEXT, "compression", MAP_TEXT_TEXT,
            "crc_check_chance", DOUBLE, "dclocal_read_repair_chance", DOUBLE, "default_time_to_live", INT,
            "extensions", MAP_TEXT_BLOB, "flags", SET_TEXT, "gc_grace_seconds", INT, "id", UUIDT, "max_index_interval", INT,
            "memtable_flush_period_in_ms", INT, "min_index_interval", INT, "read_repair", TEXT, "read_repair_chance", DOUBLE,
            "speculative_retry", TEXT);
    static final TableMetadata COLUMNS = define("system_schema", "columns", 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "column_name", TEXT, "clustering_order", TEXT,
            "column_name_bytes", NativeType.BLOB, "kind", TEXT, "position", INT, "type", TEXT);
    static final TableMetadata TYPES = define("system_schema", "types", 1, 1,
            "keyspace_name", TEXT, "type_name", TEXT, "field_names", LIST_TEXT, "field_types", LIST_TEXT);
    static final TableMetadata FUNCTIONS = define("system_schema", "functions", 1, 2,
            "keyspace_name", TEXT, "function_name", TEXT, "argument_types", LIST_TEXT, "argument_names", LIST_TEXT,
            "body", TEXT, "called_on_null_input", BOOL, "language", TEXT, "return_type", TEXT);
    static final TableMetadata AGGREGATES = define("system_schema", "aggregates", 1, 2,
            "keyspace_name", TEXT, "aggregate_name", TEXT, "argument_types", LIST_TEXT, "final_func", TEXT,
            "initcond", TEXT, "return_type", TEXT, "state_func", TEXT, "state_type", TEXT);
    static final TableMetadata INDEXES = define("system_schema", "indexes", 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "index_name", TEXT, "kind", TEXT, "options", MAP_TEXT_TEXT);
    static final TableMetadata VIEWS = define("system_schema", "views", 1, 1,
            "keyspace_name", TEXT, "view_name", TEXT, "base_table_id", UUIDT, "base_table_name", TEXT,
            "include_all_columns", BOOL, "where_clause", TEXT, "id", UUIDT);
    static final TableMetadata TRIGGERS = define("system_schema", "triggers", 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "trigger_name", TEXT, "options", MAP_TEXT_TEXT);
    static final TableMetadata DROPPED_COLUMNS = define("system_schema", "dropped_columns", 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "column_name", TEXT, "dropped_time", NativeType.TIMESTAMP,
            "kind", TEXT, "type", TEXT);

    static final TableMetadata TRACE_SESSIONS = define("system_traces", "sessions", 1, 0,
            "session_id", UUIDT, "client", INET, "command", TEXT, "coordinator", INET, "coordinator_port", INT,
            "duration", INT, "parameters", MAP_TEXT_TEXT, "request", TEXT, "started_at", NativeType.TIMESTAMP);
    static final TableMetadata TRACE_EVENTS = define("system_traces", "events", 1, 1,
            "session_id", UUIDT, "event_id", NativeType.TIMEUUID, "activity", TEXT, "source", INET, "source_elapsed", INT,
            "source_port", INT, "thread", TEXT);

    static final TableMetadata MCS_KEYSPACES = define("system_schema_mcs", "keyspaces", 1, 0,
            "keyspace_name", TEXT, "durable_writes", BOOL, "replication", MAP_TEXT_TEXT, "status", TEXT);
    static final TableMetadata MCS_TABLES = define("system_schema_mcs", "tables", 1, 1,
            "keyspace_name", TEXT, "table_name", TEXT, "comment", TEXT, "custom_properties", MAP_TEXT_FROZEN_MAP,
            "default_time_to_live", INT, "gc_grace_seconds", INT, "id", UUIDT, "status", TEXT);

    static final TableMetadata VIRTUAL_KEYSPACES = define("system_virtual_schema", "keyspaces", 1, 0,
            "keyspace_name", TEXT);
    static final TableMetadata VIRTUAL_TABLES = define("system_virtual_schema", "tables", 1, 1,
            "keyspace_name", TEXT, "table_name", TEXT, "comment", TEXT);
    static final TableMetadata VIRTUAL_COLUMNS = define("system_virtual_schema", "columns", 1, 2,
            "keyspace_name", TEXT, "table_name", TEXT, "column_name", TEXT, "clustering_order", TEXT,
            "column_name_bytes", NativeType.BLOB, "kind", TEXT, "position", INT, "type", TEXT);

    private static final Map<String, Map<String, TableMetadata>> DEFINITIONS = new TreeMap<>();

    static {
        for (TableMetadata t : List.of(LOCAL, PEERS, PEERS_V2, KEYSPACES, TABLES, COLUMNS, TYPES, FUNCTIONS, AGGREGATES,
                INDEXES, VIEWS, TRIGGERS, DROPPED_COLUMNS, MCS_KEYSPACES, MCS_TABLES, VIRTUAL_KEYSPACES, VIRTUAL_TABLES,
                VIRTUAL_COLUMNS, TRACE_SESSIONS, TRACE_EVENTS)) {
            DEFINITIONS.computeIfAbsent(t.keyspace(), k -> new TreeMap<>()).put(t.name(), t);
        }
        for (String empty : List.of("system_auth", "system_distributed", "system_traces")) {
            DEFINITIONS.computeIfAbsent(empty, k -> new TreeMap<>());
        }
    }

    private final java.util.function.Supplier<NodeInfo> nodeInfo;
    private final TraceLog traces;

    public SystemKeyspaces(NodeInfo node) {
        this(() -> node, TraceLog.NONE);
        requireNonNull(node, "node is null");
    }

    /**
     * @param nodeInfo facts about the node, for a node that knows some only once it runs (the port when
     *     bound to port 0)
     * @param traces the traced requests {@code system_traces} shows
     */
    public SystemKeyspaces(java.util.function.Supplier<NodeInfo> nodeInfo, TraceLog traces) {
        this.nodeInfo = requireNonNull(nodeInfo, "nodeInfo is null");
        this.traces = requireNonNull(traces, "traces is null");
    }

    /**
     * Replication as drivers can parse it: SingleRegionStrategy (Keyspaces' class, kept as given in
     * system_schema_mcs) is shown as what Strata does, three replicas, in Cassandra's own class, so the
     * drivers' token maps build (they reject unknown strategy classes).
     */
    static Map<String, String> driverReplication(Map<String, String> replication) {
        if ("SingleRegionStrategy".equals(replication.get("class"))) {
            return Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "3");
        }
        return replication;
    }

    /** The cluster name reported to clients. */
    public String clusterName() {
        return nodeInfo.get().clusterName();
    }

    public static boolean isSystemKeyspace(String keyspace) {
        return NAMES.contains(keyspace);
    }

    /** The definition of a system table, if it exists. */
    public static Optional<TableMetadata> definition(String keyspace, String table) {
        Map<String, TableMetadata> ks = DEFINITIONS.get(keyspace);
        return ks == null ? Optional.empty() : Optional.ofNullable(ks.get(table));
    }

    /** Computes a system table for a tenant; empty if no such table. */
    public Optional<VirtualTable> table(String keyspace, String table, Schema schema, String tenant) {
        return definition(keyspace, table).map(def -> new VirtualTable(def, rows(def, schema, tenant)));
    }

    private List<List<byte[]>> rows(TableMetadata def, Schema schema, String tenant) {
        List<List<byte[]>> rows = new ArrayList<>();
        String key = def.keyspace() + "." + def.name();
        switch (key) {
            case "system.local" -> {
                NodeInfo node = nodeInfo.get();
                rows.add(row("local", "COMPLETED", node.address(), node.nativePort(), node.clusterName(),
                    NodeInfo.CQL_VERSION, node.datacenter(), 0, node.hostId(), node.address(), 7000, "5", NodeInfo.PARTITIONER,
                    node.rack(), node.releaseVersion(), node.address(), node.nativePort(), schema.schemaVersion(),
                    node.tokens()));
            }
            case "system_schema.keyspaces" -> allKeyspaces(schema).forEach(ks ->
                    rows.add(row(ks.name(), ks.durableWrites(), driverReplication(ks.replication()))));
            case "system_schema_mcs.keyspaces" -> allKeyspaces(schema).forEach(ks ->
                    rows.add(row(ks.name(), ks.durableWrites(), ks.replication(), "ACTIVE")));
            case "system_schema.tables" -> allTables(schema).forEach(t -> rows.add(tableRow(t)));
            case "system_schema_mcs.tables" -> allTables(schema).forEach(t -> rows.add(row(t.keyspace(), t.name(),
                    stringOption(t, "comment", ""), customProperties(t), intOption(t, "default_time_to_live", 0),
                    intOption(t, "gc_grace_seconds", 864000), t.id(), "ACTIVE")));
            case "system_schema.columns" -> allTables(schema).forEach(t -> {
                for (ColumnMetadata c : t.columns()) {
                    rows.add(row(t.keyspace(), t.name(), c.name(),
                            c.kind() == ColumnMetadata.Kind.CLUSTERING ? (c.descending() ? "desc" : "asc") : "none",
                            c.name().getBytes(java.nio.charset.StandardCharsets.UTF_8), c.kind().schemaName(), c.position(),
                            c.type().cql()));
                }
            });
            case "system_schema.types" -> allKeyspaces(schema).forEach(ks -> {
                for (UserType u : ks.types().values()) {
                    rows.add(row(ks.name(), u.name(), u.fieldNames(),
                            u.fieldTypes().stream().map(DataType::cql).toList()));
                }
            });
            case "system_traces.sessions" -> traces.sessions(tenant).forEach(t -> rows.add(row(t.sessionId(), t.client(),
                    t.command(), t.coordinator(), t.coordinatorPort(), t.durationMicros(), t.parameters(), t.request(),
                    java.time.Instant.ofEpochMilli(t.startedAtMillis()))));
            case "system_traces.events" -> traces.sessions(tenant).forEach(t -> t.events().forEach(e -> rows.add(row(
                    t.sessionId(), e.eventId(), e.activity(), e.source(), e.sourceElapsedMicros(), e.sourcePort(),
                    e.thread()))));
            default -> {
                // peers, peers_v2 (a single gateway has none), functions, aggregates, indexes, views, triggers,
                // dropped_columns and the virtual schema are empty.
            }
        }
        return rows;
    }

    private List<KeyspaceMetadata> allKeyspaces(Schema schema) {
        List<KeyspaceMetadata> all = new ArrayList<>();
        Map<String, String> local = Map.of("class", "org.apache.cassandra.locator.LocalStrategy");
        for (Map.Entry<String, Map<String, TableMetadata>> e : DEFINITIONS.entrySet()) {
            all.add(new KeyspaceMetadata(e.getKey(), local, true, e.getValue(), Map.of()));
        }
        all.addAll(schema.keyspaces().values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }

    private List<TableMetadata> allTables(Schema schema) {
        List<TableMetadata> all = new ArrayList<>();
        for (KeyspaceMetadata ks : allKeyspaces(schema)) {
            all.addAll(ks.tables().values());
        }
        return all;
    }

    private static List<byte[]> tableRow(TableMetadata t) {
        Map<String, String> caching = mapOption(t, "caching", Map.of("keys", "ALL", "rows_per_partition", "NONE"));
        Map<String, String> compaction = mapOption(t, "compaction", Map.of(
                "class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy",
                "max_threshold", "32", "min_threshold", "4"));
        Map<String, String> compression = mapOption(t, "compression", Map.of(
                "chunk_length_in_kb", "16", "class", "org.apache.cassandra.io.compress.LZ4Compressor")); // 4.0 default
        return row(t.keyspace(), t.name(), "99p", doubleOption(t, "bloom_filter_fp_chance", 0.01), caching, false,
                stringOption(t, "comment", ""), compaction, compression, 1.0, 0.0, intOption(t, "default_time_to_live", 0),
                Map.of(), Set.of("compound"), intOption(t, "gc_grace_seconds", 864000), t.id(), 2048, 0, 128,
                "BLOCKING", 0.0, "99p");
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
                    props.put(String.valueOf(k), s);
                }
            });
        }
        return props;
    }

    private static String stringOption(TableMetadata t, String name, String def) {
        Object v = t.options().get(name);
        return v == null ? def : String.valueOf(v);
    }

    private static int intOption(TableMetadata t, String name, int def) {
        Object v = t.options().get(name);
        return v == null ? def : (int) Double.parseDouble(String.valueOf(v));
    }

    private static double doubleOption(TableMetadata t, String name, double def) {
        Object v = t.options().get(name);
        return v == null ? def : Double.parseDouble(String.valueOf(v));
    }

    private static Map<String, String> mapOption(TableMetadata t, String name, Map<String, String> def) {
        Object v = t.options().get(name);
        if (v instanceof Map<?, ?> m) {
            Map<String, String> out = new TreeMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
            return out;
        }
        return new TreeMap<>(def);
    }
}
