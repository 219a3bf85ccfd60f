package io.strata.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.local.LocalLogStore;
import io.strata.storage.local.LocalStorage;
import io.strata.storage.s3.S3BlobStore;
import io.strata.storage.s3.S3Settings;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.testing.FaultInjectingBlobStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage assembly closes every store it opened exactly once: on a normal close, when the backend
 * fails half-way through opening its zones, and when the engine fails to open over them. Backends open
 * only what the configuration needs (an S3 deployment with a local commit log opens no local data stores).
 */
class TestStorageAssembly {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t", "ks", "assembly", UUID.randomUUID());
    private static final EngineOptions OPTIONS = new EngineOptions(1 << 20, 4 << 20, 2);

    /** Three in-memory zones of counting stores; opening fails before zone {@code failAt} when set. */
    private static final class CountingBackend implements StorageBackend {
        final List<CountingStores.Counted> opened = new ArrayList<>();
        final List<FaultInjectingBlobStore> dataZones = new ArrayList<>();
        final Path localDir;
        int failAt = -1;
        boolean dataDown;

        CountingBackend(Path localDir) {
            this.localDir = localDir;
        }

        @Override
        public BackendStores open(Closer closer) {
            List<LogStore> logs = new ArrayList<>();
            List<BlobStore> data = new ArrayList<>();
            for (int zone = 0; zone < 3; zone++) {
                if (zone == failAt) {
                    throw new IllegalStateException("zone " + zone + " is unreachable");
                }
                var log = closer.register(new CountingStores.Logs(new BlobLogStore(new InMemoryBlobStore(), "wal/")));
                opened.add(log);
                logs.add(log);
                FaultInjectingBlobStore faults = new FaultInjectingBlobStore(new InMemoryBlobStore());
                dataZones.add(faults);
                var blobs = closer.register(new CountingStores.Blobs(faults));
                opened.add(blobs);
                data.add(blobs);
            }
            dataZones.forEach(z -> z.down(dataDown));
            return new BackendStores(BackendStores.Zones.replicated(logs), BackendStores.Zones.replicated(data), localDir, 0,
                    "counting zones");
        }

        @Override
        public int defaultReadThreads() {
            return 2;
        }

        List<Integer> closes() {
            return opened.stream().map(CountingStores.Counted::closes).toList();
        }
    }

    private static StorageAssembly open(StorageBackend backend) {
        return StorageAssembly.open(backend, OPTIONS, Duration.ofHours(1), Clock.systemUTC());
    }

    @Test
    void everyStoreIsClosedOnceWhenTheStorageCloses() {
        CountingBackend backend = new CountingBackend(dir.resolve("local"));
        StorageAssembly storage = open(backend);
        StorageEngine engine = storage.engine();
        engine.createTable(TABLE).toCompletableFuture().join();
        engine.apply(List.of(row(1))).toCompletableFuture().join();
        assertThat(engine.read(all()).toCompletableFuture().join().rowCount()).isEqualTo(1);
        assertThat(engine.stats().tables()).isEqualTo(1);
        assertThat(storage.repair().runOnce().blobsCopied()).isZero();
        assertThat(storage.repair().status().passes()).isEqualTo(1);
        assertThat(backend.closes()).as("nothing closed while open").containsOnly(0);

        storage.close();
        assertThat(backend.closes()).hasSize(6).containsOnly(1);
        // the working directory's lock went with the engine: the same directory opens again
        open(new CountingBackend(dir.resolve("local"))).close();
    }

    @Test
    void storesOpenedBeforeTheBackendFailedAreClosed() {
        CountingBackend backend = new CountingBackend(dir.resolve("local"));
        backend.failAt = 2;
        assertThatThrownBy(() -> open(backend)).hasMessageContaining("zone 2 is unreachable");
        assertThat(backend.closes()).hasSize(4).containsOnly(1);
    }

    @Test
    void storesAreClosedWhenTheEngineFailsToOpen() {
        CountingBackend backend = new CountingBackend(dir.resolve("local"));
        backend.dataDown = true; // no quorum: the engine cannot claim a writer epoch
        assertThatThrownBy(() -> open(backend)).hasMessageContaining("quorum");
        assertThat(backend.closes()).hasSize(6).containsOnly(1);
        // the failed engine released the working directory too
        open(new CountingBackend(dir.resolve("local"))).close();
    }

    @Test
    void localZonesAreReplicatedAndClosedWithTheEngine() throws Exception {
        StorageAssembly storage = StorageAssembly.open(new StorageBackend() {
            @Override
            public BackendStores open(Closer opened) {
                BackendStores stores = LocalBackend.open(dir, List.of(), opened);
                assertThat(opened.size()).as("a commit log and a data store per zone").isEqualTo(6);
                assertThat(stores.commitLog().replicated()).isTrue();
                assertThat(stores.data().replicated()).isTrue();
                return stores;
            }

            @Override
            public int defaultReadThreads() {
                return 2;
            }
        }, OPTIONS, Duration.ofHours(1), Clock.systemUTC());
        storage.engine().createTable(TABLE).toCompletableFuture().join();
        storage.engine().apply(List.of(row(7))).toCompletableFuture().join();
        storage.close();
        for (Path zone : LocalStorage.zoneDirs(dir, List.of())) {
            assertThat(Files.isDirectory(LocalStorage.walDir(zone))).isTrue();
            assertThat(Files.isDirectory(LocalStorage.dataDir(zone).resolve("tables"))).isTrue();
        }
    }

    @Test
    void s3WithALocalCommitLogOpensOnlyTheLocalCommitLogs() {
        List<Path> zoneDirs = LocalStorage.zoneDirs(dir, List.of());
        Closer opened = new Closer();
        BackendStores stores = S3Backend.open(s3Zones(3), Optional.of(zoneDirs), dir.resolve("local"), 0, opened);
        assertThat(stores.data().replicated()).isTrue();
        assertThat(stores.data().stores()).hasSize(3).allMatch(S3BlobStore.class::isInstance);
        assertThat(stores.commitLog().replicated()).isTrue();
        assertThat(stores.commitLog().stores()).hasSize(3).allMatch(LocalLogStore.class::isInstance);
        assertThat(opened.size()).as("three buckets and three local commit logs, nothing else").isEqualTo(6);
        for (Path zone : zoneDirs) {
            assertThat(LocalStorage.dataDir(zone)).as("no local data store is opened").doesNotExist();
        }
        opened.close();
        assertThat(opened.size()).isZero();
    }

    @Test
    void oneSelfReplicatingBucketIsUsedDirectly() {
        Closer opened = new Closer();
        BackendStores stores = S3Backend.open(s3Zones(1), Optional.empty(), dir.resolve("local"), 1 << 20, opened);
        assertThat(stores.data().replicated()).isFalse();
        assertThat(stores.commitLog().replicated()).isFalse();
        assertThat(stores.commitLog().stores().get(0)).isInstanceOf(BlobLogStore.class);
        assertThat(opened.size()).as("the commit log lives in the bucket").isEqualTo(1);
        opened.close();
        assertThatThrownBy(() -> S3Backend.open(s3Zones(2), Optional.empty(), dir, 0, new Closer()))
                .hasMessageContaining("not 2");
    }

    /** Zones on an unused loopback port: opening a client does not connect. */
    private static List<S3Settings> s3Zones(int n) {
        List<S3Settings> zones = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            zones.add(new S3Settings(Optional.of(URI.create("http://127.0.0.1:9")), "us-east-1", "access", "secret",
                    "zone-" + i, "strata/", true));
        }
        return zones;
    }

    private static ReadQuery all() {
        return new ReadQuery(TABLE, PartitionSelection.TokenRange.ALL, List.of(Slice.ALL), false, null, 100,
                Integer.MAX_VALUE, 0, null);
    }

    private static PartitionUpdate row(int k) {
        byte[] key = {(byte) k};
        return PartitionUpdate.ofRows(TABLE, PartitionKey.of(key), List.of(Row.of(Clustering.EMPTY,
                LivenessInfo.of(k + 1, 0, 0), List.of(Cell.live("v", null, k + 1, key)))));
    }
}
