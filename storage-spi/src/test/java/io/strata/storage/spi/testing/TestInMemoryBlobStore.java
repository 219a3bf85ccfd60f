package io.strata.storage.spi.testing;

import io.strata.storage.spi.blob.AbstractBlobStoreContractTest;
import io.strata.storage.spi.blob.BlobStore;

/** The in-memory fixture honours the same contract as the real backends. */
class TestInMemoryBlobStore extends AbstractBlobStoreContractTest {
    @Override
    protected BlobStore createStore() {
        return new InMemoryBlobStore();
    }
}
