package io.strata.gateway.storage;

import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.strata.gateway.config.StorageConfig;
import io.strata.storage.engine.EngineOptions;
import io.strata.storage.local.LocalKeyProvider;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.crypto.KeyProvider;
import io.strata.storage.spi.crypto.KeyProviderFactory;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.ServiceLoader;
import org.jboss.logging.Logger;

/**
 * Opens the storage at startup and closes it at shutdown: selects the {@link StorageBackend} bean named by
 * {@code strata.storage.type} (Apache Polaris' pattern: {@code @Identifier} beans selected through
 * {@link Instance}), assembles it ({@link StorageAssembly}) and exposes the engine as the SPI's
 * {@link StorageEngine}. An unknown type fails the startup, naming the known ones.
 */
@Singleton
public class StorageProducers {
    private static final Logger LOG = Logger.getLogger(StorageProducers.class);

    @Produces
    @Singleton
    @Startup
    StorageAssembly storage(StorageConfig config, Clock clock, @Any Instance<StorageBackend> backends) {
        StorageConfig.check(config);
        // first, so that the data directory exists (owner-only) before any store writes into it
        DataDirectories.prepare(config.local().path(), config.local().zones().orElse(List.of()));
        StorageBackend backend = select(backends, config.type());
        EngineOptions options = options(config.engine(), backend.defaultReadThreads());
        LOG.infof("Engine memory: heap %d MiB; memtables flush at %d MiB and hold writers at %d MiB; block cache %d MiB",
                Runtime.getRuntime().maxMemory() >> 20, options.flushThresholdBytes() >> 20,
                options.stallThresholdBytes() >> 20, options.blockCacheBytes() >> 20);
        return StorageAssembly.open(backend, options, config.engine().repairInterval(), clock, keyProvider(config));
    }

    /** The master key provider encryption at rest is configured with, or null when it is off. */
    static KeyProvider keyProvider(StorageConfig config) {
        StorageConfig.Encryption e = config.encryption();
        if (!e.enabled()) {
            LOG.warn("Encryption at rest is off (strata.storage.encryption.enabled=false): new data is written in the clear");
            return null;
        }
        if (e.provider().equals("local")) {
            Path dir = e.keyDir().orElse(config.local().path().resolve("keys").resolve("master"));
            LocalKeyProvider local = LocalKeyProvider.open(dir, true);
            LOG.infof("Encryption at rest: AES-256-GCM, per-tenant data keys wrapped by master key '%s' in %s",
                    local.currentKeyId(), dir);
            return local;
        }
        List<String> known = new java.util.ArrayList<>(List.of("local"));
        for (KeyProviderFactory f : ServiceLoader.load(KeyProviderFactory.class)) {
            if (f.name().equals(e.provider())) {
                KeyProvider p = f.create(e.settings());
                LOG.infof("Encryption at rest: AES-256-GCM, data keys wrapped by provider '%s', master key '%s'",
                        f.name(), p.currentKeyId());
                return p;
            }
            known.add(f.name());
        }
        throw new IllegalStateException("unknown strata.storage.encryption.provider '" + e.provider()
                + "'; known providers: " + String.join(", ", known));
    }

    void close(@Disposes StorageAssembly storage) {
        LOG.info("Closing storage");
        storage.close();
    }

    @Produces
    @Singleton
    StorageEngine storageEngine(StorageAssembly storage) {
        return storage.engine();
    }

    /** The backend bean {@code @Identifier(type)}. */
    static StorageBackend select(Instance<StorageBackend> backends, String type) {
        Instance<StorageBackend> chosen = backends.select(Identifier.Literal.of(type));
        if (chosen.isResolvable()) {
            return chosen.get();
        }
        List<String> known = backends.handlesStream()
                .flatMap(h -> h.getBean().getQualifiers().stream())
                .filter(Identifier.class::isInstance)
                .map(q -> ((Identifier) q).value())
                .sorted()
                .toList();
        throw new IllegalStateException("unknown strata.storage.type '" + type + "'; known types: " + String.join(", ", known));
    }

    static EngineOptions options(StorageConfig.Engine e, int defaultReadThreads) {
        return options(e, defaultReadThreads, Runtime.getRuntime().maxMemory());
    }

    /** The engine's options: memtable and cache sizes not configured are sized from {@code maxHeapBytes}. */
    static EngineOptions options(StorageConfig.Engine e, int defaultReadThreads, long maxHeapBytes) {
        EngineOptions.HeapBudget budget = EngineOptions.HeapBudget.of(maxHeapBytes);
        long flush = e.flushThresholdBytes().orElse(budget.flushThresholdBytes());
        long stall = e.flushThresholdBytes().isPresent() ? 4 * flush : budget.stallThresholdBytes();
        return new EngineOptions(flush, stall, e.readThreads().orElse(defaultReadThreads),
                EngineOptions.DEFAULT_GC_GRACE_SECONDS, e.blockCacheBytes().orElse(budget.blockCacheBytes()),
                e.retention().toSeconds(),
                Math.max(1, e.gcInterval().toSeconds()), e.tenantThreadShare(), e.tenantQueueLimit(), e.cellTargetBytes());
    }
}
