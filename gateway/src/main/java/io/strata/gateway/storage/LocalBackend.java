package io.strata.gateway.storage;

import io.smallrye.common.annotation.Identifier;
import io.strata.gateway.config.StorageConfig;
import io.strata.storage.local.FileIO;
import io.strata.storage.local.LocalBlobStore;
import io.strata.storage.local.LocalLogStore;
import io.strata.storage.local.LocalStorage;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code strata.storage.type=local}: zone directories on local disks (three by default, one disk each in
 * production), each holding a commit log ({@link LocalLogStore}) and a data store ({@link LocalBlobStore}),
 * always replicated across the zones (also with a single zone, whose blobs then carry the same checksum
 * trailer).
 */
@ApplicationScoped
@Identifier("local")
public class LocalBackend implements StorageBackend {
    @Inject
    StorageConfig config;

    @Override
    public BackendStores open(Closer opened) {
        return open(config.local().path().toAbsolutePath().normalize(), config.local().zones().orElse(List.of()), opened);
    }

    /**
     * @param zoneDirs zone directories; empty means the three default ones under the data path
     */
    static BackendStores open(Path dataDir, List<Path> zoneDirs, Closer opened) {
        List<Path> zones = LocalStorage.zoneDirs(dataDir, zoneDirs);
        List<LogStore> logs = new ArrayList<>();
        List<BlobStore> blobs = new ArrayList<>();
        for (Path zone : zones) {
            logs.add(opened.register(new LocalLogStore(LocalStorage.walDir(zone), FileIO.DEFAULT)));
            blobs.add(opened.register(new LocalBlobStore(LocalStorage.dataDir(zone))));
        }
        return new BackendStores(BackendStores.Zones.replicated(logs), BackendStores.Zones.replicated(blobs),
                LocalStorage.workDir(dataDir), 0, "local disks, zones " + zones);
    }

    @Override
    public int defaultReadThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }
}
