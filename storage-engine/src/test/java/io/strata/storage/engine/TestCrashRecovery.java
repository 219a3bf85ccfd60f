package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.testing.InMemoryZones;
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
import io.strata.storage.spi.blob.BlobLogStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
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
        InMemoryZones zones = new InMemoryZones();
        LsmEngine e = zones.open(dir, new EngineOptions(256 * 1024, 4 << 20, 2), Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            acks.add(e.apply(List.of(row(i))).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        e.simulateCrash();
        LsmEngine reopened = zones.open(dir, EngineOptions.defaults(), Clock.systemUTC());
        assertThat(count(reopened)).isEqualTo(5000);
        reopened.close();
    }

    /** One copy of everything (no zone to repair from): a block failing its checksum fails the read. */
    @Test
    void aCorruptSegmentIsDetected() throws Exception {
        InMemoryBlobStore data = new InMemoryBlobStore();
        InMemoryBlobStore log = new InMemoryBlobStore();
        LsmEngine e = singleCopy(data, log);
        e.createTable(TABLE).toCompletableFuture().join();
        e.apply(List.of(row(1))).toCompletableFuture().join();
        e.flush();
        e.close();
        String seg = data.list("tables/", null, 1000).toCompletableFuture().join().stream()
                .map(i -> i.key()).filter(k -> k.endsWith(".seg")).findFirst().orElseThrow();
        data.corrupt(seg, 10); // inside the first block
        LsmEngine reopened = singleCopy(data, log);
        assertThat(reopened.read(new ReadQuery(TABLE, PartitionSelection.TokenRange.ALL, List.of(Slice.ALL), false, null,
                10, Integer.MAX_VALUE, 0, null)).toCompletableFuture()).failsWithin(java.time.Duration.ofSeconds(10))
                .withThrowableThat().withMessageContaining("corrupt in every copy");
        reopened.close();
    }

    private LsmEngine singleCopy(InMemoryBlobStore data, InMemoryBlobStore log) {
        return LsmEngine.open(new EngineStorage(new BlobLogStore(log, StorageKeys.COMMIT_LOG_BLOB_PREFIX), data, dir, 0),
                EngineOptions.defaults(), Clock.systemUTC());
    }
}
