package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Keyspaces' {@code AUTOSCALING_SETTINGS} table option: target tracking of a provisioned table's read and/or write
 * capacity, validated and normalised as
 * <pre>
 * {'provisioned_write_capacity_autoscaling_update': {'autoscaling_disabled': 'false', 'minimum_units': '5',
 *   'maximum_units': '100', 'target_value': '50', 'scale_in_cooldown': '60', 'scale_out_cooldown': '60',
 *   'disable_scale_in': 'false'}, 'provisioned_read_capacity_autoscaling_update': {...}}
 * </pre>
 * (the policy's {@code scaling_policy.target_tracking_scaling_policy_configuration} is flattened into each side).
 * Only provisioned tables scale; units 1 to 40,000 with minimum ≤ maximum; target 20 to 90 (percent); cooldowns
 * in seconds, 0 by default; scale-in enabled by default. Stateless.
 */
final class AutoscalingProperties {
    static final String KEY = "autoscaling_settings";
    static final String WRITE = "provisioned_write_capacity_autoscaling_update";
    static final String READ = "provisioned_read_capacity_autoscaling_update";
    private static final Set<String> SIDE_KEYS = Set.of("autoscaling_disabled", "minimum_units", "maximum_units",
            "scaling_policy");
    private static final Set<String> POLICY_KEYS = Set.of("target_value", "scale_in_cooldown", "scale_out_cooldown",
            "disable_scale_in");

    private AutoscalingProperties() {}

    /**
     * The options with their autoscaling settings checked against the table's capacity mode and normalised. A
     * table no longer provisioned loses settings given earlier (a switch to on demand ends auto scaling); given in
     * the same statement, they are refused.
     *
     * @param givenNow whether the statement itself sets AUTOSCALING_SETTINGS
     */
    static Map<String, Object> validate(Map<String, Object> options, boolean givenNow) {
        Object given = options.get(KEY);
        if (given == null) {
            return options;
        }
        if (!givenNow && !provisioned(options)) {
            Map<String, Object> next = new LinkedHashMap<>(options);
            next.remove(KEY);
            return next;
        }
        if (!(given instanceof Map<?, ?> settings)) {
            throw CqlException.invalid("AUTOSCALING_SETTINGS must be a map of provisioned_read_capacity_autoscaling_update"
                    + " and/or provisioned_write_capacity_autoscaling_update");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            String side = String.valueOf(e.getKey());
            if (!side.equals(READ) && !side.equals(WRITE)) {
                throw CqlException.invalid("Unknown AUTOSCALING_SETTINGS key '" + side + "': use " + READ + " or " + WRITE);
            }
            out.put(side, side(side, e.getValue()));
        }
        boolean enabled = out.values().stream().anyMatch(v -> !"true".equals(((Map<?, ?>) v).get("autoscaling_disabled")));
        if (enabled && !provisioned(options)) {
            throw CqlException.invalid("Auto scaling applies to tables in throughput_mode PROVISIONED: set"
                    + " CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PROVISIONED', ...}} as well");
        }
        Map<String, Object> next = new LinkedHashMap<>(options);
        next.put(KEY, out);
        return next;
    }

    private static Map<String, String> side(String side, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw CqlException.invalid(side + " must be a map with minimum_units, maximum_units and scaling_policy");
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean disabled = bool(side, m.get("autoscaling_disabled"), false);
        out.put("autoscaling_disabled", Boolean.toString(disabled));
        for (Object k : m.keySet()) {
            if (!SIDE_KEYS.contains(String.valueOf(k))) {
                throw CqlException.invalid("Unknown " + side + " property '" + k + "'");
            }
        }
        if (disabled && m.get("minimum_units") == null) {
            return out;
        }
        long min = units(side, "minimum_units", m.get("minimum_units"));
        long max = units(side, "maximum_units", m.get("maximum_units"));
        if (min > max) {
            throw CqlException.invalid(side + ": minimum_units (" + min + ") must not exceed maximum_units (" + max + ")");
        }
        out.put("minimum_units", Long.toString(min));
        out.put("maximum_units", Long.toString(max));
        Object policy = m.get("scaling_policy") instanceof Map<?, ?> sp ? sp.get("target_tracking_scaling_policy_configuration")
                : null;
        if (!(policy instanceof Map<?, ?> p)) {
            throw CqlException.invalid(side + " needs scaling_policy = {'target_tracking_scaling_policy_configuration':"
                    + " {'target_value': 20..90}}");
        }
        for (Object k : p.keySet()) {
            if (!POLICY_KEYS.contains(String.valueOf(k))) {
                throw CqlException.invalid("Unknown target tracking property '" + k + "'");
            }
        }
        double target;
        try {
            target = Double.parseDouble(String.valueOf(p.get("target_value")));
        } catch (NumberFormatException e) {
            throw CqlException.invalid(side + ": target_value must be a number between 20 and 90 (percent)");
        }
        if (!(target >= 20 && target <= 90)) {
            throw CqlException.invalid(side + ": target_value must be between 20 and 90 (percent), not " + p.get("target_value"));
        }
        out.put("target_value", stripped(target));
        out.put("scale_in_cooldown", Long.toString(seconds(side, "scale_in_cooldown", p.get("scale_in_cooldown"))));
        out.put("scale_out_cooldown", Long.toString(seconds(side, "scale_out_cooldown", p.get("scale_out_cooldown"))));
        out.put("disable_scale_in", Boolean.toString(bool(side, p.get("disable_scale_in"), false)));
        return out;
    }

    private static boolean provisioned(Map<String, Object> options) {
        return options.get("custom_properties") instanceof Map<?, ?> c && c.get("capacity_mode") instanceof Map<?, ?> m
                && "PROVISIONED".equals(String.valueOf(m.get("throughput_mode")));
    }

    private static long units(String side, String key, Object v) {
        try {
            long n = Long.parseLong(String.valueOf(v).strip());
            if (n >= 1 && n <= CapacityProperties.MAX_UNITS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw CqlException.invalid(side + ": " + key + " must be a whole number between 1 and "
                + CapacityProperties.MAX_UNITS + ", not " + v);
    }

    private static long seconds(String side, String key, Object v) {
        if (v == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(String.valueOf(v).strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw CqlException.invalid(side + ": " + key + " must be a whole number of seconds, not " + v);
    }

    private static boolean bool(String side, Object v, boolean absent) {
        if (v == null) {
            return absent;
        }
        String s = String.valueOf(v).strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw CqlException.invalid(side + ": expected true or false, not " + v);
    }

    private static String stripped(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
