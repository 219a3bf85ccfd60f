package io.strata.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.spi.blob.AbstractBlobStoreContractTest;
import io.strata.storage.spi.blob.BlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestLocalBlobStore extends AbstractBlobStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected BlobStore createStore() throws Exception {
        return new LocalBlobStore(Files.createTempDirectory(dir, "blobs"));
    }

    /** A listing walks directories while puts rename temporary files into place and deletes remove files. */
    @Test
    void listingWhilePutsAndDeletesRunNeverFails() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                store.put("t/segments/" + i, new byte[1024], BlobStore.PutMode.OVERWRITE).toCompletableFuture().join();
                if (i >= 20) {
                    store.delete(List.of("t/segments/" + (i - 20))).toCompletableFuture().join();
                }
            }
        });
        writer.start();
        try {
            for (int round = 0; round < 300; round++) {
                List<BlobStore.BlobInfo> listed = store.list("t/", null, 10_000).toCompletableFuture().join();
                assertThat(listed).allSatisfy(i -> assertThat(i.key()).doesNotContain("/."));
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }
}
