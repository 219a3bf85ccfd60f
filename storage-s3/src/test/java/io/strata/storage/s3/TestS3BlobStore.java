package io.strata.storage.s3;

import io.strata.storage.spi.blob.AbstractBlobStoreContractTest;
import io.strata.storage.spi.blob.BlobStore;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The blob contract against S3Proxy over HTTP on loopback. */
class TestS3BlobStore extends AbstractBlobStoreContractTest {
    @RegisterExtension
    static final S3ProxyExtension PROXY = S3Fixture.proxy();

    @Override
    protected BlobStore createStore() {
        return S3Fixture.newBucket(PROXY);
    }
}
