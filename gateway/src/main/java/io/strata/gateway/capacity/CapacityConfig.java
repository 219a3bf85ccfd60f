package io.strata.gateway.capacity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
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
    @Min(value = 1, message = "strata.capacity.account-read-units must be at least 1")
    @jakarta.validation.constraints.Max(value = 1_000_000, message = "strata.capacity.account-read-units must be at most 1000000 (units per second)")
    long accountReadUnits();

    /** Write units per second all of a tenant's tables may consume together. */
    @WithDefault("80000")
    @Min(value = 1, message = "strata.capacity.account-write-units must be at least 1")
    @jakarta.validation.constraints.Max(value = 1_000_000, message = "strata.capacity.account-write-units must be at most 1000000 (units per second)")
    long accountWriteUnits();

    /** Read units per second a new on-demand table serves before its traffic raises its ceiling. */
    @WithDefault("12000")
    @Min(value = 1, message = "strata.capacity.on-demand-initial-read-units must be at least 1")
    @jakarta.validation.constraints.Max(value = 1_000_000, message = "strata.capacity.on-demand-initial-read-units must be at most 1000000 (units per second)")
    long onDemandInitialReadUnits();

    /** Write units per second a new on-demand table serves before its traffic raises its ceiling. */
    @WithDefault("4000")
    @Min(value = 1, message = "strata.capacity.on-demand-initial-write-units must be at least 1")
    @jakarta.validation.constraints.Max(value = 1_000_000, message = "strata.capacity.on-demand-initial-write-units must be at most 1000000 (units per second)")
    long onDemandInitialWriteUnits();

    /** Read units per second one partition serves. */
    @WithDefault("3000")
    @Min(value = 1, message = "strata.capacity.partition-read-units must be at least 1")
    @jakarta.validation.constraints.Max(value = 1_000_000, message = "strata.capacity.partition-read-units must be at most 1000000 (units per second)")
    long partitionReadUnits();

    /** Write units per second one partition serves. */
    @WithDefault("1000")
    @Min(value = 1, message = "strata.capacity.partition-write-units must be at least 1")
    @jakarta.validation.constraints.Max(value = 1_000_000, message = "strata.capacity.partition-write-units must be at most 1000000 (units per second)")
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
}
