package io.strata.cql.exec;

import io.strata.cql.ast.Describe;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.Result;
import io.strata.cql.request.Result.Rows;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.types.NativeType;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.types.CqlIdentifiers;
import io.strata.cql.types.UserType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Server-side DESCRIBE as Cassandra 4.0 answers it (what cqlsh 6 sends): listings ({@code DESCRIBE
 * KEYSPACES|TABLES|TYPES}) are rows of {@code keyspace_name, type, name}; descriptions ({@code KEYSPACE},
 * {@code TABLE}, {@code TYPE}, {@code SCHEMA}) add {@code create_statement}, CQL that recreates the element
 * and that Strata's own parser reads back. Only the tenant's schema is described (and the names of the
 * system keyspaces it can read). Stateless.
 */
final class DescribeExecutor {
    private DescribeExecutor() {}

    static Rows describe(Describe d, Schema schema, String currentKeyspace, String clusterName) {
        return switch (d.kind()) {
            case KEYSPACES -> listing(keyspaceNames(schema), schema, null);
            case TABLES -> listing(scope(schema, currentKeyspace), schema, "table");
            case TYPES -> listing(scope(schema, currentKeyspace), schema, "type");
            case KEYSPACE -> rows(keyspace(schema, d.target() != null ? d.target().name() : required(currentKeyspace)));
            case TABLE -> rows(one(table(schema, ks(d, currentKeyspace), d.target().name())));
            case TYPE -> rows(one(type(schema, ks(d, currentKeyspace), d.target().name())));
            case SCHEMA, FULL_SCHEMA -> {
                List<String[]> all = new ArrayList<>();
                for (String ks : new TreeSet<>(schema.keyspaces().keySet())) {
                    all.addAll(keyspace(schema, ks));
                }
                yield rows(all);
            }
            case CLUSTER -> cluster(clusterName);
            case NAME -> {
                String name = d.target().name();
                if (d.target().keyspace() == null && schema.keyspace(name).isPresent()) {
                    yield rows(keyspace(schema, name));
                }
                yield rows(one(table(schema, ks(d, currentKeyspace), name)));
            }
        };
    }

    private static List<String[]> one(String[] row) {
        List<String[]> rows = new ArrayList<>(1);
        rows.add(row);
        return rows;
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

    private static List<String> keyspaceNames(Schema schema) {
        TreeSet<String> names = new TreeSet<>(schema.keyspaces().keySet());
        names.addAll(SystemKeyspaces.NAMES);
        return new ArrayList<>(names);
    }

    private static List<String> scope(Schema schema, String current) {
        return current != null ? List.of(current) : new ArrayList<>(new TreeSet<>(schema.keyspaces().keySet()));
    }

    private static KeyspaceMetadata keyspaceOrFail(Schema schema, String name) {
        return schema.keyspace(name).orElseThrow(() -> CqlException.invalid("Keyspace '" + name + "' not found"));
    }

    private static Rows listing(List<String> keyspaces, Schema schema, String type) {
        List<String[]> rows = new ArrayList<>();
        for (String ks : keyspaces) {
            if (type == null) {
                rows.add(new String[] {ks, "keyspace", ks});
                continue;
            }
            KeyspaceMetadata k = schema.keyspace(ks).orElse(null);
            if (k == null) {
                continue;
            }
            for (String n : new TreeSet<>(type.equals("table") ? k.tables().keySet() : k.types().keySet())) {
                rows.add(new String[] {ks, type, n});
            }
        }
        return result(List.of("keyspace_name", "type", "name"), rows);
    }

    private static List<String[]> keyspace(Schema schema, String name) {
        KeyspaceMetadata k = keyspaceOrFail(schema, name);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {name, "keyspace", name, createKeyspace(k)});
        for (String t : new TreeSet<>(k.types().keySet())) {
            rows.add(new String[] {name, "type", t, createType(name, k.types().get(t))});
        }
        for (String t : new TreeSet<>(k.tables().keySet())) {
            rows.add(new String[] {name, "table", t, createTable(k.tables().get(t))});
        }
        return rows;
    }

    private static String[] table(Schema schema, String ks, String name) {
        TableMetadata t = keyspaceOrFail(schema, ks).tables().get(name);
        if (t == null) {
            throw CqlException.invalid("Table '" + name + "' not found in keyspace '" + ks + "'");
        }
        return new String[] {ks, "table", name, createTable(t)};
    }

    private static String[] type(Schema schema, String ks, String name) {
        UserType u = keyspaceOrFail(schema, ks).types().get(name);
        if (u == null) {
            throw CqlException.invalid("User defined type '" + name + "' not found in '" + ks + "'");
        }
        return new String[] {ks, "type", name, createType(ks, u)};
    }

    static String createKeyspace(KeyspaceMetadata k) {
        StringBuilder sb = new StringBuilder("CREATE KEYSPACE ").append(q(k.name())).append(" WITH replication = {");
        boolean first = true;
        for (Map.Entry<String, String> e : k.replication().entrySet()) {
            sb.append(first ? "" : ", ").append(literal(e.getKey())).append(": ").append(literal(e.getValue()));
            first = false;
        }
        return sb.append("}  AND durable_writes = ").append(k.durableWrites()).append(';').toString();
    }

    static String createType(String ks, UserType u) {
        StringBuilder sb = new StringBuilder("CREATE TYPE ").append(q(ks)).append('.').append(q(u.name())).append(" (\n");
        for (int i = 0; i < u.fieldNames().size(); i++) {
            sb.append("    ").append(q(u.fieldNames().get(i))).append(' ').append(u.fieldTypes().get(i).cql())
                    .append(i + 1 < u.fieldNames().size() ? ",\n" : "\n");
        }
        return sb.append(");").toString();
    }

    static String createTable(TableMetadata t) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(q(t.keyspace())).append('.').append(q(t.name()))
                .append(" (\n");
        for (ColumnMetadata c : t.columns()) {
            sb.append("    ").append(q(c.name())).append(' ').append(c.type().cql())
                    .append(c.isStatic() ? " static" : "").append(",\n");
        }
        List<String> pk = t.partitionKey().stream().map(c -> q(c.name())).toList();
        sb.append("    PRIMARY KEY (").append(pk.size() == 1 ? pk.get(0) : "(" + String.join(", ", pk) + ")");
        for (ColumnMetadata c : t.clustering()) {
            sb.append(", ").append(q(c.name()));
        }
        sb.append(")\n)");
        List<String> with = new ArrayList<>();
        if (!t.clustering().isEmpty()) {
            List<String> order = t.clustering().stream()
                    .map(c -> q(c.name()) + (c.descending() ? " DESC" : " ASC")).toList();
            with.add("CLUSTERING ORDER BY (" + String.join(", ", order) + ")");
        }
        for (Map.Entry<String, Object> o : new java.util.TreeMap<>(t.options()).entrySet()) {
            with.add(o.getKey() + " = " + optionValue(o.getValue()));
        }
        if (!with.isEmpty()) {
            sb.append(" WITH ").append(String.join("\n    AND ", with));
        }
        return sb.append(';').toString();
    }

    private static String optionValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                parts.add(literal(String.valueOf(e.getKey())) + ": " + optionValue(e.getValue()));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        String s = String.valueOf(v);
        return s.matches("-?\\d+(\\.\\d+)?") ? s : literal(s);
    }

    private static String q(String id) {
        return CqlIdentifiers.quoteIfNeeded(id);
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static Rows rows(List<String[]> rows) {
        return result(List.of("keyspace_name", "type", "name", "create_statement"), rows);
    }

    private static Rows cluster(String clusterName) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {clusterName, "org.apache.cassandra.dht.Murmur3Partitioner",
                "org.apache.cassandra.locator.SimpleSnitch"});
        return result(List.of("cluster", "partitioner", "snitch"), rows);
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
                row.add(ByteBuffer.wrap(v.getBytes(StandardCharsets.UTF_8)));
            }
            data.add(row);
        }
        return new Result.Rows(specs, data, null);
    }
}
