package io.strata.storage.spi.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract every {@link LogStore} honours; each backend's test extends this. */
public abstract class AbstractLogStoreContractTest {
    protected LogStore logs;

    /** A new, empty log store. */
    protected abstract LogStore createStore() throws Exception;

    /** Reopens the same storage (a restart), closing the current instance. */
    protected abstract LogStore reopen(LogStore current) throws Exception;

    @BeforeEach
    void open() throws Exception {
        logs = createStore();
    }

    @AfterEach
    void closeStore() {
        logs.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendedChunksComeBackInOrderAfterARestart() throws Exception {
        for (int i = 1; i <= 50; i++) {
            logs.append("wal-1", i, bytes("chunk " + i)).toCompletableFuture().join();
        }
        logs = reopen(logs);
        List<LogStore.Chunk> chunks = logs.read("wal-1").toCompletableFuture().join();
        assertThat(chunks).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(chunks.get(i).sequence()).isEqualTo(i + 1);
            assertThat(new String(chunks.get(i).data(), StandardCharsets.UTF_8)).isEqualTo("chunk " + (i + 1));
        }
    }

    @Test
    void logsAreListedAndDeletedIndependently() {
        logs.append("wal-a", 1, bytes("a")).toCompletableFuture().join();
        logs.append("wal-b", 1, bytes("b")).toCompletableFuture().join();
        logs.append("other", 1, bytes("o")).toCompletableFuture().join();
        assertThat(logs.list("wal-").toCompletableFuture().join()).containsExactly("wal-a", "wal-b");
        logs.delete("wal-a").toCompletableFuture().join();
        logs.delete("missing").toCompletableFuture().join();
        assertThat(logs.list("wal-").toCompletableFuture().join()).containsExactly("wal-b");
        assertThat(logs.read("wal-a").toCompletableFuture().join()).isEmpty();
        assertThat(logs.read("wal-b").toCompletableFuture().join()).hasSize(1);
    }

    @Test
    void emptyAndLargeChunks() {
        byte[] big = new byte[3 * 1024 * 1024];
        new java.util.Random(3).nextBytes(big);
        logs.append("l", 1, new byte[0]).toCompletableFuture().join();
        logs.append("l", 2, big).toCompletableFuture().join();
        List<LogStore.Chunk> chunks = logs.read("l").toCompletableFuture().join();
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).data()).isEmpty();
        assertThat(chunks.get(1).data()).isEqualTo(big);
    }
}
