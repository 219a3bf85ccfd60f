package io.strata.storage.local;

import io.strata.storage.spi.blob.AbstractLogStoreContractTest;
import io.strata.storage.spi.blob.LogStore;
import java.nio.file.Path;
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
}
