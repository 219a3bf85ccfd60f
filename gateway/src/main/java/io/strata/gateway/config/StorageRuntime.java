package io.strata.gateway.config;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.EngineStorage;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.engine.replication.ZoneRepair;
import io.strata.storage.local.FileIO;
import io.strata.storage.local.LocalStorage;
import io.strata.storage.s3.S3Settings;
import io.strata.storage.s3.S3Storage;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.StorageRepair;
import io.strata.storage.spi.blob.LogStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The opened storage: the engine over the configured backend ({@code strata.storage.type}) and its
 * background zone repair. Built once at startup by {@link ServiceProducers}; closed at shutdown.
 */
public final class StorageRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StorageRuntime.class);

    private final LsmEngine engine;
    private final ZoneRepair repair;
    private final String description;

    private StorageRuntime(LsmEngine engine, ZoneRepair repair, String description) {
        this.engine = engine;
        this.repair = repair;
        this.description = description;
    }

    public StorageEngine engine() {
        return engine;
    }

    public StorageRepair repair() {
        return repair;
    }

    public String description() {
        return description;
    }

    static StorageRuntime open(StorageConfig config, Clock clock) {
        Path path = config.local().path().toAbsolutePath().normalize();
        List<Path> zoneDirs = config.local().zones().orElse(List.of());
        StorageConfig.Engine e = config.engine();
        int readThreads = e.readThreads().orElse(config.type().equals("s3") ? 64
                : Math.max(2, Runtime.getRuntime().availableProcessors()));
        EngineOptions options = new EngineOptions(e.flushThresholdBytes(), 4 * e.flushThresholdBytes(),
                readThreads, EngineOptions.DEFAULT_GC_GRACE_SECONDS,
                e.blockCacheBytes(), e.retention().toSeconds(), Math.max(1, e.gcInterval().toSeconds()));
        EngineStorage storage;
        String description;
        switch (config.type()) {
            case "local" -> {
                storage = LocalStorage.storage(path, zoneDirs, FileIO.DEFAULT);
                description = "local disks, zones " + LocalStorage.zoneDirs(path, zoneDirs);
            }
            case "s3" -> {
                StorageConfig.S3 s3 = config.s3();
                List<S3Settings> zones = s3Zones(s3);
                S3Storage.Zones opened = S3Storage.open(zones);
                LogStore wal;
                if (s3.commitLog().equals("local")) {
                    wal = LocalStorage.storage(path, zoneDirs, FileIO.DEFAULT).wal();
                } else {
                    wal = opened.commitLog();
                }
                storage = new EngineStorage(wal, opened.data(), path.resolve("storage").resolve("local"),
                        s3.diskCacheBytes());
                description = "S3, " + zones.size() + " zone(s) " + zones + ", commit log in "
                        + (s3.commitLog().equals("local") ? "local zone directories" : "the buckets");
            }
            default -> throw new IllegalStateException("unknown strata.storage.type '" + config.type() + "'");
        }
        LOG.infof("Opening storage: %s", description);
        LsmEngine engine = LsmEngine.open(storage, options, clock);
        Optional<ReplicatedBlobStore> data = storage.data() instanceof ReplicatedBlobStore r ? Optional.of(r) : Optional.empty();
        Optional<QuorumLogStore> wal = storage.wal() instanceof QuorumLogStore q ? Optional.of(q) : Optional.empty();
        ZoneRepair repair = new ZoneRepair(engine, data, wal, clock).start(e.repairInterval());
        return new StorageRuntime(engine, repair, description);
    }

    static List<S3Settings> s3Zones(StorageConfig.S3 s3) {
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
    public void close() {
        repair.close();
        engine.close();
    }
}
