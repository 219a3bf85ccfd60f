package io.strata.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.spi.blob.AbstractLogStoreContractTest;
import io.strata.storage.spi.blob.LogStore;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestLocalLogStore extends AbstractLogStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected LogStore createStore() {
        return new LocalLogStore(dir.resolve("logs"));
    }

    @Override
    protected LogStore reopen(LogStore current) {
        current.close();
        return new LocalLogStore(dir.resolve("logs"));
    }

    @Test
    void aTornTailIsDroppedAndAppendsContinue() throws Exception {
        for (int i = 1; i <= 5; i++) {
            logs.append("wal-x", i, new byte[] {(byte) i}).toCompletableFuture().join();
        }
        logs.close();
        Path file = dir.resolve("logs/wal-x.log");
        assertThat(java.nio.file.Files.size(file)).as("zero-filled ahead of the records")
                .isBetween(LocalLogStore.PREALLOCATE_BYTES, LocalLogStore.PREALLOCATE_BYTES * 3 / 2);
        // a half-written chunk right after the five, as a crash during an append leaves it: never acknowledged
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(20).putLong(6).putInt(1000).putInt(42).putInt(7).flip(), 5 * 17);
        }
        logs = new LocalLogStore(dir.resolve("logs"));
        assertThat(logs.read("wal-x").toCompletableFuture().join()).hasSize(5);
        // the next append overwrites the torn one, so it and everything after it are read back
        logs.append("wal-x", 6, new byte[] {6, 6}).toCompletableFuture().join();
        logs.append("wal-x", 7, new byte[] {7}).toCompletableFuture().join();
        logs = reopen(logs);
        var chunks = logs.read("wal-x").toCompletableFuture().join();
        assertThat(chunks).extracting(LogStore.Chunk::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(chunks.get(5).data()).containsExactly(6, 6);
    }

    @Test
    void aLogGrowsPastItsZeroFilledPartAndSequencesArePositive() throws Exception {
        byte[] big = new byte[(int) (LocalLogStore.PREALLOCATE_BYTES / 3)];
        new java.util.Random(5).nextBytes(big);
        for (int i = 1; i <= 7; i++) {
            logs.append("wal-y", i, big).toCompletableFuture().join();
        }
        logs = reopen(logs);
        assertThat(logs.read("wal-y").toCompletableFuture().join()).hasSize(7).allSatisfy(c -> assertThat(c.data())
                .isEqualTo(big));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> logs.append("wal-y", 0, big))
                .isInstanceOf(IllegalArgumentException.class);
        // a log written once (a history log extracted at retirement) is not padded
        logs.append("hist-1", 1, big).toCompletableFuture().join();
        assertThat(java.nio.file.Files.size(dir.resolve("logs/hist-1.log"))).isEqualTo(16 + big.length);
    }
}
