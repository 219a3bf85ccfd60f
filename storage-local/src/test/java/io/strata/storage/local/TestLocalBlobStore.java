package io.strata.storage.local;

import io.strata.storage.spi.blob.AbstractBlobStoreContractTest;
import io.strata.storage.spi.blob.BlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class TestLocalBlobStore extends AbstractBlobStoreContractTest {
    @TempDir
    Path dir;

    @Override
    protected BlobStore createStore() throws Exception {
        return new LocalBlobStore(Files.createTempDirectory(dir, "blobs"));
    }
}
