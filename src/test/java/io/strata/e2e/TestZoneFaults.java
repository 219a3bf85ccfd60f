package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
        org.junit.jupiter.api.Assumptions.assumeFalse(E2eStorage.s3(), "zone directories exist on local storage only");
        Path data = tmp.resolve("data");
        GatewayProcess gateway = new GatewayProcess(data, Map.of(
                "strata.storage.engine.repair-interval", "1s",
                "strata.storage.engine.flush-threshold-bytes", "1048576")).start();
        try {
            Map<Integer, Integer> acknowledged = new ConcurrentHashMap<>();
            AtomicInteger failedWrites = new AtomicInteger();
            AtomicInteger failedReads = new AtomicInteger();
            AtomicInteger reads = new AtomicInteger();
            try (CqlSession s = connect(gateway)) {
                s.execute("CREATE KEYSPACE zones WITH replication = {'class': 'SingleRegionStrategy'}");
                s.execute("CREATE TABLE zones.kv (k int PRIMARY KEY, v int, pad text)");
                PreparedStatement insert = s.prepare("INSERT INTO zones.kv (k, v, pad) VALUES (?, ?, ?)");
                PreparedStatement select = s.prepare("SELECT v FROM zones.kv WHERE k = ?");
                String pad = "z".repeat(300);
                Semaphore inFlight = new Semaphore(32);
                AtomicInteger next = new AtomicInteger();
                long start = System.nanoTime();
                boolean wiped = false;
                while (System.nanoTime() - start < Duration.ofSeconds(8).toNanos()) {
                    if (!wiped && System.nanoTime() - start > Duration.ofSeconds(3).toNanos()) {
                        deleteTree(data.resolve("storage").resolve("zone-b"));
                        wiped = true;
                    }
                    inFlight.acquire();
                    int k = next.getAndIncrement();
                    s.executeAsync(insert.bind(k, k * 3, pad)).whenComplete((r, e) -> {
                        if (e == null) {
                            acknowledged.put(k, k * 3);
                        } else {
                            failedWrites.incrementAndGet();
                        }
                        inFlight.release();
                    });
                    if (k % 4 == 0 && k > 0) {
                        int probe = k / 2;
                        inFlight.acquire();
                        s.executeAsync(select.bind(probe)).whenComplete((r, e) -> {
                            if (e != null) {
                                failedReads.incrementAndGet();
                            }
                            reads.incrementAndGet();
                            inFlight.release();
                        });
                    }
                }
                inFlight.acquire(32);
                assertThat(failedWrites.get()).as("writes failed while a zone was lost").isZero();
                assertThat(failedReads.get()).as("reads failed while a zone was lost").isZero();
                assertThat(acknowledged.size()).isGreaterThan(1000);
                assertThat(reads.get()).isGreaterThan(100);

                // Repair without a human: zone b gets back every segment and manifest the others hold.
                Path a = data.resolve("storage/zone-a/data/tables");
                Path b = data.resolve("storage/zone-b/data/tables");
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!files(b).containsAll(files(a)) && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                }
                assertThat(files(b)).as("zone b rebuilt from the others").containsAll(files(a));
                assertThat(files(a)).as("segments were written during the test").anyMatch(f -> f.endsWith(".seg"));
                assertThat(Files.isDirectory(data.resolve("storage/zone-b/wal"))).as("commit log restarted in zone b").isTrue();
                assertThat(count(s, acknowledged)).isZero();
            }
            gateway.kill();
            gateway.start();
            try (CqlSession s = connect(gateway)) {
                assertThat(count(s, acknowledged)).as("acknowledged writes lost after kill -9 and restart").isZero();
            }
        } finally {
            gateway.close();
        }
    }

    /** How many acknowledged writes are missing or wrong. */
    private static int count(CqlSession s, Map<Integer, Integer> acknowledged) {
        Map<Integer, Integer> seen = new ConcurrentHashMap<>();
        for (Row r : s.execute(SimpleStatement.newInstance("SELECT k, v FROM zones.kv").setPageSize(2000))) {
            seen.put(r.getInt("k"), r.getInt("v"));
        }
        int bad = 0;
        for (var e : acknowledged.entrySet()) {
            if (!e.getValue().equals(seen.get(e.getKey()))) {
                bad++;
            }
        }
        return bad;
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
    private static void deleteTree(Path root) throws Exception {
        for (int attempt = 0; attempt < 20 && Files.exists(root); attempt++) {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                Thread.sleep(10);
            }
        }
    }

    private static CqlSession connect(GatewayProcess gateway) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", gateway.devToken())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                        .build())
                .build();
    }
}
