package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.testing.InMemoryZones;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single-partition read whose blocks are all cached completes in the caller's thread (the stage is done when
 * {@code read} returns) with the same answer a read thread gives, memtable included.
 */
class TestInlineReads {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t", "ks", "inline", UUID.randomUUID());

    private static PartitionKey key(int k) {
        return PartitionKey.of(ByteBuffer.allocate(4).putInt(k).array());
    }

    private static PartitionUpdate put(int k, int v, long ts) {
        return PartitionUpdate.ofRows(TABLE, key(k), List.of(Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0),
                List.of(Cell.live("v", null, ts, ByteBuffer.allocate(4).putInt(v).array())))));
    }

    private static CompletableFuture<ReadResult> read(LsmEngine e, int k) {
        return e.read(new ReadQuery(TABLE, new PartitionSelection.Single(key(k)), List.of(Slice.ALL), false, null, 10,
                Integer.MAX_VALUE, (int) (System.currentTimeMillis() / 1000), null)).toCompletableFuture();
    }

    private static int value(ReadResult r) {
        return ByteBuffer.wrap(r.partitions().get(0).rows().get(0).cells().get(0).value()).getInt();
    }

    @Test
    void cachedPartitionsAreReadInTheCallersThread() {
        LsmEngine e = new InMemoryZones().open(dir, EngineOptions.defaults(), Clock.systemUTC());
        try {
            e.createTable(TABLE).toCompletableFuture().join();
            for (int k = 0; k < 100; k++) {
                e.apply(List.of(put(k, k, 1))).toCompletableFuture().join();
            }
            e.flush();
            assertThat(value(read(e, 5).join())).isEqualTo(5); // loads the segment's index chunk and block

            CompletableFuture<ReadResult> cached = read(e, 5);
            assertThat(cached).isDone();
            assertThat(value(cached.join())).isEqualTo(5);

            e.apply(List.of(put(5, 500, 2))).toCompletableFuture().join(); // newer, in the memtable
            CompletableFuture<ReadResult> merged = read(e, 5);
            assertThat(merged).isDone();
            assertThat(value(merged.join())).isEqualTo(500);

            CompletableFuture<ReadResult> absent = read(e, 1_000); // the bloom filter answers: nothing to load
            assertThat(absent).isDone();
            assertThat(absent.join().partitions()).isEmpty();
        } finally {
            e.close();
        }
    }
}
