package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keyspaces' capacity mode in {@code CUSTOM_PROPERTIES = {'capacity_mode': {...}}}: validated, normalised and
 * stamped as Keyspaces shows it in {@code system_schema_mcs.tables.custom_properties}:
 * {@code {'throughput_mode': 'PAY_PER_REQUEST', 'last_update_to_pay_per_request_timestamp': '<ms>'}} or
 * {@code {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 'N', 'write_capacity_units': 'N', ...}}.
 *
 * <p>Switching rules, as Keyspaces': on demand to provisioned at any time; back to on demand only once the
 * last switch to it (or the on-demand table's creation) is {@code switchWait} (24 h) old. Changing the units of a
 * provisioned table is not a switch. Stateless.
 */
final class CapacityProperties {
    static final String CUSTOM = "custom_properties";
    static final String CAPACITY = "capacity_mode";
    static final String MODE = "throughput_mode";
    static final String READ = "read_capacity_units";
    static final String WRITE = "write_capacity_units";
    static final String SWITCHED = "last_update_to_pay_per_request_timestamp";
    static final String ON_DEMAND = "PAY_PER_REQUEST";
    static final String PROVISIONED = "PROVISIONED";
    /** Keyspaces' default per-table throughput quota. */
    static final long MAX_UNITS = 40_000;
    private static final Set<String> KEYS = Set.of(MODE, READ, WRITE, SWITCHED);

    private CapacityProperties() {}

    /** The options of a new table: its capacity mode validated, an on-demand table stamped with its creation. */
    static Map<String, Object> onCreate(Map<String, Object> options, long nowMillis) {
        Map<String, Object> custom = custom(options);
        Map<String, String> given = custom.get(CAPACITY) == null ? Map.of(MODE, ON_DEMAND) : parse(custom.get(CAPACITY));
        Map<String, String> mode = new LinkedHashMap<>(given);
        mode.remove(SWITCHED);
        if (mode.get(MODE).equals(ON_DEMAND)) {
            mode.put(SWITCHED, Long.toString(nowMillis));
        }
        custom.put(CAPACITY, mode);
        Map<String, Object> out = new LinkedHashMap<>(options);
        out.put(CUSTOM, custom);
        return out;
    }

    /**
     * The options after an ALTER: {@code after} holds the merged custom properties; a new capacity mode is checked
     * against the switching rules.
     */
    static Map<String, Object> onAlter(Map<String, Object> before, Map<String, Object> after, long nowMillis,
            Duration switchWait, String table) {
        Map<String, Object> custom = custom(after);
        Object given = custom.get(CAPACITY);
        Map<String, String> old = before.get(CUSTOM) instanceof Map<?, ?> m && m.get(CAPACITY) instanceof Map<?, ?> c
                ? strings(c) : Map.of(MODE, ON_DEMAND);
        if (given == null || given == old || (given instanceof Map<?, ?> g && strings(g).equals(old))) {
            return after;
        }
        Map<String, String> next = new LinkedHashMap<>(parse(given));
        next.remove(SWITCHED);
        String lastSwitch = old.get(SWITCHED);
        if (next.get(MODE).equals(ON_DEMAND)) {
            if (old.get(MODE).equals(ON_DEMAND)) {
                if (lastSwitch != null) {
                    next.put(SWITCHED, lastSwitch);
                }
            } else {
                if (lastSwitch != null) {
                    long allowed = Long.parseLong(lastSwitch) + switchWait.toMillis();
                    if (nowMillis < allowed) {
                        throw CqlException.invalid("The capacity mode of " + table + " can be switched to "
                                + ON_DEMAND + " only once per " + human(switchWait) + ": it was last on demand at "
                                + Instant.ofEpochMilli(Long.parseLong(lastSwitch)) + "; try again after "
                                + Instant.ofEpochMilli(allowed));
                    }
                }
                next.put(SWITCHED, Long.toString(nowMillis));
            }
        } else if (lastSwitch != null) {
            next.put(SWITCHED, lastSwitch);
        }
        custom.put(CAPACITY, next);
        Map<String, Object> out = new LinkedHashMap<>(after);
        out.put(CUSTOM, custom);
        return out;
    }

    /** A capacity_mode value checked and normalised (mode upper case, units as integers). */
    static Map<String, String> parse(Object value) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw CqlException.invalid("capacity_mode must be a map such as {'throughput_mode': 'PAY_PER_REQUEST'} or"
                    + " {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 10, 'write_capacity_units': 10}");
        }
        Map<String, String> m = strings(raw);
        for (String k : m.keySet()) {
            if (!KEYS.contains(k)) {
                throw CqlException.invalid("Unknown capacity_mode property '" + k + "': use throughput_mode,"
                        + " read_capacity_units and write_capacity_units");
            }
        }
        String mode = m.get(MODE);
        if (mode == null) {
            throw CqlException.invalid("capacity_mode needs throughput_mode: PAY_PER_REQUEST or PROVISIONED");
        }
        mode = mode.toUpperCase(java.util.Locale.ROOT);
        Map<String, String> out = new LinkedHashMap<>();
        out.put(MODE, mode);
        switch (mode) {
            case ON_DEMAND -> {
                if (m.containsKey(READ) || m.containsKey(WRITE)) {
                    throw CqlException.invalid("read_capacity_units and write_capacity_units apply only to"
                            + " throughput_mode PROVISIONED, not " + ON_DEMAND);
                }
            }
            case PROVISIONED -> {
                out.put(READ, Long.toString(units(m, READ)));
                out.put(WRITE, Long.toString(units(m, WRITE)));
            }
            default -> throw CqlException.invalid("Invalid throughput_mode '" + m.get(MODE)
                    + "': use PAY_PER_REQUEST or PROVISIONED");
        }
        if (m.containsKey(SWITCHED)) {
            out.put(SWITCHED, m.get(SWITCHED));
        }
        return out;
    }

    private static long units(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw CqlException.invalid("throughput_mode PROVISIONED needs both read_capacity_units and"
                    + " write_capacity_units");
        }
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw CqlException.invalid(key + " must be a whole number of capacity units, not '" + v + "'");
        }
        if (n < 1 || n > MAX_UNITS) {
            throw CqlException.invalid(key + " must be between 1 and " + MAX_UNITS + " (the table throughput quota),"
                    + " not " + n);
        }
        return n;
    }

    private static Map<String, Object> custom(Map<String, Object> options) {
        Map<String, Object> custom = new LinkedHashMap<>();
        if (options.get(CUSTOM) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> custom.put(String.valueOf(k), v));
        }
        return custom;
    }

    private static Map<String, String> strings(Map<?, ?> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        return out;
    }

    private static String human(Duration d) {
        return d.toHours() > 0 && d.toMinutes() % 60 == 0 ? d.toHours() + " h" : d.toSeconds() + " s";
    }
}
