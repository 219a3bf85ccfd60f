package io.strata.gateway.capacity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Capacity modes and throttling ({@code strata.capacity.*}); defaults are Keyspaces' published figures
 * (docs/capacity.md).
 */
@ConfigMapping(prefix = "strata.capacity")
public interface CapacityConfig {
    /** Meter and throttle requests; off, nothing is throttled (units are still reported to clients). */
    @WithDefault("true")
    boolean enabled();

    /** How a throttled request is answered: TIMEOUT (Keyspaces: WriteTimeout/ReadTimeout) or OVERLOADED. */
    @WithDefault("TIMEOUT")
    ThrottleResponse throttleResponse();

    /** Read units per second all of a tenant's tables may consume together (Keyspaces' account quota). */
    @WithDefault("80000")
    long accountReadUnits();

    /** Write units per second all of a tenant's tables may consume together. */
    @WithDefault("80000")
    long accountWriteUnits();

    /** Read units per second a new on-demand table serves before its traffic raises its ceiling. */
    @WithDefault("12000")
    long onDemandInitialReadUnits();

    /** Write units per second a new on-demand table serves before its traffic raises its ceiling. */
    @WithDefault("4000")
    long onDemandInitialWriteUnits();

    /** Read units per second one partition serves. */
    @WithDefault("3000")
    long partitionReadUnits();

    /** Write units per second one partition serves. */
    @WithDefault("1000")
    long partitionWriteUnits();

    /** Unused provisioned capacity a table keeps, as seconds of its rate. */
    @WithDefault("300s")
    Duration burst();

    /** How long a table waits between switches back to on-demand capacity. */
    @WithDefault("24h")
    Duration modeSwitchWait();

    /** How often auto scaling samples consumption and adjusts tables with AUTOSCALING_SETTINGS. */
    @WithDefault("60s")
    Duration autoscalingInterval();

    /** Scale-in happens only when even the busiest period of this window fits the smaller capacity. */
    @WithDefault("15m")
    Duration scaleInWindow();

    enum ThrottleResponse { TIMEOUT, OVERLOADED }

    /**
     * Rejects unit rates outside 1 to 1,000,000 per second, every violation in one message. Checked in code, not
     * with Bean Validation constraints: those make Quarkus build a second validator factory while it boots.
     */
    static void check(CapacityConfig c) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        unitRate(problems, "account-read-units", c.accountReadUnits());
        unitRate(problems, "account-write-units", c.accountWriteUnits());
        unitRate(problems, "on-demand-initial-read-units", c.onDemandInitialReadUnits());
        unitRate(problems, "on-demand-initial-write-units", c.onDemandInitialWriteUnits());
        unitRate(problems, "partition-read-units", c.partitionReadUnits());
        unitRate(problems, "partition-write-units", c.partitionWriteUnits());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: " + String.join("; ", problems));
        }
    }

    private static void unitRate(java.util.List<String> problems, String name, long value) {
        if (value < 1 || value > 1_000_000) {
            problems.add("strata.capacity." + name + " must be from 1 to 1000000 (units per second), not " + value);
        }
    }
}
