package io.strata.cql.system;

import static io.strata.cql.system.VirtualTable.row;
import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The system keyspaces every tenant sees, with Cassandra 5.0.9's tables ({@link SystemTables}):
 * {@code system} (local, peers, peers_v2), {@code system_schema} (describing only the tenant's own keyspaces
 * plus the system keyspaces), {@code system_traces} (the tenant's traced requests), Keyspaces'
 * {@code system_schema_mcs} (with status and custom_properties) and {@code system_virtual_schema}. Rows are
 * computed from the tenant's schema snapshot on every read, in the order Cassandra returns them.
 * Thread-safe (immutable).
 */
public final class SystemKeyspaces {
    public static final Set<String> NAMES = Set.copyOf(SystemTables.keyspaces().keySet());

    private final Supplier<NodeInfo> nodeInfo;
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
    public SystemKeyspaces(Supplier<NodeInfo> nodeInfo, TraceLog traces) {
        this.nodeInfo = requireNonNull(nodeInfo, "nodeInfo is null");
        this.traces = requireNonNull(traces, "traces is null");
    }

    /** What this node says about itself (system.local, DESCRIBE CLUSTER, the known data centers). */
    public NodeInfo node() {
        return nodeInfo.get();
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
        return SystemTables.definition(keyspace, table);
    }

    /** Computes a system table for a tenant; empty if no such table. */
    public Optional<VirtualTable> table(String keyspace, String table, Schema schema, String tenant) {
        return definition(keyspace, table).map(def ->
                new VirtualTable(def, VirtualTable.inCassandraOrder(def, rows(def, schema, tenant))));
    }

    private List<List<byte[]>> rows(TableMetadata def, Schema schema, String tenant) {
        List<List<byte[]>> rows = new ArrayList<>();
        switch (def.keyspace() + "." + def.name()) {
            case "system.local" -> {
                NodeInfo node = nodeInfo.get();
                rows.add(row("local", "COMPLETED", node.address(), NodeInfo.STORAGE_PORT, node.clusterName(),
                        NodeInfo.CQL_VERSION, node.datacenter(), 0, node.hostId(), node.address(), NodeInfo.STORAGE_PORT, "5",
                        NodeInfo.PARTITIONER, node.rack(), node.releaseVersion(), node.address(), node.nativePort(),
                        schema.schemaVersion(), node.tokens(), null));
            }
            case "system_traces.sessions" -> traces.sessions(tenant).forEach(t -> rows.add(row(t.sessionId(), t.client(),
                    t.command(), t.coordinator(), t.coordinatorPort(), t.durationMicros(), t.parameters(), t.request(),
                    Instant.ofEpochMilli(t.startedAtMillis()))));
            case "system_traces.events" -> traces.sessions(tenant).forEach(t -> t.events().forEach(e -> rows.add(row(
                    t.sessionId(), e.eventId(), e.activity(), e.source(), e.sourceElapsedMicros(), e.sourcePort(),
                    e.thread()))));
            // peers and peers_v2: a single gateway has none.
            default -> rows.addAll(SchemaTables.rows(def, schema));
        }
        return rows;
    }
}
