package io.strata.cql.schema;

import java.time.Duration;
import java.util.Map;

/**
 * Point-in-time recovery as the schema records it: whether a table's {@code custom_properties} enable
 * {@code point_in_time_recovery}, since when (a hidden stamp the DDL writes), and the window a restore may reach
 * back: {@link #DEFAULT_WINDOW} (Keyspaces' fixed 35 days) before now, but never before PITR was last enabled.
 * Stateless.
 */
public final class RestoreWindow {
    /** Keyspaces' PITR window: any second of the last 35 days. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(35);
    /** Keyspaces' limit of restores in progress at once (per account; here per tenant). */
    public static final int DEFAULT_MAX_CONCURRENT = 4;
    public static final String CUSTOM = "custom_properties";
    public static final String PITR = "point_in_time_recovery";
    /** When PITR was last enabled, epoch milliseconds; kept in the PITR map, never shown. */
    public static final String ENABLED_SINCE = "strata_enabled_since";

    private RestoreWindow() {}

    public static boolean pitrEnabled(TableMetadata t) {
        return pitrEnabled(t.options());
    }

    public static boolean pitrEnabled(Map<String, Object> options) {
        return options.get(CUSTOM) instanceof Map<?, ?> custom && custom.get(PITR) instanceof Map<?, ?> pitr
                && "enabled".equals(String.valueOf(pitr.get("status")));
    }

    /** When PITR was last enabled on a table with these options, or -1 when it is not enabled. */
    public static long enabledSince(Map<String, Object> options) {
        if (!pitrEnabled(options)) {
            return -1;
        }
        Object since = ((Map<?, ?>) ((Map<?, ?>) options.get(CUSTOM)).get(PITR)).get(ENABLED_SINCE);
        try {
            // enabled before the stamp existed: as far back as the window goes
            return since == null ? 0 : Long.parseLong(String.valueOf(since));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
