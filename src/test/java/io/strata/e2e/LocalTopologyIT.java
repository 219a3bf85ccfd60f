package io.strata.e2e;

import static io.strata.e2e.Podman.podman;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local topology, deploy/local/strata-zones.yaml, started with its one command ({@code podman kube play}): the
 * gateway over three S3-compatible zone servers (S3Proxy containers). A driver connects through the published
 * loopback port; with one zone server stopped the gateway keeps serving reads and writes and stays ready; with two
 * stopped, writes fail and readiness goes DOWN (zone quorum lost); one zone back and it serves again.
 *
 * <p>The test runs the committed file, renamed (pod, volumes) and on free host ports so that it cannot collide with
 * a developer's own pod. Runs in the {@code container} profile; fails without podman or the images.
 */
class LocalTopologyIT {
    private static final Path MANIFEST = Path.of(System.getProperty("strata.repo.dir", "../.."),
            "deploy", "local", "strata-zones.yaml");
    private static final String POD = "strata-it-topology";
    private static final String VOLUME_PREFIX = "strata-it-topo-";
    private static final int CQL_PORT = Podman.freePort();
    private static final int HTTP_PORT = Podman.freePort();
    private static Path manifest;

    @BeforeAll
    static void start() throws Exception {
        Podman.requireInstalled();
        for (String image : List.of(ContainerIT.IMAGE, "localhost/strata-s3proxy:4.1.0")) {
            assertThat(Podman.podmanStatus("image", "exists", image))
                    .as("image %s is missing: run deploy/build-image.sh and deploy/build-s3proxy-image.sh", image).isZero();
        }
        String yaml = Files.readString(MANIFEST)
                .replace("name: strata-local\n", "name: " + POD + "\n")
                .replace("claimName: strata-", "claimName: " + VOLUME_PREFIX)
                .replace("hostPort: 9042", "hostPort: " + CQL_PORT)
                .replace("hostPort: 8080", "hostPort: " + HTTP_PORT);
        assertThat(yaml).contains("name: " + POD, "hostPort: " + CQL_PORT, "hostPort: " + HTTP_PORT);
        manifest = Files.createTempFile("strata-topology", ".yaml");
        Files.writeString(manifest, yaml);
        cleanUp();
        podman("kube", "play", manifest.toString());
    }

    @AfterAll
    static void stop() throws IOException {
        if (manifest != null) {
            Path log = Path.of("target", POD + "-gateway.log");
            Files.createDirectories(log.getParent());
            Files.writeString(log, Podman.exec(List.of("podman", "logs", POD + "-gateway"), 60).output());
            cleanUp();
            Files.deleteIfExists(manifest);
        }
    }

    private static void cleanUp() {
        Podman.exec(List.of("podman", "kube", "down", manifest.toString()), 120);
        for (String v : List.of("zone-a", "zone-b", "zone-c", "data")) {
            Podman.podmanStatus("volume", "rm", "-f", VOLUME_PREFIX + v);
        }
    }

    @Test
    void oneZoneServerDownTheGatewayKeepsServingTwoDownItStopsTakingWritesAndIsNotReady() throws Exception {
        Map<Integer, Integer> written = new HashMap<>();
        try (CqlSession s = awaitCql(Duration.ofSeconds(120))) {
            s.execute("CREATE KEYSPACE zones WITH replication = {'class': 'SingleRegionStrategy'}");
            s.execute("CREATE TABLE zones.kv (k int PRIMARY KEY, v int)");
            PreparedStatement insert = s.prepare("INSERT INTO zones.kv (k, v) VALUES (?, ?)");
            for (int k = 0; k < 100; k++) {
                s.execute(insert.bind(k, k * 7));
                written.put(k, k * 7);
            }

            podman("stop", "-t", "5", POD + "-zone-b");
            for (int k = 100; k < 200; k++) {
                s.execute(insert.bind(k, k * 7));
                written.put(k, k * 7);
            }
            assertThat(readAll(s)).isEqualTo(written);
            Thread.sleep(6_000); // past the readiness probe's interval: the next answer probes the zones anew
            assertThat(http("/q/health/ready").statusCode()).as("ready with two of three zones").isEqualTo(200);

            podman("stop", "-t", "5", POD + "-zone-c");
            Thread.sleep(6_000);
            HttpResponse<String> notReady = http("/q/health/ready");
            assertThat(notReady.statusCode()).as("not ready without a zone quorum").isEqualTo(503);
            assertThat(notReady.body()).contains("storage-quorum", "fewer than the quorum");
            assertThat(http("/q/health/live").statusCode()).as("but alive").isEqualTo(200);
            boolean refused;
            try {
                s.execute(insert.bind(1000, 1));
                refused = false;
            } catch (RuntimeException e) {
                refused = true;
            }
            assertThat(refused).as("a write needs two of the three zones").isTrue();

            podman("start", POD + "-zone-b");
            awaitWrite(s, insert, Duration.ofSeconds(60));
            written.put(2000, 2000 * 7);
            assertThat(readAll(s)).containsAllEntriesOf(written);
        }
    }

    private static void awaitWrite(CqlSession s, PreparedStatement insert, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                s.execute(insert.bind(2000, 2000 * 7));
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private static Map<Integer, Integer> readAll(CqlSession s) {
        Map<Integer, Integer> rows = new HashMap<>();
        for (Row r : s.execute("SELECT k, v FROM zones.kv")) {
            rows.put(r.getInt("k"), r.getInt("v"));
        }
        rows.remove(1000); // the refused write may have reached one zone; it was never acknowledged
        return rows;
    }

    private static CqlSession awaitCql(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path token = Path.of(podman("volume", "inspect", "--format", "{{.Mountpoint}}", VOLUME_PREFIX + "data").strip(),
                "dev-token");
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(token)) {
                try {
                    CqlSession s = CqlSession.builder()
                            .addContactPoint(new InetSocketAddress("127.0.0.1", CQL_PORT))
                            .withLocalDatacenter("datacenter1")
                            .withAuthCredentials("token", Files.readString(token).strip())
                            .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                                    .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                                    .build())
                            .build();
                    s.execute("SELECT release_version FROM system.local");
                    return s;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no CQL answer from the topology within " + timeout + ":\n"
                + Podman.exec(List.of("podman", "logs", "--tail", "60", POD + "-gateway"), 60).output(), last);
    }

    private static HttpResponse<String> http(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
