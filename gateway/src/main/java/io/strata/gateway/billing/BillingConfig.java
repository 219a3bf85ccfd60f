package io.strata.gateway.billing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * The usage ledger and billing reports ({@code strata.billing.*}). Prices default to Amazon Keyspaces' us-east-1
 * list prices (Price List snapshot 2025-11-05, see docs/billing.md), in US dollars.
 */
@ConfigMapping(prefix = "strata.billing")
public interface BillingConfig {
    /** Keep the usage ledger (and so billing reports). */
    @WithDefault("true")
    boolean enabled();

    /** How often reads, throttle events and provisioned capacity-time are written (writes are written with themselves). */
    @WithDefault("2s")
    Duration flushInterval();

    /**
     * Accrue provisioned tables' capacity-time on this node; with several gateway nodes exactly one must (until
     * the cluster elects one).
     */
    @WithDefault("true")
    boolean accrueProvisioned();

    Prices prices();

    /** Prices in US dollars. */
    interface Prices {
        /** Per million read request units (on demand). */
        @WithDefault("0.125")
        double readRequestUnitsPerMillion();

        /** Per million write request units (on demand). */
        @WithDefault("0.625")
        double writeRequestUnitsPerMillion();

        /** Per provisioned read capacity unit per hour. */
        @WithDefault("0.00013")
        double readCapacityUnitHour();

        /** Per provisioned write capacity unit per hour. */
        @WithDefault("0.00065")
        double writeCapacityUnitHour();

        /** Per GB-month of stored table data (GB = 2^30 bytes, a month = 730 hours). */
        @WithDefault("0.25")
        double storageGbMonth();

        /** Per million TTL delete units (a row deleted by TTL, per started KB). */
        @WithDefault("0.275")
        double ttlDeletesPerMillion();

        /** Per GB-month of point-in-time history kept (Keyspaces' PITR: $0.20 per GB-month, docs/recovery.md). */
        @WithDefault("0.20")
        double pitrGbMonth();

        /** Per GB restored (point-in-time and backup restores; Keyspaces: $0.15 per GB, docs/recovery.md). */
        @WithDefault("0.15")
        double restorePerGb();
    }
}
