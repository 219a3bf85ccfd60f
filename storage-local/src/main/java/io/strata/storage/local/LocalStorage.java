package io.strata.storage.local;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.spi.StorageEngine;
import java.nio.file.Path;
import java.time.Clock;

/** Opens Strata's storage on a local directory ({@code strata.storage.type=local}). */
public final class LocalStorage {
    private LocalStorage() {}

    public static StorageEngine open(Path dataDir, Clock clock) {
        return LsmEngine.open(dataDir.resolve("storage"), EngineOptions.defaults(), clock);
    }
}
