package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.local.FileIO;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.TableId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything a local engine leaves on disk (commit logs, segments, manifests, catalog, epochs, the lock, scratch
 * and cache files, and every directory down to the data directory itself) is private to the owner, whatever the
 * umask: files 0600, directories 0700.
 */
class TestFileModes {
    private static final TableId TABLE = new TableId("t", "ks", "modes", UUID.randomUUID());

    @TempDir
    Path tmp;

    @Test
    void writingFlushingAndCompactingLeavesOnlyPrivateFilesAndDirectories() throws Exception {
        assumeTrue(PrivateFiles.isPosix(tmp), "POSIX file system");
        Path data = tmp.resolve("data"); // created by the engine's stores, as on a first start
        try (LsmEngine engine = open(data)) {
            engine.createTable(TABLE).toCompletableFuture().join();
            // with point-in-time recovery its flushed commit logs stay on disk, to be checked too
            engine.configureTable(TABLE, new io.strata.storage.spi.TableSettings(864_000, null, true))
                    .toCompletableFuture().join();
            long ts = 1;
            for (int round = 0; round < 4; round++) {
                for (int k = 0; k < 100; k++) {
                    engine.apply(List.of(put(k, round, ts++))).toCompletableFuture().join();
                }
                engine.flush();
            }
            engine.compactFully();
            assertThat(engine.table(TABLE).segments()).as("compacted into one segment").hasSize(1);
        }
        try (LsmEngine reopened = open(data)) { // reads fill the disk cache from the data store
            assertThat(read(reopened, 7)).isEqualTo(3);
            reopened.apply(List.of(put(1000, 1, 1000))).toCompletableFuture().join();
        }

        List<String> files = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> all = Files.walk(data)) {
            all.forEach(p -> {
                String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                String mode = mode(p);
                if (!Files.isDirectory(p)) {
                    files.add(data.relativize(p).toString());
                }
                if (!mode.equals(expected)) {
                    wrong.add(mode + " " + data.relativize(p));
                }
            });
        }
        assertThat(files).as("the engine wrote logs, segments and its lock")
                .anyMatch(f -> f.endsWith(".log")).anyMatch(f -> f.startsWith("storage/zone-a/data/tables/"))
                .anyMatch(f -> f.endsWith("LOCK"));
        assertThat(wrong).as("files and directories that are not owner-only").isEmpty();
    }

    private static LsmEngine open(Path data) {
        EngineStorage zones = TestEngines.localZoneStorage(data, FileIO.DEFAULT);
        // with a disk cache, as the S3 backend runs, so that cache files are created too
        return LsmEngine.open(new EngineStorage(zones.wal(), zones.data(), zones.localDir(), 1L << 20),
                EngineOptions.defaults(), Clock.systemUTC());
    }

    private static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static PartitionUpdate put(int k, int v, long ts) {
        return IntRows.put(TABLE, k, v, ts);
    }

    private static int read(LsmEngine e, int k) {
        return IntRows.read(e, TABLE, k);
    }
}
