package io.strata.storage.spi.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TestBlobLogStore {
    @Test
    void objectsThatAreNotChunksAreNotRead() {
        InMemoryBlobStore blobs = new InMemoryBlobStore();
        BlobLogStore logs = new BlobLogStore(blobs, "wal/");
        logs.append("wal-1", 1, "one".getBytes(StandardCharsets.UTF_8)).toCompletableFuture().join();
        // what S3Proxy's filesystem store lists while it is still writing chunk 2
        blobs.put("wal/wal-1/00000000000000000002-74653719-2c1b-4a8e-9f50-0d3c5f1e2a11",
                "two".getBytes(StandardCharsets.UTF_8), BlobStore.PutMode.OVERWRITE).toCompletableFuture().join();
        blobs.put("wal/wal-1/2", new byte[1], BlobStore.PutMode.OVERWRITE).toCompletableFuture().join();

        assertThat(logs.read("wal-1").toCompletableFuture().join())
                .extracting(LogStore.Chunk::sequence).containsExactly(1L);
        assertThat(BlobLogStore.isChunkName("00000000000000000002")).isTrue();
        assertThat(BlobLogStore.isChunkName("0000000000000000000x")).isFalse();
    }
}
