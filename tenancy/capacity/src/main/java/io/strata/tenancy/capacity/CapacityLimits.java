package io.strata.tenancy.capacity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The limits a {@link CapacityMeter} enforces, defaulting to Keyspaces' published figures ({@link #KEYSPACES}).
 *
 * @param onDemandInitialReads read units per second a new on-demand table sustains (Keyspaces: 12,000)
 * @param onDemandInitialWrites write units per second a new on-demand table sustains (Keyspaces: 4,000)
 * @param peakWindow how far back an on-demand table's previous peak counts; its ceiling is twice that peak
 *     (Keyspaces: 30 minutes)
 * @param burst how much unused provisioned capacity a table keeps, as seconds of its rate (Keyspaces: 300 s)
 * @param partitionReads read units per second one partition serves (Keyspaces: 3,000)
 * @param partitionWrites write units per second one partition serves (Keyspaces: 1,000)
 * @param tenantReads read units per second all of a tenant's tables together may consume (the account quota)
 * @param tenantWrites write units per second all of a tenant's tables together may consume
 */
public record CapacityLimits(long onDemandInitialReads, long onDemandInitialWrites, Duration peakWindow, Duration burst,
        long partitionReads, long partitionWrites, long tenantReads, long tenantWrites) {
    /** Keyspaces' defaults; the account quota of 80,000 units per second for each operation. */
    public static final CapacityLimits KEYSPACES = new CapacityLimits(12_000, 4_000, Duration.ofMinutes(30),
            Duration.ofSeconds(300), 3_000, 1_000, 80_000, 80_000);

    /**
     * The highest rate any limit may have, in units per second: buckets count thousandths of a unit and Bucket4j
     * refills at most one token per nanosecond.
     */
    public static final long MAX_UNITS_PER_SECOND = 1_000_000;

    public CapacityLimits {
        requireNonNull(peakWindow, "peakWindow is null");
        for (long limit : new long[] {onDemandInitialReads, onDemandInitialWrites, partitionReads, partitionWrites,
                tenantReads, tenantWrites}) {
            if (limit > MAX_UNITS_PER_SECOND) {
                throw new IllegalArgumentException("capacity limits are at most " + MAX_UNITS_PER_SECOND
                        + " units per second: " + limit);
            }
        }
        requireNonNull(burst, "burst is null");
        if (onDemandInitialReads < 1 || onDemandInitialWrites < 1 || partitionReads < 1 || partitionWrites < 1
                || tenantReads < 1 || tenantWrites < 1) {
            throw new IllegalArgumentException("capacity limits must be at least 1 unit per second");
        }
        if (peakWindow.toSeconds() < 1 || burst.toSeconds() < 1) {
            throw new IllegalArgumentException("peak window and burst must be at least 1 second");
        }
    }

    long onDemandInitial(Operation op) {
        return op == Operation.READ ? onDemandInitialReads : onDemandInitialWrites;
    }

    long partition(Operation op) {
        return op == Operation.READ ? partitionReads : partitionWrites;
    }

    long tenant(Operation op) {
        return op == Operation.READ ? tenantReads : tenantWrites;
    }

    /** The same limits with another account quota (an operator's setting for one tenant). */
    public CapacityLimits withTenantQuota(long reads, long writes) {
        return new CapacityLimits(onDemandInitialReads, onDemandInitialWrites, peakWindow, burst, partitionReads,
                partitionWrites, reads, writes);
    }
}
