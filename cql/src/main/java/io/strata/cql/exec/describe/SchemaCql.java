package io.strata.cql.exec.describe;

import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Replication;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.schema.TableParams;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.CqlIdentifiers;
import io.strata.cql.types.DataType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The CQL that DESCRIBE prints for a keyspace, a user type or a table, character for character as Cassandra
 * 5.0.9 writes it (KeyspaceMetadata, UserType and TableMetadata.toCqlString, TableParams.appendCqlTo): every
 * table option with its value or default in Cassandra's order, a one-column partition key inline, names
 * quoted where needed, replication as {@code system_schema.keyspaces} shows it with Cassandra's own strategy
 * classes short. The statements parse back in Strata and in Cassandra. Keyspaces' custom_properties and
 * tags are not Cassandra options and are left out (they show in system_schema_mcs). Stateless.
 */
public final class SchemaCql {
    private static final String INDENT = "    ";

    private SchemaCql() {}

    /** {@code CREATE KEYSPACE ...}, or the commented structure of a virtual keyspace. */
    public static String keyspace(KeyspaceMetadata k, boolean virtual) {
        if (virtual) {
            return "/*\nWarning: Keyspace " + q(k.name()) + " is a virtual keyspace and cannot be recreated with CQL.\n"
                    + "Structure, for reference:\nVIRTUAL KEYSPACE " + q(k.name()) + ";\n*/";
        }
        Map<String, String> replication = Replication.asShown(k.replication());
        List<String> entries = new ArrayList<>();
        entries.add("'class': " + literal(Replication.shortClassName(replication.get("class"))));
        replication.forEach((key, value) -> {
            if (!key.equals("class")) {
                entries.add(literal(key) + ": " + literal(value));
            }
        });
        return "CREATE KEYSPACE " + q(k.name()) + " WITH replication = {" + String.join(", ", entries)
                + "}  AND durable_writes = " + k.durableWrites() + ";";
    }

    /** {@code CREATE TYPE ks.name (...)}, one field a line. */
    public static String type(UserType u) {
        StringBuilder sb = new StringBuilder("CREATE TYPE ").append(q(u.keyspace())).append('.').append(q(u.name()))
                .append(" (\n");
        for (int i = 0; i < u.fieldNames().size(); i++) {
            sb.append(INDENT).append(q(u.fieldNames().get(i))).append(' ').append(u.fieldTypes().get(i).cql())
                    .append(i + 1 < u.fieldNames().size() ? ",\n" : "\n");
        }
        return sb.append(");").toString();
    }

    /** {@code CREATE TABLE ...} with every option, or the commented structure of a virtual table. */
    public static String table(TableMetadata t, boolean virtual) {
        StringBuilder sb = new StringBuilder();
        if (virtual) {
            sb.append("/*\nWarning: Table ").append(qualified(t))
                    .append(" is a virtual table and cannot be recreated with CQL.\nStructure, for reference:\nVIRTUAL TABLE ");
        } else {
            sb.append("CREATE TABLE ");
        }
        sb.append(qualified(t)).append(" (\n");
        boolean inlineKey = t.partitionKey().size() == 1 && t.clustering().isEmpty();
        List<ColumnMetadata> columns = describeOrder(t);
        for (int i = 0; i < columns.size(); i++) {
            ColumnMetadata c = columns.get(i);
            sb.append(INDENT).append(q(c.name())).append(' ').append(c.type().cql());
            if (c.isStatic()) {
                sb.append(" static");
            }
            if (inlineKey && c.kind() == ColumnMetadata.Kind.PARTITION_KEY) {
                sb.append(" PRIMARY KEY");
            }
            sb.append(inlineKey && i + 1 == columns.size() ? "\n" : ",\n");
        }
        if (!inlineKey) {
            List<String> pk = t.partitionKey().stream().map(c -> q(c.name())).toList();
            sb.append(INDENT).append("PRIMARY KEY (").append(pk.size() == 1 ? pk.get(0) : "(" + String.join(", ", pk) + ")");
            for (ColumnMetadata c : t.clustering()) {
                sb.append(", ").append(q(c.name()));
            }
            sb.append(")\n");
        }
        sb.append(") WITH ");
        if (!t.clustering().isEmpty()) {
            List<String> order = t.clustering().stream().map(c -> q(c.name()) + (c.descending() ? " DESC" : " ASC")).toList();
            sb.append("CLUSTERING ORDER BY (").append(String.join(", ", order)).append(")\n").append(INDENT).append("AND ");
        }
        TableParams p = TableParams.of(t);
        if (virtual) {
            return sb.append("comment = ").append(literal(p.comment())).append(";\n*/").toString();
        }
        appendOptions(sb, p);
        appendProvisionedCapacity(sb, t);
        return sb.append(';').toString();
    }

    /**
     * A provisioned table's capacity, so that DESCRIBE shows it and its output recreates the table as it is in
     * Strata (Keyspaces' syntax; Cassandra refuses it, so on-demand tables, the default, print nothing here).
     */
    private static void appendProvisionedCapacity(StringBuilder sb, TableMetadata t) {
        if (t.options().get("custom_properties") instanceof Map<?, ?> custom
                && custom.get("capacity_mode") instanceof Map<?, ?> mode
                && "PROVISIONED".equals(String.valueOf(mode.get("throughput_mode")))) {
            sb.append("\n").append(INDENT).append("AND CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': "
                    + "'PROVISIONED', 'read_capacity_units': ").append(mode.get("read_capacity_units"))
                    .append(", 'write_capacity_units': ").append(mode.get("write_capacity_units")).append("}}");
            if (t.options().get("autoscaling_settings") instanceof Map<?, ?> scaling && !scaling.isEmpty()) {
                List<String> sides = new ArrayList<>();
                scaling.forEach((side, v) -> sides.add("'" + side + "': " + autoscalingSide((Map<?, ?>) v)));
                sb.append("\n").append(INDENT).append("AND AUTOSCALING_SETTINGS = {").append(String.join(", ", sides))
                        .append("}");
            }
        }
    }

    /** One side of Keyspaces' AUTOSCALING_SETTINGS, nested back as Keyspaces writes it. */
    private static String autoscalingSide(Map<?, ?> s) {
        if ("true".equals(String.valueOf(s.get("autoscaling_disabled"))) && s.get("minimum_units") == null) {
            return "{'autoscaling_disabled': true}";
        }
        return "{'autoscaling_disabled': " + s.get("autoscaling_disabled") + ", 'minimum_units': " + s.get("minimum_units")
                + ", 'maximum_units': " + s.get("maximum_units") + ", 'scaling_policy': "
                + "{'target_tracking_scaling_policy_configuration': {'target_value': " + s.get("target_value")
                + ", 'scale_in_cooldown': " + s.get("scale_in_cooldown") + ", 'scale_out_cooldown': "
                + s.get("scale_out_cooldown") + ", 'disable_scale_in': " + s.get("disable_scale_in") + "}}}";
    }

    /** The options in the order of Cassandra's TableParams.appendCqlTo (memtable after compression). */
    private static void appendOptions(StringBuilder sb, TableParams p) {
        List<String> options = List.of(
                "additional_write_policy = " + literal(p.additionalWritePolicy()),
                "allow_auto_snapshot = " + p.allowAutoSnapshot(),
                "bloom_filter_fp_chance = " + p.bloomFilterFpChance(),
                "caching = " + map(p.caching()),
                "cdc = " + p.cdc(),
                "comment = " + literal(p.comment()),
                "compaction = " + map(p.compaction()),
                "compression = " + map(p.compression()),
                "memtable = " + literal(p.memtable()),
                "crc_check_chance = " + p.crcCheckChance(),
                "default_time_to_live = " + p.defaultTimeToLive(),
                "extensions = " + map(p.extensions()),
                "gc_grace_seconds = " + p.gcGraceSeconds(),
                "incremental_backups = " + p.incrementalBackups(),
                "max_index_interval = " + p.maxIndexInterval(),
                "memtable_flush_period_in_ms = " + p.memtableFlushPeriodInMs(),
                "min_index_interval = " + p.minIndexInterval(),
                "read_repair = " + literal(p.readRepair()),
                "speculative_retry = " + literal(p.speculativeRetry()));
        sb.append(String.join("\n" + INDENT + "AND ", options));
    }

    /**
     * The columns in the order Cassandra's DESCRIBE writes them: partition key, clustering, then static and
     * regular columns, each kind with single-cell columns before non-frozen collections and UDTs, by name.
     */
    static List<ColumnMetadata> describeOrder(TableMetadata t) {
        List<ColumnMetadata> out = new ArrayList<>(t.partitionKey());
        out.addAll(t.clustering());
        List<ColumnMetadata> rest = new ArrayList<>(t.regularAndStatic());
        rest.sort(Comparator.comparing((ColumnMetadata c) -> !c.isStatic())
                .thenComparing(c -> isMultiCell(c.type()))
                .thenComparing(ColumnMetadata::name));
        out.addAll(rest);
        return out;
    }

    private static boolean isMultiCell(DataType type) {
        return (type instanceof CollectionType || type instanceof UserType) && !type.isFrozen();
    }

    private static String map(Map<String, String> m) {
        List<String> entries = new ArrayList<>();
        m.forEach((k, v) -> entries.add(literal(k) + ": " + literal(v)));
        return "{" + String.join(", ", entries) + "}";
    }

    private static String qualified(TableMetadata t) {
        return q(t.keyspace()) + "." + q(t.name());
    }

    static String q(String id) {
        return CqlIdentifiers.quoteIfNeeded(id);
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
