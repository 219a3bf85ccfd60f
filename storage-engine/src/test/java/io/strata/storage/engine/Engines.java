package io.strata.storage.engine;

import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens engines for tests with a commit log on an in-memory blob store that outlives the engine (one per
 * directory): what an engine appended and the store acknowledged survives a simulated crash and reopen,
 * exactly like a forced file.
 */
final class Engines {
    private static final Map<Path, InMemoryBlobStore> LOGS = new ConcurrentHashMap<>();

    private Engines() {}

    static LsmEngine open(Path dir, EngineOptions options) {
        InMemoryBlobStore disk = LOGS.computeIfAbsent(dir.toAbsolutePath(), d -> new InMemoryBlobStore());
        return LsmEngine.open(dir, new BlobLogStore(disk, "wal/"), options, Clock.systemUTC());
    }
}
