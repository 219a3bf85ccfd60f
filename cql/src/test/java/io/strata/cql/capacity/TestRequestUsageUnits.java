package io.strata.cql.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.request.Consistency;
import io.strata.cql.request.RequestUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link RequestUsage}'s units: totals, per-partition maxima, and sums under concurrent stages. */
class TestRequestUsageUnits {
    @Test
    void nothingReadOrWrittenCostsNothing() {
        assertThat(new RequestUsage().capacity(Consistency.LOCAL_QUORUM)).isEqualTo(CapacityUnits.NONE);
    }

    @Test
    void unitsAreKeptPerPartitionWhateverTheTokenOrder() {
        RequestUsage u = new RequestUsage();
        long[] tokens = {50, -7, 50, 900, -7, 12, 900, 900};
        for (long t : tokens) {
            u.rowWritten(t, 1, 0);
        }
        u.rowRead(-7, 5000);
        u.rowRead(12, 100);
        u.rowRead(-7, 4000); // -7: 9000 B in all, 3 units at LOCAL_QUORUM
        CapacityUnits c = u.capacity(Consistency.LOCAL_QUORUM);
        assertThat(c).isEqualTo(new CapacityUnits(8, 3.0, 3, 3.0, 4)); // 900 took 3 writes; 9100 B read: 3 units
        assertThat(u.capacity(Consistency.LOCAL_ONE).readUnits()).isEqualTo(1.5);
        List<String> seen = new ArrayList<>();
        u.forEachPartition((token, writes, bytes) -> seen.add(token + ":" + writes + ":" + bytes));
        assertThat(seen).containsExactly("50:2:0", "-7:2:9000", "900:3:0", "12:1:100");
    }

    @Test
    void manyPartitionsInTokenOrderAreEachCounted() {
        RequestUsage u = new RequestUsage();
        for (long t = -1000; t < 1000; t++) {
            u.rowRead(t, 10);
        }
        u.rowRead(-1000, 4096); // an old token again: found, not added
        CapacityUnits c = u.capacity(Consistency.LOCAL_QUORUM);
        assertThat(c.partitions()).isEqualTo(2000);
        assertThat(c.maxPartitionReadUnits()).isEqualTo(2.0);
        assertThat(u.encodedBytesRead()).isEqualTo(20_000 + 4096);
    }

    @Test
    void expiringWritesAreCountedApart() {
        RequestUsage u = new RequestUsage();
        u.rowWritten(1, 2, 3);
        u.rowWritten(1, 1, 0);
        assertThat(u.expiringRowsWritten()).isEqualTo(1);
        assertThat(u.expiringCellsWritten()).isEqualTo(3);
        assertThat(u.writeUnits()).isEqualTo(3);
    }

    @Test
    void concurrentStagesLoseNothing() throws InterruptedException {
        RequestUsage u = new RequestUsage();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long token = i;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int n = 0; n < 10_000; n++) {
                    u.rowWritten(token, 1, 0);
                    u.rowRead(token, 1);
                }
            });
            th.start();
            threads.add(th);
        }
        start.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertThat(u.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(40_000, 10.0, 10_000, 3.0, 4));
    }
}
