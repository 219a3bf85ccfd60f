package io.strata.cql.exec;

import io.strata.cql.ast.Describe;
import io.strata.cql.exec.describe.SchemaCql;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.Result;
import io.strata.cql.request.Result.Rows;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.NodeInfo;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.system.SystemTables;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.CqlIdentifiers;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.UserType;
import io.strata.cql.types.Values;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Server-side DESCRIBE as Cassandra 5.0.9 answers it (what cqlsh 6 sends): listings ({@code DESCRIBE
 * KEYSPACES|TABLES|TYPES}) are rows of {@code keyspace_name, type, name} (names quoted where needed);
 * descriptions ({@code [ONLY] KEYSPACE}, {@code TABLE}, {@code TYPE}, {@code [FULL] SCHEMA}, a bare name)
 * add {@code create_statement} ({@link SchemaCql}); {@code CLUSTER} gives the cluster name, partitioner and
 * snitch, and the token ranges' owners when a user keyspace is in use. The tenant's keyspaces and the system
 * keyspaces are described, sorted by name ignoring case as Cassandra does. Stateless.
 */
final class DescribeExecutor {
    private static final Comparator<String> NAME_ORDER = String.CASE_INSENSITIVE_ORDER;
    private static final DataType RANGE_OWNERSHIP = new CollectionType(CollectionType.Kind.MAP, NativeType.TEXT,
            new CollectionType(CollectionType.Kind.LIST, NativeType.TEXT, null, true), false);

    private DescribeExecutor() {}

    static Rows describe(Describe d, Schema schema, String currentKeyspace, NodeInfo node) {
        return describe(d, schema, currentKeyspace, node.clusterName(), node);
    }

    private static Rows describe(Describe d, Schema schema, String current, String clusterName, NodeInfo node) {
        Map<String, KeyspaceMetadata> all = new TreeMap<>(SystemTables.keyspaces());
        all.putAll(schema.keyspaces());
        return switch (d.kind()) {
            case KEYSPACES -> listing(sorted(all.values(), KeyspaceMetadata::name).stream()
                    .map(k -> new String[] {q(k.name()), "keyspace", q(k.name())}).toList());
            case TABLES -> listing(inScope(all, current).stream().flatMap(k -> sorted(k.tables().keySet(), n -> n).stream()
                    .map(n -> new String[] {q(k.name()), "table", q(n)})).toList());
            case TYPES -> listing(inScope(all, current).stream().flatMap(k -> sorted(k.types().keySet(), n -> n).stream()
                    .map(n -> new String[] {q(k.name()), "type", q(n)})).toList());
            case KEYSPACE -> elements(keyspace(keyspace(all, target(d, current)), false));
            case ONLY_KEYSPACE -> elements(keyspace(keyspace(all, target(d, current)), true));
            case TABLE -> elements(List.<String[]>of(table(keyspace(all, ks(d, current)), d.target().name())));
            case TYPE -> elements(List.<String[]>of(type(keyspace(all, ks(d, current)), d.target().name())));
            case SCHEMA, FULL_SCHEMA -> {
                List<String[]> rows = new ArrayList<>();
                for (KeyspaceMetadata k : sorted(all.values(), KeyspaceMetadata::name)) {
                    if (d.kind() == Describe.Kind.FULL_SCHEMA || !SystemKeyspaces.isSystemKeyspace(k.name())) {
                        rows.addAll(keyspace(k, false));
                    }
                }
                yield elements(rows);
            }
            case CLUSTER -> cluster(clusterName, node, current);
            case NAME -> elements(named(all, d, current));
        };
    }

    /** A bare {@code DESCRIBE name}: a keyspace, else a table of the keyspace in use (or of the given one). */
    private static List<String[]> named(Map<String, KeyspaceMetadata> all, Describe d, String current) {
        String name = d.target().name();
        String ks = d.target().keyspace();
        if (ks == null) {
            if (all.containsKey(name)) {
                return keyspace(all.get(name), false);
            }
            ks = current == null ? name : current;
        }
        KeyspaceMetadata k = keyspace(all, ks);
        if (!k.tables().containsKey(name)) {
            throw CqlException.invalid("'" + name + "' not found in keyspace '" + ks + "'");
        }
        return List.<String[]>of(table(k, name));
    }

    private static String target(Describe d, String current) {
        return d.target() != null ? d.target().name() : required(current);
    }

    private static String required(String keyspace) {
        if (keyspace == null) {
            throw CqlException.invalid("No keyspace specified and no current keyspace");
        }
        return keyspace;
    }

    private static String ks(Describe d, String current) {
        return d.target().keyspace() != null ? d.target().keyspace() : required(current);
    }

    private static KeyspaceMetadata keyspace(Map<String, KeyspaceMetadata> all, String name) {
        KeyspaceMetadata k = all.get(name);
        if (k == null) {
            throw CqlException.invalid("'" + name + "' not found in keyspaces");
        }
        return k;
    }

    /** The keyspace in use, or every keyspace when none is. */
    private static List<KeyspaceMetadata> inScope(Map<String, KeyspaceMetadata> all, String current) {
        return current != null ? List.of(keyspace(all, current)) : sorted(all.values(), KeyspaceMetadata::name);
    }

    private static <T> List<T> sorted(Collection<T> items, java.util.function.Function<T, String> name) {
        List<T> out = new ArrayList<>(items);
        out.sort(Comparator.comparing(name, NAME_ORDER));
        return out;
    }

    /** The keyspace, then (unless {@code only}) its types and its tables, each by name. */
    private static List<String[]> keyspace(KeyspaceMetadata k, boolean only) {
        boolean virtual = SystemTables.isVirtual(k.name());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {q(k.name()), "keyspace", q(k.name()), SchemaCql.keyspace(k, virtual)});
        if (!only) {
            for (String t : sorted(k.types().keySet(), n -> n)) {
                rows.add(new String[] {q(k.name()), "type", q(t), SchemaCql.type(k.types().get(t))});
            }
            for (String t : sorted(k.tables().keySet(), n -> n)) {
                rows.add(table(k, t));
            }
        }
        return rows;
    }

    private static String[] table(KeyspaceMetadata k, String name) {
        TableMetadata t = k.tables().get(name);
        if (t == null) {
            throw CqlException.invalid("Table '" + name + "' not found in keyspace '" + k.name() + "'");
        }
        return new String[] {q(k.name()), "table", q(name), SchemaCql.table(t, SystemTables.isVirtual(k.name()))};
    }

    private static String[] type(KeyspaceMetadata k, String name) {
        UserType u = k.types().get(name);
        if (u == null) {
            throw CqlException.invalid("User defined type '" + name + "' not found in '" + k.name() + "'");
        }
        return new String[] {q(k.name()), "type", q(name), SchemaCql.type(u)};
    }

    /**
     * Cluster name, partitioner and snitch without Cassandra's package names (a Cassandra node's snitch is
     * its DynamicEndpointSnitch), and, with a user keyspace in use, who owns each token range: this node,
     * named as Cassandra names endpoints ({@code /address:storage_port}), for the range ending at each of its
     * tokens.
     */
    private static Rows cluster(String clusterName, NodeInfo node, String current) {
        List<String> names = new ArrayList<>(List.of("cluster", "partitioner", "snitch"));
        List<byte[]> row = new ArrayList<>(List.of(text(clusterName),
                text(NodeInfo.PARTITIONER.substring(NodeInfo.PARTITIONER.lastIndexOf('.') + 1)),
                text("DynamicEndpointSnitch")));
        List<DataType> types = new ArrayList<>(List.of(NativeType.TEXT, NativeType.TEXT, NativeType.TEXT));
        if (node != null && current != null && !SystemKeyspaces.isSystemKeyspace(current)) {
            String endpoint = "/" + node.address().getHostAddress() + ":" + NodeInfo.STORAGE_PORT;
            Map<byte[], byte[]> owners = new LinkedHashMap<>();
            for (String token : node.tokens()) {
                owners.put(text(token), CollectionCodec.list(List.of(text(endpoint))));
            }
            names.add("range_ownership");
            row.add(CollectionCodec.map(owners));
            types.add(RANGE_OWNERSHIP);
        }
        List<ResultColumn> specs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            specs.add(new ResultColumn("system", "describe", names.get(i), types.get(i)));
        }
        return new Result.Rows(specs, List.of(row.stream().map(ByteBuffer::wrap).toList()), null);
    }

    private static Rows listing(List<String[]> rows) {
        return result(List.of("keyspace_name", "type", "name"), rows);
    }

    private static Rows elements(List<String[]> rows) {
        return result(List.of("keyspace_name", "type", "name", "create_statement"), rows);
    }

    private static Rows result(List<String> columns, List<String[]> rows) {
        List<ResultColumn> specs = new ArrayList<>();
        for (String c : columns) {
            specs.add(new ResultColumn("system", "describe", c, NativeType.TEXT));
        }
        List<List<ByteBuffer>> data = new ArrayList<>();
        for (String[] r : rows) {
            List<ByteBuffer> row = new ArrayList<>(r.length);
            for (String v : r) {
                row.add(ByteBuffer.wrap(text(v)));
            }
            data.add(row);
        }
        return new Result.Rows(specs, data, null);
    }

    private static byte[] text(String s) {
        return Values.ofText(s);
    }

    private static String q(String id) {
        return CqlIdentifiers.quoteIfNeeded(id);
    }
}
