package io.strata.cql.exec.ddl;

import io.strata.cql.ast.PropertyNumber;
import io.strata.cql.request.CqlException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Table properties and element names: validation and normalisation, with Cassandra's messages. Stateless. */
final class TableOptions {
    /** Keyspaces caps TTLs at 20 years, as Cassandra does. */
    static final int MAX_TTL = 630_720_000;
    private static final Pattern NAME = Pattern.compile("\\w{1,48}");
    /**
     * Every table option Cassandra 4.0 to 5.0 prints or accepts, and Keyspaces' own: a schema dumped by
     * DESCRIBE loads unchanged. Honoured: default_time_to_live, gc_grace_seconds; the rest are kept and
     * shown as given (docs/design: table options).
     */
    static final Set<String> TABLE_OPTIONS = Set.of("comment", "default_time_to_live", "gc_grace_seconds",
            "bloom_filter_fp_chance", "caching", "compaction", "compression", "crc_check_chance",
            "memtable_flush_period_in_ms", "read_repair", "read_repair_chance", "dclocal_read_repair_chance",
            "speculative_retry", "additional_write_policy", "cdc", "custom_properties", "tags", "min_index_interval",
            "max_index_interval", "extensions", "id", "allow_auto_snapshot", "incremental_backups", "memtable");

    private TableOptions() {}

    static Map<String, Object> parse(Map<String, Object> props) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : props.entrySet()) {
            String key = e.getKey();
            if (!TABLE_OPTIONS.contains(key)) {
                throw CqlException.syntax("Unknown property '" + key + "'");
            }
            Object v = e.getValue();
            switch (key) {
                case "default_time_to_live", "gc_grace_seconds", "memtable_flush_period_in_ms", "min_index_interval",
                        "max_index_interval" -> {
                    long n = integerOption(key, v);
                    if (n < 0) {
                        throw CqlException.config(key + " must be greater than or equal to 0 (got " + n + ")");
                    }
                    if (key.equals("default_time_to_live") && n > MAX_TTL) {
                        throw CqlException.config("default_time_to_live must be less than or equal to " + MAX_TTL
                                + " (got " + n + ")");
                    }
                    options.put(key, Long.toString(n));
                }
                case "bloom_filter_fp_chance", "crc_check_chance", "read_repair_chance", "dclocal_read_repair_chance" ->
                        options.put(key, Double.toString(doubleOption(key, v)));
                default -> options.put(key, normalize(v));
            }
        }
        return options;
    }

    private static Object normalize(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), normalize(val)));
            return out;
        }
        return String.valueOf(v);
    }

    private static long integerOption(String key, Object v) {
        try {
            if (v instanceof PropertyNumber n) {
                return n.longValue();
            }
            return Long.parseLong(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw CqlException.syntax("Invalid integer value '" + v + "' for property '" + key + "'");
        }
    }

    private static double doubleOption(String key, Object v) {
        try {
            return v instanceof PropertyNumber n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw CqlException.syntax("Invalid double value '" + v + "' for property '" + key + "'");
        }
    }

    static void validateName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw CqlException.invalid(what.substring(0, 1).toUpperCase() + what.substring(1) + " name must not be "
                    + "empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \""
                    + name + "\")");
        }
    }

}
