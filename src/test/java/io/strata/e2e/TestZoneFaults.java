package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zone's directory deleted during load (a disk lost): writes and reads through the Java driver keep
 * succeeding, nothing acknowledged is lost, and the background repair rebuilds the zone from the other two
 * without anyone asking; after a kill -9 and a restart every acknowledged write is still there.
 */
class TestZoneFaults {
    @TempDir
    Path tmp;

    @Test
    void aWipedZoneIsRebuiltWhileWritesAndReadsContinue() throws Exception {
        Assumptions.assumeFalse(E2eStorage.s3(), "zone directories exist on local storage only");
        Path data = tmp.resolve("data");
        GatewayProcess gateway = new GatewayProcess(data, Map.of(
                "strata.storage.engine.repair-interval", "1s",
                "strata.storage.engine.flush-threshold-bytes", "1048576")).start();
        FaultLoad load = new FaultLoad("zones");
        try {
            try (CqlSession s = FaultLoad.connect(gateway, Duration.ofSeconds(10))) {
                load.createSchema(s);
                load.run(s, Duration.ofSeconds(8), Duration.ofSeconds(3),
                        () -> deleteTree(data.resolve("storage").resolve("zone-b")), 32);
                assertThat(load.failedWrites.get()).as("writes failed while a zone was lost").isZero();
                assertThat(load.failedReads.get()).as("reads failed while a zone was lost").isZero();
                assertThat(load.acknowledged.size()).isGreaterThan(1000);
                assertThat(load.reads.get()).isGreaterThan(100);

                // Repair without a human: zone b gets back every segment and manifest the others hold.
                Path a = data.resolve("storage/zone-a/data/tables");
                Path b = data.resolve("storage/zone-b/data/tables");
                // Compactions keep adding segments: compare one snapshot of each zone taken together.
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                Set<String> inA = files(a);
                Set<String> inB = files(b);
                while (!inB.containsAll(inA) && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                    inA = files(a);
                    inB = files(b);
                }
                assertThat(inB).as("zone b rebuilt from the others").containsAll(inA);
                assertThat(inA).as("segments were written during the test").anyMatch(f -> f.endsWith(".seg"));
                assertThat(Files.isDirectory(data.resolve("storage/zone-b/wal"))).as("commit log restarted in zone b").isTrue();
                assertThat(load.missing(s)).isZero();
            }
            gateway.kill();
            gateway.start();
            try (CqlSession s = FaultLoad.connect(gateway, Duration.ofSeconds(10))) {
                assertThat(load.missing(s)).as("acknowledged writes lost after kill -9 and restart").isZero();
            }
        } finally {
            gateway.close();
        }
    }

    private static Set<String> files(Path root) {
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(n -> !n.contains("/.") && !n.startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException | UncheckedIOException e) {
            return Set.of(); // being rewritten concurrently: ask again
        }
    }

    /** rm -rf, retried: the gateway may create files while the tree is being removed. */
    private static void deleteTree(Path root) {
        for (int attempt = 0; attempt < 20 && Files.exists(root); attempt++) {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // files appeared or vanished while walking: try again
            }
        }
    }
}
