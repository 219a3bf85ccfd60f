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
        // a half-written chunk at the tail, as a crash during an append leaves it: never acknowledged
        try (FileChannel ch = FileChannel.open(dir.resolve("logs/wal-x.log"), StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.allocate(20).putLong(6).putInt(1000).putInt(42).putInt(7).flip());
        }
        logs = new LocalLogStore(dir.resolve("logs"));
        assertThat(logs.read("wal-x").toCompletableFuture().join()).hasSize(5);
    }
}
