package io.strata.storage.engine;

import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens engines for tests with a commit log and a data store on in-memory blob stores that outlive the
 * engine (one pair per directory): what an engine appended and the store acknowledged survives a simulated crash and reopen,
 * exactly like a forced file.
 */
final class Engines {
    private static final Map<Path, InMemoryBlobStore> LOGS = new ConcurrentHashMap<>();
    private static final Map<Path, InMemoryBlobStore> DATA = new ConcurrentHashMap<>();

    private Engines() {}

    /** The data store of the engines opened on {@code dir}. */
    static InMemoryBlobStore data(Path dir) {
        return DATA.computeIfAbsent(dir.toAbsolutePath(), d -> new InMemoryBlobStore());
    }

    static LsmEngine open(Path dir, EngineOptions options) {
        InMemoryBlobStore disk = LOGS.computeIfAbsent(dir.toAbsolutePath(), d -> new InMemoryBlobStore());
        InMemoryBlobStore data = DATA.computeIfAbsent(dir.toAbsolutePath(), d -> new InMemoryBlobStore());
        return LsmEngine.open(new EngineStorage(new BlobLogStore(disk, "wal/"), data, dir, 0), options, Clock.systemUTC());
    }
}
