package io.strata.storage.engine.testing;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.LsmEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Engines for tests and benchmarks of other modules, composed as the gateway composes them (quorum commit
 * log, replicated data store over three zones). Closing the engine closes its stores.
 * {@link #inMemory}: zones in memory, for fast unit tests (nothing survives the engine).
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
        Path local;
        try {
            local = Files.createTempDirectory("strata-engine-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TEMP_DIRS.add(local);
        return new InMemoryZones().open(local, options, clock);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort at exit
        }
    }
}
