package io.strata.storage.engine.testing;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.EngineStorage;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.local.FileIO;
import io.strata.storage.local.LocalBlobStore;
import io.strata.storage.local.LocalLogStore;
import io.strata.storage.local.LocalStorage;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Engines for tests and benchmarks of other modules, composed as the gateway composes them (quorum commit
 * log, replicated data store over three zones). Closing the engine closes its stores.
 * <ul>
 *   <li>{@link #inMemory}: zones in memory, for fast unit tests (nothing survives the engine);
 *   <li>{@link #localZones}: the local backend's three zone directories under {@code dir} (real files and
 *       fsyncs, as {@code strata.storage.type=local} lays them out), reopenable on the same directory.
 * </ul>
 */
public final class TestEngines {
    private static final Set<Path> TEMP_DIRS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> TEMP_DIRS.forEach(TestEngines::deleteTree),
                "strata-test-engines-cleanup"));
    }

    private TestEngines() {}

    /** An engine over three in-memory zones; its working directory is a temporary one removed at exit. */
    public static LsmEngine inMemory(Clock clock) {
        return inMemory(EngineOptions.defaults(), clock);
    }

    public static LsmEngine inMemory(EngineOptions options, Clock clock) {
        return new InMemoryZones().open(tempLocalDir(), options, clock);
    }

    /** A working directory removed at exit. */
    private static Path tempLocalDir() {
        try {
            Path local = Files.createTempDirectory("strata-engine-");
            TEMP_DIRS.add(local);
            return local;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An engine over three in-memory zones, encrypting at rest with {@code keys}. */
    public static LsmEngine inMemory(io.strata.storage.spi.crypto.KeyProvider keys, Clock clock) {
        EngineStorage s = new InMemoryZones().storage(tempLocalDir());
        return LsmEngine.open(new EngineStorage(s.wal(), s.data(), s.localDir(), 0, keys), EngineOptions.defaults(),
                clock);
    }

    /** An engine over the three default local zones under {@code dir}, with default options. */
    public static LsmEngine localZones(Path dir, Clock clock) {
        return localZones(dir, EngineOptions.defaults(), clock);
    }

    public static LsmEngine localZones(Path dir, EngineOptions options, Clock clock) {
        return localZones(dir, FileIO.DEFAULT, options, clock);
    }

    /** Local zones whose file I/O goes through {@code io} (a power-loss model, for instance). */
    public static LsmEngine localZones(Path dir, FileIO io, EngineOptions options, Clock clock) {
        return LsmEngine.open(localZoneStorage(dir, io), options, clock);
    }

    /** The stores of the three default local zones under {@code dir}. */
    public static EngineStorage localZoneStorage(Path dir, FileIO io) {
        List<LogStore> logs = new ArrayList<>();
        List<BlobStore> data = new ArrayList<>();
        for (Path zone : LocalStorage.zoneDirs(dir, List.of())) {
            logs.add(new LocalLogStore(LocalStorage.walDir(zone), io));
            data.add(new LocalBlobStore(LocalStorage.dataDir(zone), io));
        }
        return new EngineStorage(new QuorumLogStore(logs), new ReplicatedBlobStore(data), LocalStorage.workDir(dir), 0);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit
        }
    }
}
