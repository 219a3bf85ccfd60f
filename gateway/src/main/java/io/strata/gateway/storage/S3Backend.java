package io.strata.gateway.storage;

import io.smallrye.common.annotation.Identifier;
import io.strata.gateway.config.StorageConfig;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.local.FileIO;
import io.strata.storage.local.LocalLogStore;
import io.strata.storage.local.LocalStorage;
import io.strata.storage.s3.S3BlobStore;
import io.strata.storage.s3.S3Settings;
import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code strata.storage.type=s3}: one bucket per zone, each on its own endpoint if given. With three zones
 * Strata replicates (every blob to all three, committed at a quorum, as on local disks); with one zone the
 * store is trusted to replicate by itself (AWS S3 Standard, a MinIO erasure set). The commit log lives in
 * the same buckets ({@link BlobLogStore}: one object per group commit, under {@code wal/}) or, with
 * {@code s3.commit-log=local}, in the local zone directories (only their commit log stores are opened).
 */
@ApplicationScoped
@Identifier("s3")
public class S3Backend implements StorageBackend {
    @Inject
    StorageConfig config;

    @Override
    public BackendStores open(Closer opened) {
        StorageConfig.S3 s3 = config.s3();
        Path dataDir = config.local().path().toAbsolutePath().normalize();
        Optional<List<Path>> localLog = s3.commitLog().equals("local")
                ? Optional.of(LocalStorage.zoneDirs(dataDir, config.local().zones().orElse(List.of())))
                : Optional.empty();
        return open(zones(s3), localLog, LocalStorage.workDir(dataDir), s3.diskCacheBytes(), opened);
    }

    /**
     * @param localLogZones zone directories for the commit log, or empty to keep it in the buckets
     */
    static BackendStores open(List<S3Settings> zones, Optional<List<Path>> localLogZones, Path localDir,
            long diskCacheBytes, Closer opened) {
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("at least one S3 zone (bucket)");
        }
        if (zones.size() == 2) {
            // Two zones have no useful quorum: one outage would stop every write.
            throw new IllegalArgumentException("S3 storage needs 1 zone (a self-replicating store) or 3 zones, not 2");
        }
        List<BlobStore> buckets = new ArrayList<>();
        for (S3Settings s : zones) {
            buckets.add(opened.register(S3BlobStore.open(s)));
        }
        List<LogStore> logs = new ArrayList<>();
        BackendStores.Zones<LogStore> commitLog;
        if (localLogZones.isPresent()) {
            for (Path zone : localLogZones.get()) {
                logs.add(opened.register(new LocalLogStore(LocalStorage.walDir(zone), FileIO.DEFAULT)));
            }
            commitLog = BackendStores.Zones.replicated(logs);
        } else {
            for (BlobStore bucket : buckets) {
                logs.add(new BlobLogStore(bucket, StorageKeys.COMMIT_LOG_BLOB_PREFIX)); // owns nothing: the bucket does
            }
            commitLog = logs.size() == 1 ? BackendStores.Zones.single(logs.get(0)) : BackendStores.Zones.replicated(logs);
        }
        BackendStores.Zones<BlobStore> data = buckets.size() == 1 ? BackendStores.Zones.single(buckets.get(0))
                : BackendStores.Zones.replicated(buckets);
        String description = "S3, " + zones.size() + " zone(s) " + zones + ", commit log in "
                + (localLogZones.isPresent() ? "local zone directories" : "the buckets");
        return new BackendStores(commitLog, data, localDir, diskCacheBytes, description);
    }

    /** One zone per configured bucket, with its endpoint (none, one shared, or one per bucket). */
    static List<S3Settings> zones(StorageConfig.S3 s3) {
        List<String> buckets = s3.buckets().orElseThrow(() -> new IllegalStateException(
                "strata.storage.type=s3 needs strata.storage.s3.buckets (3 buckets, or 1 on a store that replicates itself)"));
        List<String> endpoints = s3.endpoints().orElse(List.of());
        if (!endpoints.isEmpty() && endpoints.size() != 1 && endpoints.size() != buckets.size()) {
            throw new IllegalStateException("strata.storage.s3.endpoints needs 1 endpoint or one per bucket ("
                    + buckets.size() + "), not " + endpoints.size());
        }
        List<S3Settings> zones = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            Optional<URI> endpoint = endpoints.isEmpty() ? Optional.empty()
                    : Optional.of(URI.create(endpoints.get(endpoints.size() == 1 ? 0 : i)));
            zones.add(new S3Settings(endpoint, s3.region(), s3.accessKey().orElse(""), s3.secretKey().orElse(""),
                    buckets.get(i), s3.prefix(), s3.pathStyle()));
        }
        return zones;
    }

    @Override
    public int defaultReadThreads() {
        // A read blocks its thread on a block fetch, and a cold block is a ranged GET of a few milliseconds.
        return 64;
    }
}
