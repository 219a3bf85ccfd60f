package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.testing.InMemoryZones;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.TableId;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compaction-debt throttle (Compactor#behind, Flusher#acknowledged): while a table's segments hold more than the
 * debt limit beyond their largest and its compaction is queued, batches of writes are held, each for a bounded time,
 * and never stopped; once compaction catches up nobody is held. The compaction thread is occupied on purpose so
 * the compaction stays queued; the debt floor is lowered so a table of a few hundred rows can reach it.
 */
class TestCompactionDebt {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t", "ks", "debt", UUID.randomUUID());

    private final InMemoryZones zones = new InMemoryZones();

    private static PartitionUpdate put(int k, int v, long ts) {
        return IntRows.put(TABLE, k, v, ts);
    }

    private static int read(LsmEngine e, int k) {
        return IntRows.read(e, TABLE, k);
    }

    /** Writes every key once with value {@code round * 1000 + k}, then flushes: one more segment of the same keys. */
    private static long overwriteAndFlush(LsmEngine e, int round, long ts) {
        for (int k = 0; k < 300; k++) {
            e.apply(List.of(put(k, round * 1000 + k, ts++))).toCompletableFuture().join();
        }
        e.flush();
        return ts;
    }

    @Test
    void writersAreHeldWhileCompactionLagsAndReleasedOnceItCatchesUp() throws Exception {
        LsmEngine e = zones.open(dir, EngineOptions.defaults(), Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        e.compactor().debtFloorBytes(0);
        CountDownLatch release = new CountDownLatch(1);
        e.holdCompactionThread(release);

        long ts = overwriteAndFlush(e, 0, 1);
        assertThat(e.compactor().behind()).as("one segment: no debt").isFalse();
        assertThat(e.compactor().heldBatches()).isZero();

        ts = overwriteAndFlush(e, 1, ts); // a second copy of every row: debt 100 % of the largest segment, queued
        long[] debt = e.compactionDebt(TABLE);
        assertThat(debt[0]).isGreaterThan((long) (debt[1] * 0.2));
        assertThat(e.compactor().behind()).isTrue();

        for (int i = 0; i < 3; i++) { // each batch is held a while, and still acknowledged
            e.apply(List.of(put(1000 + i, i, ts++))).toCompletableFuture().join();
        }
        assertThat(e.compactor().heldBatches()).isPositive();
        assertThat(read(e, 7)).isEqualTo(1007);

        release.countDown();
        for (int i = 0; i < 200 && e.compactor().behind(); i++) {
            Thread.sleep(25);
        }
        assertThat(e.compactor().behind()).as("compaction caught up").isFalse();
        long held = e.compactor().heldBatches();
        for (int i = 0; i < 20; i++) {
            e.apply(List.of(put(2000 + i, i, ts++))).toCompletableFuture().join();
        }
        assertThat(e.compactor().heldBatches()).as("nobody is held once the debt is paid").isEqualTo(held);
        debt = e.compactionDebt(TABLE);
        assertThat(debt[0]).isLessThanOrEqualTo((long) (debt[1] * 0.2));
        assertThat(read(e, 7)).isEqualTo(1007);
        assertThat(read(e, 1002)).isEqualTo(2);
        e.close();
    }

    @Test
    void smallTablesNeverHoldWritersAtTheDefaultFloor() throws Exception {
        LsmEngine e = zones.open(dir, EngineOptions.defaults(), Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        CountDownLatch release = new CountDownLatch(1);
        e.holdCompactionThread(release);
        long ts = overwriteAndFlush(e, 0, 1);
        ts = overwriteAndFlush(e, 1, ts);
        long[] debt = e.compactionDebt(TABLE);
        assertThat(debt[0]).isGreaterThan((long) (debt[1] * 0.2)).isLessThan(32L << 20);
        e.apply(List.of(put(5000, 1, ts))).toCompletableFuture().join();
        assertThat(e.compactor().behind()).isFalse();
        assertThat(e.compactor().heldBatches()).isZero();
        release.countDown();
        e.close();
    }
}
