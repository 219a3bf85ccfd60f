package io.strata.tenancy.capacity;

import static java.util.Objects.requireNonNull;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Enforces capacity the way Keyspaces does, with Bucket4j token buckets counted in thousandths of a unit (a read
 * at LOCAL_ONE costs half a unit):
 * <ul>
 *   <li><b>Provisioned tables</b>: a bucket per table and operation refilled at the provisioned rate, holding up to
 *       {@link CapacityLimits#burst()} of unused capacity; a new table starts with one second of it.
 *   <li><b>On-demand tables</b>: a ceiling per table and operation, at first Keyspaces' initial figures, then twice
 *       the highest one-second consumption within {@link CapacityLimits#peakWindow()}, whichever is higher.
 *   <li><b>Partitions</b>: each partition serves at most {@link CapacityLimits#partitionReads()} /
 *       {@link CapacityLimits#partitionWrites()} units per second.
 *   <li><b>Tenants</b>: all tables of a tenant together stay within the account quota.
 * </ul>
 * A request is first {@link #admit admitted} (is any capacity left?), runs, and is then {@link #charge charged}
 * what it actually consumed, which may take a bucket below zero: read sizes are known only after reading, and the
 * debt is paid by the next requests' wait, so the long-run rate is exact. Throttled requests are never charged.
 *
 * <p>Thread-safe. The hot path is a map lookup and a Bucket4j lock-free update per bucket.
 */
public final class CapacityMeter {
    /** Units are counted in thousandths in the buckets. */
    public static final long MILLI = 1000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final CapacityLimits defaults;
    private final Buckets buckets;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, CapacityLimits> tenantLimits = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<java.util.UUID, TableEntry> tables = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AccountEntry> accounts = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /** A table's state: per operation its bucket (for the mode it was built for), consumption and partitions. */
    private final class TableEntry {
        final TableState[] states = new TableState[2];
        final java.util.concurrent.atomic.LongAdder[] consumed = {new java.util.concurrent.atomic.LongAdder(),
                new java.util.concurrent.atomic.LongAdder()};
        final PartitionWindows[] partitions = {new PartitionWindows(), new PartitionWindows()};
    }

    /** A tenant's account buckets, for the quota they were built with. */
    private record AccountEntry(CapacityLimits limits, Bucket read, Bucket write) {
        Bucket bucket(Operation op) {
            return op == Operation.READ ? read : write;
        }
    }

    public CapacityMeter(CapacityLimits defaults, Buckets buckets, LongSupplier nanoTime) {
        this.defaults = requireNonNull(defaults, "defaults is null");
        this.buckets = requireNonNull(buckets, "buckets is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.lastSweep = new AtomicLong(nanoTime.getAsLong());
    }

    /** Sets a tenant's own limits (an operator's account quota); null restores the defaults. */
    public void limits(String tenant, CapacityLimits limits) {
        if (limits == null) {
            tenantLimits.remove(tenant);
        } else {
            tenantLimits.put(tenant, limits);
        }
    }

    public CapacityLimits limits(String tenant) {
        return tenantLimits.getOrDefault(tenant, defaults);
    }

    /** Whether a request on {@code table} may run now: its account and table still have capacity. */
    public Admission admit(TableRef table, CapacityMode mode, Operation op) {
        CapacityLimits limits = limits(table.tenant());
        if (account(table.tenant(), limits).bucket(op).getAvailableTokens() <= 0) {
            return new Admission.Throttled(table, op, Admission.Scope.ACCOUNT, limits.tenant(op), "Tenant "
                    + table.tenant() + " exceeded its account quota of " + limits.tenant(op) + " " + op.word()
                    + " capacity units per second (on " + table.qualified() + "); retry with backoff, or ask the"
                    + " operator to raise the quota");
        }
        TableState state = state(table, op, mode, limits);
        if (state.bucket.getAvailableTokens() <= 0) {
            return new Admission.Throttled(table, op, Admission.Scope.TABLE, state.rate, tableMessage(table, op, mode,
                    state.rate, limits));
        }
        return Admission.ALLOWED;
    }

    /** Whether the partition with {@code token} of {@code table} may serve another request this second. */
    public Admission admitPartition(TableRef table, Operation op, long token) {
        CapacityLimits limits = limits(table.tenant());
        long limit = limits.partition(op);
        if (entry(table).partitions[op.ordinal()].over(token, nanoTime.getAsLong() / NANOS_PER_SECOND, limit * MILLI)) {
            return new Admission.Throttled(table, op, Admission.Scope.PARTITION, limit,
                    "A partition of " + table.qualified() + " exceeded the per-partition limit of " + limit + " "
                            + op.word() + " capacity units per second; retry with backoff, and spread the traffic"
                            + " over more partition keys");
        }
        return Admission.ALLOWED;
    }

    /** Charges what a request consumed on {@code table} (table and account), in thousandths of a unit. */
    public void charge(TableRef table, CapacityMode mode, Operation op, long milliUnits) {
        if (milliUnits <= 0) {
            return;
        }
        CapacityLimits limits = limits(table.tenant());
        entry(table).consumed[op.ordinal()].add(milliUnits);
        account(table.tenant(), limits).bucket(op).consumeIgnoringRateLimits(milliUnits);
        TableState state = state(table, op, mode, limits);
        state.bucket.consumeIgnoringRateLimits(milliUnits);
        if (state.peaks != null) {
            long ceiling = state.peaks.record(nanoTime.getAsLong() / NANOS_PER_SECOND, milliUnits,
                    limits.onDemandInitial(op));
            if (ceiling != state.rate) {
                state.rebuild(ceiling);
            }
        }
        sweepNowAndThen();
    }

    /** Charges one partition's share of a request, in thousandths of a unit. */
    public void chargePartition(TableRef table, Operation op, long token, long milliUnits) {
        if (milliUnits > 0) {
            entry(table).partitions[op.ordinal()].add(token, nanoTime.getAsLong() / NANOS_PER_SECOND, milliUnits);
        }
    }

    /**
     * Everything {@code op} consumed on the table since this meter started, in thousandths of a unit: auto scaling
     * samples it for the consumed rate.
     */
    public long consumedMilli(java.util.UUID tableId, Operation op) {
        TableEntry e = tables.get(tableId);
        return e == null ? 0 : e.consumed[op.ordinal()].sum();
    }

    /** The table's current limit in units per second: its provisioned rate or its on-demand ceiling. */
    public long currentLimit(TableRef table, CapacityMode mode, Operation op) {
        return state(table, op, mode, limits(table.tenant())).rate;
    }

    private TableEntry entry(TableRef table) {
        TableEntry e = tables.get(table.id());
        return e != null ? e : tables.computeIfAbsent(table.id(), k -> new TableEntry());
    }

    private AccountEntry account(String tenant, CapacityLimits limits) {
        AccountEntry a = accounts.get(tenant);
        if (a != null && a.limits() == limits) {
            return a;
        }
        // a new tenant, or a new quota: buckets keyed by their quota, so a new quota starts fresh buckets
        return accounts.compute(tenant, (k, old) -> old != null && old.limits() == limits ? old : new AccountEntry(limits,
                buckets.bucket("account/" + tenant + "/READ/" + limits.tenant(Operation.READ),
                        () -> perSecond(limits.tenant(Operation.READ), 1)),
                buckets.bucket("account/" + tenant + "/WRITE/" + limits.tenant(Operation.WRITE),
                        () -> perSecond(limits.tenant(Operation.WRITE), 1))));
    }

    private TableState state(TableRef table, Operation op, CapacityMode mode, CapacityLimits limits) {
        TableEntry e = entry(table);
        TableState state = e.states[op.ordinal()];
        if (state != null && state.mode.equals(mode)) {
            return state;
        }
        synchronized (e) {
            state = e.states[op.ordinal()];
            if (state == null || !state.mode.equals(mode)) {
                // a table whose mode or provisioned rate changes starts a new bucket
                state = new TableState(table.id() + "/" + op + "/" + mode, op, mode, limits);
                e.states[op.ordinal()] = state;
            }
            return state;
        }
    }

    /** One table's bucket for one operation, and for on-demand tables its peak history. */
    private final class TableState {
        final CapacityMode mode;
        final PeakTracker peaks;
        final Bucket bucket;
        volatile long rate;

        TableState(String key, Operation op, CapacityMode mode, CapacityLimits limits) {
            this.mode = mode;
            if (mode instanceof CapacityMode.Provisioned p) {
                this.peaks = null;
                this.rate = p.units(op);
                // unused capacity accumulates up to the burst; a new table has earned one second of it
                BucketConfiguration c = BucketConfiguration.builder().addLimit(Bandwidth.builder()
                        .capacity(rate * MILLI * limits.burst().toSeconds())
                        .refillGreedy(rate * MILLI, Duration.ofSeconds(1))
                        .initialTokens(rate * MILLI).build()).build();
                this.bucket = buckets.bucket("table/" + key, () -> c);
            } else {
                this.peaks = new PeakTracker((int) limits.peakWindow().toSeconds());
                this.rate = limits.onDemandInitial(op);
                BucketConfiguration c = perSecond(rate, 1);
                this.bucket = buckets.bucket("table/" + key, () -> c);
            }
        }

        synchronized void rebuild(long ceiling) {
            if (ceiling == rate) {
                return;
            }
            rate = ceiling;
            bucket.replaceConfiguration(perSecond(ceiling, 1), TokensInheritanceStrategy.ADDITIVE);
        }
    }

    private static BucketConfiguration perSecond(long units, long seconds) {
        return BucketConfiguration.builder().addLimit(Bandwidth.builder().capacity(units * MILLI * seconds)
                .refillGreedy(units * MILLI, Duration.ofSeconds(1)).initialTokens(units * MILLI * seconds).build())
                .build();
    }

    private String tableMessage(TableRef table, Operation op, CapacityMode mode, long rate, CapacityLimits limits) {
        if (mode instanceof CapacityMode.Provisioned) {
            return "Throughput exceeded on " + table.qualified() + ": it is PROVISIONED at " + rate + " " + op.word()
                    + " capacity units per second and its burst capacity (up to " + limits.burst().toSeconds()
                    + " s of unused units) is spent; retry with backoff, or raise " + op.word()
                    + "_capacity_units with ALTER TABLE " + table.qualified() + " WITH CUSTOM_PROPERTIES";
        }
        return "Throughput exceeded on " + table.qualified() + ": on-demand tables serve up to " + rate + " " + op.word()
                + " capacity units per second now (twice the previous peak within " + limits.peakWindow().toMinutes()
                + " minutes, at least " + limits.onDemandInitial(op) + "); retry with backoff: the ceiling rises with"
                + " sustained traffic";
    }

    private void sweepNowAndThen() {
        long now = nanoTime.getAsLong();
        long last = lastSweep.get();
        if (now - last > 10 * NANOS_PER_SECOND && lastSweep.compareAndSet(last, now)) {
            buckets.forgetIdle();
        }
    }
}
