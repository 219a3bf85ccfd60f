package io.strata.storage.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.AbstractLogStoreContractTest;
import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.testing.FaultInjectingBlobStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The log contract over three zones, plus quorum acknowledgement with one zone down and none lost. */
class TestQuorumLogStore extends AbstractLogStoreContractTest {
    private List<FaultInjectingBlobStore> zones;

    @Override
    protected LogStore createStore() {
        zones = new ArrayList<>();
        List<LogStore> logs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FaultInjectingBlobStore z = new FaultInjectingBlobStore(new InMemoryBlobStore());
            zones.add(z);
            logs.add(new BlobLogStore(z, "wal/"));
        }
        return new QuorumLogStore(logs);
    }

    @Override
    protected LogStore reopen(LogStore current) {
        List<LogStore> logs = new ArrayList<>();
        zones.forEach(z -> logs.add(new BlobLogStore(z, "wal/")));
        return new QuorumLogStore(logs);
    }

    @Test
    void acknowledgedWithOneZoneDownAndReadableAfterAnotherFails() {
        zones.get(0).down(true);
        for (int i = 1; i <= 20; i++) {
            logs.append("wal-9", i, new byte[] {(byte) i}).toCompletableFuture().join();
        }
        zones.get(0).down(false);
        zones.get(2).down(true);
        // zone 1 has every chunk, zone 0 none: the quorum read still returns all 20
        assertThat(logs.read("wal-9").toCompletableFuture().join()).hasSize(20);
        zones.get(1).down(true);
        assertThatThrownBy(() -> logs.append("wal-9", 21, new byte[] {21}).toCompletableFuture().join())
                .hasCauseInstanceOf(StorageException.class);
    }
}
