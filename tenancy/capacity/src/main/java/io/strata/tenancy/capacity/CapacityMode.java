package io.strata.tenancy.capacity;

/**
 * How a table pays for throughput, as in Keyspaces: on demand (per request, up to a ceiling that follows the
 * table's traffic) or provisioned (a configured rate of read and write units per second, throttled above it).
 * Immutable.
 */
public sealed interface CapacityMode permits CapacityMode.OnDemand, CapacityMode.Provisioned {
    /** Keyspaces' {@code PAY_PER_REQUEST}: the default. */
    OnDemand ON_DEMAND = new OnDemand();

    /** {@code PAY_PER_REQUEST}. */
    record OnDemand() implements CapacityMode {}

    /**
     * {@code PROVISIONED} at {@code readUnits} read and {@code writeUnits} write capacity units per second.
     */
    record Provisioned(long readUnits, long writeUnits) implements CapacityMode {
        public Provisioned {
            if (readUnits < 1 || writeUnits < 1) {
                throw new IllegalArgumentException("provisioned capacity units must be at least 1: read " + readUnits
                        + ", write " + writeUnits);
            }
        }

        public long units(Operation op) {
            return op == Operation.READ ? readUnits : writeUnits;
        }
    }
}
