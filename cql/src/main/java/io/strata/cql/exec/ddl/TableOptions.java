package io.strata.cql.exec.ddl;

import io.strata.cql.ast.PropertyNumber;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.TableParams;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Table properties and element names: validation and normalisation, with Cassandra 5.0.9's codes and
 * messages. Every table option Cassandra 4.0 to 5.0 prints or accepts is accepted, so that a schema dumped
 * by DESCRIBE loads unchanged; the stored value is Cassandra's normal form (what system_schema.tables and
 * DESCRIBE show). Strata honours {@code default_time_to_live} and {@code gc_grace_seconds}; the others are
 * kept and shown as given (docs/design/0008-schema-metadata.md). Stateless.
 */
final class TableOptions {
    /** Keyspaces caps TTLs at 20 years, as Cassandra does. */
    static final int MAX_TTL = 630_720_000;
    private static final Pattern NAME = Pattern.compile("\\w{1,48}");
    /** Memtable configurations of Cassandra 5.0's stock cassandra.yaml. */
    private static final Set<String> MEMTABLES = Set.of("default", "skiplist", "trie");
    /**
     * Accepted and dropped: {@code id} (Strata assigns table ids), {@code extensions} (Cassandra 5.0 shows
     * {@code {}} whatever is given), Cassandra 3's read repair chances (still printed by the cqlsh of Amazon
     * Keyspaces and Cassandra 3.11, so their dumps load).
     */
    private static final Set<String> IGNORED = Set.of("id", "extensions", "read_repair_chance",
            "dclocal_read_repair_chance");
    private static final Set<String> OPTIONS = Set.of("comment", "default_time_to_live", "gc_grace_seconds",
            "bloom_filter_fp_chance", "caching", "compaction", "compression", "crc_check_chance",
            "memtable_flush_period_in_ms", "read_repair", "speculative_retry", "additional_write_policy", "cdc",
            "min_index_interval", "max_index_interval", "allow_auto_snapshot", "incremental_backups", "memtable",
            // Amazon Keyspaces' own, kept for system_schema_mcs
            "custom_properties", "tags", "autoscaling_settings");

    private TableOptions() {}

    /** The options {@code props} set, normalised; SYNTAX_ERROR or CONFIG_ERROR as Cassandra answers. */
    static Map<String, Object> parse(Map<String, Object> props) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : props.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (IGNORED.contains(key)) {
                continue;
            }
            if (!OPTIONS.contains(key)) {
                throw CqlException.syntax("Unknown property '" + key + "'");
            }
            switch (key) {
                case "default_time_to_live", "gc_grace_seconds", "memtable_flush_period_in_ms", "min_index_interval",
                        "max_index_interval" -> options.put(key, Integer.toString(integerOption(key, v)));
                case "bloom_filter_fp_chance", "crc_check_chance" -> options.put(key, Double.toString(doubleOption(key, v)));
                case "cdc", "allow_auto_snapshot", "incremental_backups" -> options.put(key, Boolean.toString(boolOption(key, v)));
                case "caching" -> options.put(key, OptionValues.caching(stringMap(key, v)));
                case "compaction" -> options.put(key, OptionValues.compaction(stringMap(key, v)));
                case "compression" -> options.put(key, OptionValues.compression(stringMap(key, v)));
                case "speculative_retry", "additional_write_policy" ->
                        options.put(key, OptionValues.retryPolicy(key, scalar(key, v)));
                case "read_repair" -> options.put(key, readRepair(scalar(key, v)));
                case "memtable" -> {
                    String name = scalar(key, v);
                    if (!MEMTABLES.contains(name)) {
                        throw CqlException.config("Memtable configuration \"" + name + "\" not found.");
                    }
                    options.put(key, name);
                }
                case "comment" -> options.put(key, scalar(key, v));
                default -> options.put(key, normalize(v)); // custom_properties, tags, autoscaling_settings
            }
        }
        return options;
    }

    /** Checks the options of a table as they stand after CREATE or ALTER, as Cassandra's TableParams.validate. */
    static void validate(TableParams p) {
        if (p.bloomFilterFpChance() <= 6.71E-5 || p.bloomFilterFpChance() > 1) {
            throw CqlException.config("bloom_filter_fp_chance must be larger than 6.71E-5 and less than or equal to 1.0 (got "
                    + p.bloomFilterFpChance() + ")");
        }
        if (p.crcCheckChance() < 0 || p.crcCheckChance() > 1.0) {
            throw CqlException.config("crc_check_chance must be larger than or equal to 0 and smaller than or equal to 1.0 "
                    + "(got " + p.crcCheckChance() + ")");
        }
        nonNegative("default_time_to_live", p.defaultTimeToLive());
        if (p.defaultTimeToLive() > MAX_TTL) {
            throw CqlException.config("default_time_to_live must be less than or equal to " + MAX_TTL + " (got "
                    + p.defaultTimeToLive() + ")");
        }
        nonNegative("gc_grace_seconds", p.gcGraceSeconds());
        if (p.minIndexInterval() < 1) {
            throw CqlException.config("min_index_interval must be greater than or equal to 1 (got " + p.minIndexInterval() + ")");
        }
        if (p.maxIndexInterval() < p.minIndexInterval()) {
            throw CqlException.config("max_index_interval must be greater than or equal to min_index_interval ("
                    + p.minIndexInterval() + ") (got " + p.maxIndexInterval() + ")");
        }
        nonNegative("memtable_flush_period_in_ms", p.memtableFlushPeriodInMs());
    }

    private static void nonNegative(String name, int value) {
        if (value < 0) {
            throw CqlException.config(name + " must be greater than or equal to 0 (got " + value + ")");
        }
    }

    private static String readRepair(String v) {
        String upper = v.toUpperCase(Locale.ROOT);
        if (!upper.equals("BLOCKING") && !upper.equals("NONE")) {
            throw CqlException.config("Invalid value " + v + " for option 'read_repair' (BLOCKING or NONE)");
        }
        return upper;
    }

    private static String scalar(String key, Object v) {
        if (v instanceof Map<?, ?>) {
            throw CqlException.syntax("Invalid value for property '" + key + "'. It should be a string");
        }
        return String.valueOf(v);
    }

    private static Map<String, String> stringMap(String key, Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw CqlException.syntax("Invalid value for property '" + key + "'. It should be a map.");
        }
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return out;
    }

    private static Object normalize(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), normalize(val)));
            return out;
        }
        return String.valueOf(v);
    }

    private static int integerOption(String key, Object v) {
        try {
            String text = v instanceof PropertyNumber n ? n.text() : scalar(key, v);
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw CqlException.syntax("Invalid integer value " + v + " for '" + key + "'");
        }
    }

    private static double doubleOption(String key, Object v) {
        try {
            return v instanceof PropertyNumber n ? n.doubleValue() : Double.parseDouble(scalar(key, v));
        } catch (NumberFormatException e) {
            throw CqlException.syntax("Invalid double value " + v + " for '" + key + "'");
        }
    }

    /** As Cassandra's PropertyDefinitions.getBoolean: 1/true/yes and 0/false/no. */
    private static boolean boolOption(String key, Object v) {
        String s = String.valueOf(v).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "1", "true", "yes" -> true;
            case "0", "false", "no" -> false;
            default -> throw CqlException.syntax("Invalid boolean value " + v + " for '" + key + "'. Positive values can "
                    + "be '1', 'true' or 'yes'. Negative values can be '0', 'false' or 'no'.");
        };
    }

    static void validateName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw CqlException.invalid(what.substring(0, 1).toUpperCase() + what.substring(1) + " name must not be "
                    + "empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \""
                    + name + "\")");
        }
    }
}
