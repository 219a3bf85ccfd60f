package io.strata.storage.s3;

import io.strata.storage.spi.blob.AbstractLogStoreContractTest;
import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.blob.LogStore;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The log contract with one S3 object per chunk, against S3Proxy. */
class TestS3LogStore extends AbstractLogStoreContractTest {
    @RegisterExtension
    static final S3ProxyExtension PROXY = S3Fixture.proxy();

    private S3BlobStore blobs;

    @Override
    protected LogStore createStore() {
        blobs = S3Fixture.newBucket(PROXY);
        return new BlobLogStore(blobs, "wal/");
    }

    @Override
    protected LogStore reopen(LogStore current) {
        current.close();
        return new BlobLogStore(blobs, "wal/");
    }
}
