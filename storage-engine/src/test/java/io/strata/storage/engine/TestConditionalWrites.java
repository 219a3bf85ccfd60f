package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.engine.testing.InMemoryZones;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.ConditionalResult;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.StorageOverloadedException;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read-check-write on one partition is linearizable: concurrent increments never lose an update. */
class TestConditionalWrites {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t", "ks", "cas", UUID.randomUUID());
    private static final PartitionKey KEY = PartitionKey.of(new byte[] {1});

    @Test
    void concurrentIncrementsThroughApplyIfAreAllKept() {
        LsmEngine e = new InMemoryZones().open(dir, EngineOptions.defaults(), Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        AtomicLong ts = new AtomicLong(1);
        ReadQuery read = new ReadQuery(TABLE, new PartitionSelection.Single(KEY), List.of(Slice.ALL), false, null, 1,
                Integer.MAX_VALUE, 0, null);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            all.add(e.applyIf(read, current -> List.of(set(value(current) + 1, ts.getAndIncrement()))).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        assertThat(value(e.read(read).toCompletableFuture().join())).isEqualTo(400);
        // a failed condition applies nothing and returns the current state
        var result = e.applyIf(read, current -> value(current) == 0 ? List.of(set(-1, ts.getAndIncrement())) : null)
                .toCompletableFuture().join();
        assertThat(result.applied()).isFalse();
        assertThat(value(result.current())).isEqualTo(400);
        e.close();
    }

    @Test
    void aTenantHoldingAPartitionLockDoesNotBlockAnotherTenantsConditionalWrite() throws Exception {
        LsmEngine e = new InMemoryZones().open(dir, EngineOptions.defaults(), Clock.systemUTC());
        TableId hot = new TableId("hot", "ks", "cas", UUID.randomUUID());
        TableId quiet = new TableId("quiet", "ks", "cas", UUID.randomUUID());
        e.createTable(hot).toCompletableFuture().join();
        e.createTable(quiet).toCompletableFuture().join();
        PartitionKey hotKey = PartitionKey.of(new byte[] {1});
        PartitionKey quietKey = null;
        // a partition of the other tenant that shared the hot partition's stripe in the old global scheme
        for (int i = 0; quietKey == null; i++) {
            PartitionKey candidate = PartitionKey.of(ByteBuffer.allocate(4).putInt(i).array());
            if (oldGlobalStripe(quiet, candidate) == oldGlobalStripe(hot, hotKey)) {
                quietKey = candidate;
            }
        }
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<?> held = e.applyIf(single(hot, hotKey), current -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return null;
        }).toCompletableFuture();
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        // the hot tenant holds its partition lock; the quiet tenant's LWT completes regardless (the timeout only
        // turns a hang into a failure)
        ConditionalResult result = e.applyIf(single(quiet, quietKey), current -> null).toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertThat(result.applied()).isFalse();
        assertThat(held).isNotDone();
        release.countDown();
        held.get(30, TimeUnit.SECONDS);
        e.close();
    }

    @Test
    void beyondItsQueueLimitATenantsConditionalWritesFailOverloadedAndOtherTenantsProceed() throws Exception {
        // a share of 0.1 of the 8 conditional-write threads: one per tenant; one more may wait
        LsmEngine e = new InMemoryZones().open(dir, EngineOptions.defaults().withTenantShare(0.1, 1), Clock.systemUTC());
        TableId other = new TableId("other", "ks", "cas", UUID.randomUUID());
        e.createTable(TABLE).toCompletableFuture().join();
        e.createTable(other).toCompletableFuture().join();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<?> first = e.applyIf(single(TABLE, KEY), current -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return null;
        }).toCompletableFuture();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<?> queued = e.applyIf(single(TABLE, KEY), current -> null).toCompletableFuture();
        CompletableFuture<?> refused = e.applyIf(single(TABLE, KEY), current -> null).toCompletableFuture();
        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(StorageOverloadedException.class)
                .hasMessageContaining("tenant t has too many conditional writes queued; retry later");
        e.applyIf(single(other, KEY), current -> null).toCompletableFuture().get(30, TimeUnit.SECONDS);
        release.countDown();
        first.get(30, TimeUnit.SECONDS);
        queued.get(30, TimeUnit.SECONDS);
        e.close();
    }

    /** The stripe a partition had among the 1024 stripes shared by every tenant before per-tenant stripes. */
    private static int oldGlobalStripe(TableId table, PartitionKey key) {
        return Math.floorMod(Long.hashCode(key.token()) ^ table.id().hashCode(), 1024);
    }

    private static ReadQuery single(TableId table, PartitionKey key) {
        return new ReadQuery(table, new PartitionSelection.Single(key), List.of(Slice.ALL), false, null, 1,
                Integer.MAX_VALUE, 0, null);
    }

    private static int value(ReadResult r) {
        return r.partitions().isEmpty() ? 0 : ByteBuffer.wrap(r.partitions().get(0).rows().get(0).cells().get(0).value()).getInt();
    }

    private static PartitionUpdate set(int v, long ts) {
        return PartitionUpdate.ofRows(TABLE, KEY, List.of(Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0),
                List.of(Cell.live("v", null, ts, ByteBuffer.allocate(4).putInt(v).array())))));
    }
}
