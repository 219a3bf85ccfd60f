package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCrashRecovery {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t", "ks", "x", UUID.randomUUID());

    private static PartitionUpdate row(int k) {
        byte[] key = ByteBuffer.allocate(4).putInt(k).array();
        return PartitionUpdate.ofRows(TABLE, PartitionKey.of(key), List.of(Row.of(Clustering.EMPTY,
                LivenessInfo.of(k + 1, 0, 0), List.of(Cell.live("v", null, k + 1, key)))));
    }

    private static int count(LsmEngine e) {
        return e.read(new ReadQuery(TABLE, PartitionSelection.TokenRange.ALL, List.of(Slice.ALL), false, null,
                1_000_000, Integer.MAX_VALUE, 0, null)).toCompletableFuture().join().rowCount();
    }

    @Test
    void concurrentAcknowledgedWritesSurviveACrash() {
        LsmEngine e = Engines.open(dir, new EngineOptions(256 * 1024, 4 << 20, 2));
        e.createTable(TABLE).toCompletableFuture().join();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            acks.add(e.apply(List.of(row(i))).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        e.simulateCrash();
        LsmEngine reopened = Engines.open(dir, EngineOptions.defaults());
        assertThat(count(reopened)).isEqualTo(5000);
        reopened.close();
    }

    @Test
    void aCorruptSegmentIsDetected() throws Exception {
        LsmEngine e = Engines.open(dir, EngineOptions.defaults());
        e.createTable(TABLE).toCompletableFuture().join();
        e.apply(List.of(row(1))).toCompletableFuture().join();
        e.flush();
        e.close();
        InMemoryBlobStore data = Engines.data(dir);
        String seg = data.list("tables/", null, 1000).toCompletableFuture().join().stream()
                .map(i -> i.key()).filter(k -> k.endsWith(".seg")).findFirst().orElseThrow();
        data.corrupt(seg, 10); // inside the first block
        LsmEngine reopened = Engines.open(dir, EngineOptions.defaults());
        assertThat(reopened.read(new ReadQuery(TABLE, PartitionSelection.TokenRange.ALL, List.of(Slice.ALL), false, null,
                10, Integer.MAX_VALUE, 0, null)).toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableThat().withMessageContaining("corrupt in every copy");
        reopened.close();
    }
}
