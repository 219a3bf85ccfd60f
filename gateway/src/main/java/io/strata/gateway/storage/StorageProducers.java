package io.strata.gateway.storage;

import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import io.strata.gateway.config.StorageConfig;
import io.strata.storage.engine.EngineOptions;
import io.strata.storage.spi.StorageEngine;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
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
        // first, so that the data directory exists (owner-only) before any store writes into it
        DataDirectories.prepare(config.local().path(), config.local().zones().orElse(List.of()));
        StorageBackend backend = select(backends, config.type());
        return StorageAssembly.open(backend, options(config.engine(), backend.defaultReadThreads()),
                config.engine().repairInterval(), clock);
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
        return new EngineOptions(e.flushThresholdBytes(), 4 * e.flushThresholdBytes(), e.readThreads().orElse(defaultReadThreads),
                EngineOptions.DEFAULT_GC_GRACE_SECONDS, e.blockCacheBytes(), e.retention().toSeconds(),
                Math.max(1, e.gcInterval().toSeconds()), e.tenantThreadShare(), e.tenantQueueLimit());
    }
}
