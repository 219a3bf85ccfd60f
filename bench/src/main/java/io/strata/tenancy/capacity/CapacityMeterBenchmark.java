package io.strata.tenancy.capacity;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metering adds to one request, as the capacity guard and the executors call the meter: admit the table and
 * the partition before storage, then charge the table, the account and the partition. On-demand and provisioned
 * tables, one thread and two (the machine's cores) on the same table, keys spread over 100,000 partitions. Compare
 * with the gateway's CPU per request on the load tool (docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CapacityMeterBenchmark {
    private final CapacityMeter meter = new CapacityMeter(CapacityLimits.KEYSPACES
            .withTenantQuota(CapacityLimits.MAX_UNITS_PER_SECOND, CapacityLimits.MAX_UNITS_PER_SECOND),
            new LocalBuckets(System::nanoTime, TimeUnit.MINUTES.toNanos(10)), System::nanoTime);
    private final TableRef table = new TableRef("bench", "ks", "kv", UUID.randomUUID());
    private final CapacityMode provisioned = new CapacityMode.Provisioned(1_000_000, 1_000_000);

    private Admission request(CapacityMode mode) {
        long token = ThreadLocalRandom.current().nextLong(100_000) * 0x9E3779B97F4A7C15L;
        Admission a = meter.admit(table, mode, Operation.READ);
        Admission p = meter.admitPartition(table, Operation.READ, token);
        meter.charge(table, mode, Operation.READ, 500);
        meter.chargePartition(table, Operation.READ, token, 500);
        return a == Admission.ALLOWED ? p : a;
    }

    @Benchmark
    public Admission onDemandRead() {
        return request(CapacityMode.ON_DEMAND);
    }

    @Benchmark
    public Admission provisionedRead() {
        return request(provisioned);
    }

    @Benchmark
    @Threads(2)
    public Admission onDemandReadTwoThreads() {
        return request(CapacityMode.ON_DEMAND);
    }
}
