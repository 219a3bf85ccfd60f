package io.strata.tenancy.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.tenancy.capacity.Admission.Scope;
import io.strata.tenancy.capacity.Admission.Throttled;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The meter on a hand-moved clock: provisioned rates and burst, on-demand ceilings, partitions, account quotas. */
final class TestCapacityMeter {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final CapacityMeter meter = new CapacityMeter(CapacityLimits.KEYSPACES,
            new LocalBuckets(nanos::get, Duration.ofMinutes(10).toNanos()), nanos::get);
    private final TableRef orders = new TableRef("acme", "app", "orders", UUID.randomUUID());
    private final TableRef users = new TableRef("acme", "app", "users", UUID.randomUUID());

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static final long UNIT = CapacityMeter.MILLI;

    @Test
    void aProvisionedTableSettlesAtItsRateUnderThreeTimesTheLoad() {
        CapacityMode mode = new CapacityMode.Provisioned(10, 100);
        long admitted = 0;
        long admittedLate = 0;
        // 300 one-unit writes a second for 10 minutes, offered every 1/300 s
        long step = 1_000_000_000L / 300;
        for (int i = 0; i < 300 * 600; i++) {
            nanos.addAndGet(step);
            if (meter.admit(orders, mode, Operation.WRITE) instanceof Admission.Allowed) {
                meter.charge(orders, mode, Operation.WRITE, UNIT);
                admitted++;
                if (i >= 300 * 500) {
                    admittedLate++;
                }
            }
        }
        // the last 100 s: within 5% of the provisioned 100 units per second
        assertThat(admittedLate / 100.0).isBetween(95.0, 105.0);
        assertThat(admitted / 600.0).isBetween(95.0, 105.0);
    }

    @Test
    void unusedProvisionedCapacityIsKeptForUpToFiveMinutes() {
        CapacityMode mode = new CapacityMode.Provisioned(50, 100);
        // a new table has one second of capacity
        meter.charge(orders, mode, Operation.WRITE, 100 * UNIT);
        assertThat(meter.admit(orders, mode, Operation.WRITE)).isInstanceOf(Throttled.class);
        advance(Duration.ofMinutes(20));
        // 300 s of unused capacity, not 1200 s
        long burst = 0;
        while (meter.admit(orders, mode, Operation.WRITE) instanceof Admission.Allowed) {
            meter.charge(orders, mode, Operation.WRITE, 1000 * UNIT);
            burst += 1000;
        }
        assertThat(burst).isEqualTo(30_000);
        Throttled t = (Throttled) meter.admit(orders, mode, Operation.WRITE);
        assertThat(t.scope()).isEqualTo(Scope.TABLE);
        assertThat(t.unitsPerSecond()).isEqualTo(100);
        assertThat(t.message()).contains("app.orders", "PROVISIONED at 100 write capacity units", "write_capacity_units");
        // reads have their own bucket
        assertThat(meter.admit(orders, mode, Operation.READ)).isInstanceOf(Admission.Allowed.class);
    }

    @Test
    void debtFromALargeReadIsPaidBeforeTheNextRequest() {
        CapacityMode mode = new CapacityMode.Provisioned(10, 10);
        meter.charge(orders, mode, Operation.READ, 40 * UNIT);
        advance(Duration.ofSeconds(2));
        assertThat(meter.admit(orders, mode, Operation.READ)).as("still 10 units in debt").isInstanceOf(Throttled.class);
        advance(Duration.ofMillis(1001));
        assertThat(meter.admit(orders, mode, Operation.READ)).isInstanceOf(Admission.Allowed.class);
    }

    @Test
    void anOnDemandCeilingStartsAtKeyspacesFiguresAndFollowsTwiceThePeak() {
        CapacityMode mode = CapacityMode.ON_DEMAND;
        assertThat(meter.currentLimit(orders, mode, Operation.WRITE)).isEqualTo(4_000);
        assertThat(meter.currentLimit(orders, mode, Operation.READ)).isEqualTo(12_000);
        meter.charge(orders, mode, Operation.WRITE, 3_900 * UNIT);
        assertThat(meter.admit(orders, mode, Operation.WRITE)).isInstanceOf(Admission.Allowed.class);
        meter.charge(orders, mode, Operation.WRITE, 200 * UNIT);
        Throttled t = (Throttled) meter.admit(orders, mode, Operation.WRITE);
        assertThat(t.message()).contains("on-demand", "4000 write capacity units");
        // a second at 4,100 units is the new peak: the ceiling becomes 8,200
        advance(Duration.ofSeconds(1));
        meter.charge(orders, mode, Operation.WRITE, UNIT);
        assertThat(meter.currentLimit(orders, mode, Operation.WRITE)).isEqualTo(8_200);
        // the peak is forgotten after 30 minutes
        advance(Duration.ofMinutes(31));
        meter.charge(orders, mode, Operation.WRITE, UNIT);
        assertThat(meter.currentLimit(orders, mode, Operation.WRITE)).isEqualTo(4_000);
    }

    @Test
    void aHotPartitionIsLimitedWhileOthersProceed() {
        CapacityMode mode = CapacityMode.ON_DEMAND;
        meter.chargePartition(orders, Operation.WRITE, 42L, 1_000 * UNIT);
        Throttled t = (Throttled) meter.admitPartition(orders, Operation.WRITE, 42L);
        assertThat(t.scope()).isEqualTo(Scope.PARTITION);
        assertThat(t.message()).contains("per-partition limit of 1000 write");
        assertThat(meter.admitPartition(orders, Operation.WRITE, 43L)).isInstanceOf(Admission.Allowed.class);
        assertThat(meter.admitPartition(orders, Operation.READ, 42L)).isInstanceOf(Admission.Allowed.class);
        assertThat(meter.admit(orders, mode, Operation.WRITE)).isInstanceOf(Admission.Allowed.class);
        advance(Duration.ofSeconds(1));
        assertThat(meter.admitPartition(orders, Operation.WRITE, 42L)).isInstanceOf(Admission.Allowed.class);
    }

    @Test
    void theAccountQuotaCoversAllOfATenantsTables() {
        meter.limits("acme", CapacityLimits.KEYSPACES.withTenantQuota(1_000, 500));
        CapacityMode mode = CapacityMode.ON_DEMAND;
        meter.charge(orders, mode, Operation.WRITE, 300 * UNIT);
        meter.charge(users, mode, Operation.WRITE, 250 * UNIT);
        Throttled t = (Throttled) meter.admit(users, mode, Operation.WRITE);
        assertThat(t.scope()).isEqualTo(Scope.ACCOUNT);
        assertThat(t.message()).contains("account quota of 500 write");
        TableRef other = new TableRef("other", "app", "orders", UUID.randomUUID());
        assertThat(meter.admit(other, mode, Operation.WRITE)).isInstanceOf(Admission.Allowed.class);
        // a raised quota applies at once
        meter.limits("acme", null);
        assertThat(meter.admit(users, mode, Operation.WRITE)).isInstanceOf(Admission.Allowed.class);
    }

    @Test
    void halfUnitsAddUp() {
        CapacityMode mode = new CapacityMode.Provisioned(1, 1);
        meter.charge(orders, mode, Operation.READ, UNIT / 2);
        assertThat(meter.admit(orders, mode, Operation.READ)).isInstanceOf(Admission.Allowed.class);
        meter.charge(orders, mode, Operation.READ, UNIT / 2);
        assertThat(meter.admit(orders, mode, Operation.READ)).isInstanceOf(Throttled.class);
    }

    @Test
    void partitionsTakeNoBucketsWhateverTheirNumber() {
        LocalBuckets buckets = new LocalBuckets(nanos::get, Duration.ofSeconds(60).toNanos());
        CapacityMeter m = new CapacityMeter(CapacityLimits.KEYSPACES, buckets, nanos::get);
        for (long token = 0; token < 100_000; token++) {
            m.chargePartition(orders, Operation.WRITE, token * 7919, UNIT);
        }
        m.charge(orders, CapacityMode.ON_DEMAND, Operation.WRITE, UNIT);
        // one table bucket and the tenant's two account buckets, not one per partition
        assertThat(buckets.size()).isEqualTo(3);
        assertThat(m.admitPartition(orders, Operation.WRITE, 7919)).isInstanceOf(Admission.Allowed.class);
    }

    @Test
    void limitsStayWithinWhatBucketsCanRefill() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CapacityLimits.KEYSPACES.withTenantQuota(2_000_000, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 1000000");
        CapacityMeter m = new CapacityMeter(CapacityLimits.KEYSPACES.withTenantQuota(1_000_000, 1_000_000),
                new LocalBuckets(nanos::get, Duration.ofMinutes(10).toNanos()), nanos::get);
        // an on-demand peak of 900,000 units a second: the ceiling stops at the maximum, never breaking a bucket
        m.charge(orders, CapacityMode.ON_DEMAND, Operation.WRITE, 900_000 * UNIT);
        advance(Duration.ofSeconds(1));
        m.charge(orders, CapacityMode.ON_DEMAND, Operation.WRITE, UNIT);
        assertThat(m.currentLimit(orders, CapacityMode.ON_DEMAND, Operation.WRITE))
                .isEqualTo(CapacityLimits.MAX_UNITS_PER_SECOND);
        assertThat(m.admit(orders, CapacityMode.ON_DEMAND, Operation.WRITE)).isNotNull();
    }
}
