package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import io.strata.cql.schema.RestoreWindow;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keyspaces' point-in-time recovery setting, {@code CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status':
 * 'enabled' | 'disabled'}}}: validated, normalised to lower case, and stamped with when it was (last) enabled, in
 * {@link RestoreWindow#ENABLED_SINCE} (hidden from {@code system_schema_mcs}, as CapacityProperties hides its
 * switch time): a restore may reach back to that instant, never before (Keyspaces erases the history of a table
 * whose PITR is disabled, and enabling it again starts a new window). Stateless.
 */
final class PitrProperties {
    static final String KEY = RestoreWindow.PITR;
    static final String STATUS = "status";

    private PitrProperties() {}

    /** The options of a new table: PITR validated, an enabled table stamped with {@code nowMillis}. */
    static Map<String, Object> onCreate(Map<String, Object> options, long nowMillis) {
        Map<String, String> given = given(options);
        if (given == null) {
            return options;
        }
        return with(options, normalised(given, "enabled".equals(given.get(STATUS)) ? nowMillis : -1));
    }

    /**
     * The options after an ALTER ({@code after} holds the merged custom properties): enabling a disabled table
     * stamps it now; an enabled table stays enabled since its stamp; disabling drops the stamp.
     */
    static Map<String, Object> onAlter(Map<String, Object> before, Map<String, Object> after, long nowMillis) {
        Map<String, String> given = given(after);
        if (given == null) {
            return after;
        }
        long since = -1;
        if ("enabled".equals(given.get(STATUS))) {
            long old = RestoreWindow.enabledSince(before);
            since = old >= 0 ? old : nowMillis;
        }
        return with(after, normalised(given, since));
    }

    /** The status given (checked, lower case) and nothing else, or null when the options do not set PITR. */
    private static Map<String, String> given(Map<String, Object> options) {
        if (!(options.get(CapacityProperties.CUSTOM) instanceof Map<?, ?> custom) || !custom.containsKey(KEY)) {
            return null;
        }
        if (!(custom.get(KEY) instanceof Map<?, ?> spec)) {
            throw CqlException.invalid("'" + KEY + "' must be a map such as {'status': 'enabled'}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : spec.entrySet()) {
            String k = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
            if (k.equals(RestoreWindow.ENABLED_SINCE)) {
                continue; // our own stamp, carried over from the stored options by an ALTER's merge
            }
            if (!k.equals(STATUS)) {
                throw CqlException.invalid("Unknown property '" + e.getKey() + "' in '" + KEY + "'; known: " + STATUS);
            }
            String v = String.valueOf(e.getValue()).toLowerCase(Locale.ROOT);
            if (!v.equals("enabled") && !v.equals("disabled")) {
                throw CqlException.invalid("'" + KEY + "' status must be 'enabled' or 'disabled', not '"
                        + e.getValue() + "'");
            }
            out.put(STATUS, v);
        }
        if (!out.containsKey(STATUS)) {
            throw CqlException.invalid("'" + KEY + "' needs a status: 'enabled' or 'disabled'");
        }
        return out;
    }

    private static Map<String, String> normalised(Map<String, String> given, long enabledSince) {
        Map<String, String> spec = new LinkedHashMap<>(given);
        if (enabledSince >= 0) {
            spec.put(RestoreWindow.ENABLED_SINCE, Long.toString(enabledSince));
        }
        return spec;
    }

    private static Map<String, Object> with(Map<String, Object> options, Map<String, String> spec) {
        Map<String, Object> custom = new LinkedHashMap<>();
        if (options.get(CapacityProperties.CUSTOM) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> custom.put(String.valueOf(k), v));
        }
        custom.put(KEY, spec);
        Map<String, Object> out = new LinkedHashMap<>(options);
        out.put(CapacityProperties.CUSTOM, custom);
        return out;
    }
}
