package io.strata.e2e;

import static io.strata.e2e.Podman.podman;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The JVM image ({@code localhost/strata:latest}, built by deploy/build-image.sh) run under podman as a user would:
 * a named volume for {@code /var/lib/strata}, the CQL and HTTP ports published on 127.0.0.1 only, configuration by
 * environment variables. The Java driver logs in with the dev token read from the volume, writes, and everything
 * survives a graceful {@code podman stop} (under load: readiness DOWN, drain, storage closed) and a
 * {@code podman kill} (SIGKILL) under load: no acknowledged write is lost. Finally the image goes to the loopback
 * registry and comes back, by digest, into an empty image store.
 *
 * <p>Runs only in the {@code container} profile ({@code .ci/run} after deploy/setup-podman.sh and
 * deploy/build-image.sh); there, a missing podman or image fails it. Measurements (start to first CQL answer, idle
 * RSS, image size) go to {@code target/container-measurements.txt} for docs/deploy.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIT {
    static final String IMAGE = System.getProperty("strata.e2e.image", "localhost/strata:latest");
    static final String REGISTRY = System.getProperty("strata.e2e.registry", "127.0.0.1:5000");
    private static final String NAME = "strata-it-" + ProcessHandle.current().pid();
    private static final String VOLUME = NAME + "-data";
    private static final int CQL_PORT = Podman.freePort();
    private static final int HTTP_PORT = Podman.freePort();
    private static final String NAME2 = NAME + "-secrets";
    private static final String VOLUME2 = NAME2 + "-data";
    private static final int CQL_PORT2 = Podman.freePort();
    private static final int HTTP_PORT2 = Podman.freePort();
    private static final int ROWS = 300;
    private static final Map<String, String> MEASURED = new LinkedHashMap<>();
    private static final FaultLoad STOP_LOAD = new FaultLoad("stopload");

    @BeforeAll
    static void requirePodmanAndTheImage() {
        MEASURED.put("podman", Podman.requireInstalled());
        assertThat(Podman.podmanStatus("image", "exists", IMAGE))
                .as("image %s is missing: run deploy/build-image.sh first", IMAGE).isZero();
        MEASURED.put("image", IMAGE + " " + podman("image", "inspect", "--format", "{{.Id}}", IMAGE).strip());
        long size = Long.parseLong(podman("image", "inspect", "--format", "{{.Size}}", IMAGE).strip());
        MEASURED.put("image size (MB)", Long.toString(size / 1_000_000));
        Podman.podmanStatus("rm", "-f", NAME);
        Podman.podmanStatus("volume", "rm", "-f", VOLUME);
        podman("volume", "create", VOLUME);
    }

    @AfterAll
    static void removeTheContainerAndReport() throws IOException {
        if (Podman.podmanStatus("container", "exists", NAME) == 0) {
            Path log = Path.of("target", NAME + ".log");
            Files.createDirectories(log.getParent());
            Files.writeString(log, Podman.exec(List.of("podman", "logs", NAME), 60).output());
            Podman.podmanStatus("rm", "-f", "-t", "0", NAME);
        }
        Podman.podmanStatus("volume", "rm", "-f", VOLUME);
        Podman.podmanStatus("rm", "-f", "-t", "0", NAME2);
        Podman.podmanStatus("volume", "rm", "-f", VOLUME2);
        StringBuilder out = new StringBuilder();
        MEASURED.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "container-measurements.txt"), out.toString());
        System.out.print("Container measurements:\n" + out);
    }

    @Test
    @Order(1)
    void startsFromAnEmptyVolumeAndServesTheDevTenantWithTheTokenInTheVolume() throws Exception {
        long start = System.nanoTime();
        podman("run", "-d", "--name", NAME,
                "-v", VOLUME + ":/var/lib/strata",
                "-p", "127.0.0.1:" + CQL_PORT + ":9042", "-p", "127.0.0.1:" + HTTP_PORT + ":8080",
                "--memory", "1g",
                // configuration is environment only: every strata.* key maps (here, the tests' load needs no
                // capacity ceilings, and a short drain deadline suits podman stop's timeout)
                "-e", "STRATA_CAPACITY_ENABLED=false", "-e", "STRATA_CQL_SHUTDOWN_DRAIN=8s",
                IMAGE);
        try (CqlSession s = awaitCql(Duration.ofSeconds(90))) {
            double seconds = (System.nanoTime() - start) / 1e9;
            MEASURED.put("podman run to first CQL answer (s)", String.format("%.2f", seconds));
            s.execute("CREATE KEYSPACE app WITH replication = {'class': 'SingleRegionStrategy'}");
            s.execute("CREATE TABLE app.kv (k int PRIMARY KEY, v text)");
            PreparedStatement insert = s.prepare("INSERT INTO app.kv (k, v) VALUES (?, ?)");
            for (int k = 0; k < ROWS; k++) {
                s.execute(insert.bind(k, "value-" + k));
            }
            assertThat(readAll(s)).hasSize(ROWS);
        }
        assertThat(http("/q/health/ready").statusCode()).isEqualTo(200);
        assertThat(podman("exec", NAME, "id", "-u").strip()).as("runs as a non-root user").isEqualTo("185");
        assertThat(podman("port", NAME)).contains("127.0.0.1:" + CQL_PORT).doesNotContain("0.0.0.0:");

        Thread.sleep(5_000); // idle: JIT and start-up work settle
        long pid = Long.parseLong(podman("inspect", "--format", "{{.State.Pid}}", NAME).strip());
        MEASURED.put("idle RSS of the JVM (MB)", Long.toString(rssKb(pid) / 1024));
        MEASURED.put("idle container memory (podman stats)",
                podman("stats", "--no-stream", "--format", "{{.MemUsage}}", NAME).strip());
    }

    @Test
    @Order(2)
    void aGracefulStopUnderLoadDrainsClosesTheStorageLastAndLosesNothing() throws Exception {
        try (CqlSession s = session(Duration.ofSeconds(5))) {
            STOP_LOAD.createSchema(s);
            // podman stop runs beside the load, so requests are in flight while the gateway drains
            java.util.concurrent.CompletableFuture<Long> stop = new java.util.concurrent.CompletableFuture<>();
            STOP_LOAD.run(s, Duration.ofSeconds(6), Duration.ofSeconds(3), () -> new Thread(() -> {
                long t = System.nanoTime();
                try {
                    podman("stop", "-t", "30", NAME);
                    stop.complete((System.nanoTime() - t) / 1_000_000);
                } catch (RuntimeException e) {
                    stop.completeExceptionally(e);
                }
            }).start(), 16);
            MEASURED.put("podman stop under load (ms)", Long.toString(stop.get(60, java.util.concurrent.TimeUnit.SECONDS)));
            MEASURED.put("graceful stop: writes acknowledged / refused or failed", STOP_LOAD.acknowledged.size() + " / "
                    + STOP_LOAD.failedWrites.get());
            assertThat(STOP_LOAD.acknowledged).isNotEmpty();
        }
        String exit = podman("inspect", "--format", "{{.State.ExitCode}}", NAME).strip();
        assertThat(exit).as("stopped by SIGTERM, not killed after the timeout").isNotEqualTo("137");
        String log = podman("logs", NAME);
        int drained = log.lastIndexOf("CQL endpoint drained");
        int stopped = log.lastIndexOf("CQL endpoint stopped");
        int storageClosed = log.lastIndexOf("Closing storage");
        assertThat(drained).as("the endpoint drained (log:\n%s)", tail(log)).isPositive();
        MEASURED.put("drain", log.substring(drained, log.indexOf('\n', drained)));
        assertThat(stopped).isGreaterThan(drained);
        assertThat(storageClosed).as("storage closes after the CQL endpoint stopped").isGreaterThan(stopped);

        podman("start", NAME);
        try (CqlSession s = awaitCql(Duration.ofSeconds(90))) {
            Map<Integer, String> rows = readAll(s);
            assertThat(rows).hasSize(ROWS);
            for (int k = 0; k < ROWS; k++) {
                assertThat(rows.get(k)).isEqualTo("value-" + k);
            }
            assertThat(STOP_LOAD.missing(s)).as("acknowledged writes missing after the graceful stop").isZero();
        }
    }

    @Test
    @Order(3)
    void sigkillUnderLoadLosesNoAcknowledgedWrite() throws Exception {
        FaultLoad load = new FaultLoad("killload");
        try (CqlSession s = session(Duration.ofSeconds(5))) {
            load.createSchema(s);
            load.run(s, Duration.ofSeconds(6), Duration.ofSeconds(3), () -> podman("kill", "-s", "KILL", NAME), 32);
        }
        assertThat(load.acknowledged).isNotEmpty();
        assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", NAME).strip()).isEqualTo("137");
        MEASURED.put("writes acknowledged before SIGKILL", Integer.toString(load.acknowledged.size()));
        MEASURED.put("writes refused or failed from SIGKILL to the end of the load", Integer.toString(load.failedWrites.get()));

        podman("start", NAME);
        try (CqlSession s = awaitCql(Duration.ofSeconds(90))) {
            assertThat(load.missing(s)).as("acknowledged writes missing after SIGKILL").isZero();
            assertThat(readAll(s)).hasSize(ROWS);
        }
    }

    @Test
    @Order(4)
    void theImageGoesToTheRegistryAndComesBackByDigest(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        String repo = REGISTRY + "/strata-it";
        Path digestFile = tmp.resolve("digest");
        podman("push", "--tls-verify=false", "--digestfile", digestFile.toString(), IMAGE, repo + ":" + NAME);
        String digest = Files.readString(digestFile).strip();
        assertThat(digest).startsWith("sha256:");
        MEASURED.put("pushed", repo + "@" + digest);

        // into an empty image store, so the pull really fetches every layer
        Path root = tmp.resolve("storage");
        Path runroot = tmp.resolve("run");
        List<String> store = List.of("--root", root.toString(), "--runroot", runroot.toString(), "--storage-driver", "vfs");
        try {
            String[] pull = concat(store, "pull", "-q", "--tls-verify=false", repo + "@" + digest);
            podman(pull);
            String pulledId = podman(concat(store, "image", "inspect", "--format", "{{.Id}}", repo + "@" + digest)).strip();
            String localId = podman("image", "inspect", "--format", "{{.Id}}", IMAGE).strip();
            assertThat(pulledId).isEqualTo(localId);
            String user = podman(concat(store, "image", "inspect", "--format", "{{.Config.User}}", repo + "@" + digest));
            assertThat(user.strip()).isEqualTo("185");
        } finally {
            Podman.exec(List.of(concat(List.of("podman"), concat(store, "rmi", "-a", "-f"))), 120);
        }
    }

    @Test
    @Order(5)
    void keysFromReadOnlyMountedSecretsOnAReadOnlyRootAndNoDevTenantOutsideTheLocalDefault(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // the keys the first container generated, laid out as deploy/kubernetes mounts its Secrets
        Path data = Path.of(podman("volume", "inspect", "--format", "{{.Mountpoint}}", VOLUME).strip());
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        Path master = Files.createDirectories(tmp.resolve("master-keys"));
        for (String f : List.of("signing-key.pem", "signing-key.pub.pem")) {
            Files.copy(data.resolve("keys").resolve(f), keys.resolve(f));
        }
        try (var files = Files.list(data.resolve("keys/master"))) {
            for (Path f : files.toList()) {
                Files.copy(f, master.resolve(f.getFileName()));
            }
        }
        String pagingKey = Files.readString(data.resolve("keys/paging.key")).strip();
        String operator = Files.readString(data.resolve("operator-token")).strip();
        Podman.run("chown", "-R", "185:185", keys.toString(), master.toString()); // as a pod's fsGroup would
        Podman.run("chmod", "-R", "go-rwx", keys.toString(), master.toString());

        Podman.podmanStatus("volume", "rm", "-f", VOLUME2);
        podman("run", "-d", "--name", NAME2, "--read-only",
                "-v", VOLUME2 + ":/var/lib/strata",
                "-v", keys + ":/etc/strata/keys:ro", "-v", master + ":/etc/strata/master-keys:ro",
                "-p", "127.0.0.1:" + CQL_PORT2 + ":9042", "-p", "127.0.0.1:" + HTTP_PORT2 + ":8080",
                "-e", "STRATA_AUTH_DEV_TENANT=false",
                "-e", "STRATA_AUTH_KEYS_PATH=/etc/strata/keys",
                "-e", "STRATA_STORAGE_ENCRYPTION_KEY_DIR=/etc/strata/master-keys",
                "-e", "STRATA_CQL_PAGING_KEY=" + pagingKey,
                IMAGE);
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + HTTP_PORT2;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                try {
                    status = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            assertThat(status).as("ready; log:\n%s", tail(podman("logs", NAME2))).isEqualTo(200);
            Path data2 = Path.of(podman("volume", "inspect", "--format", "{{.Mountpoint}}", VOLUME2).strip());
            assertThat(data2.resolve("dev-token")).as("no dev tenant without the local default").doesNotExist();
            assertThat(data2.resolve("keys/signing-key.pem")).as("keys came from the mounts").doesNotExist();
            assertThat(data2.resolve("keys/master")).doesNotExist();

            // the operator token of the first container verifies: same signing key
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/tenants"))
                    .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"acme\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> issued = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/tenants/acme/tokens"))
                    .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"subject\": \"it\", \"lifetime\": \"P1D\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
            var m = java.util.regex.Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(issued.body());
            assertThat(m.find()).as(issued.body()).isTrue();
            try (CqlSession s = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", CQL_PORT2))
                    .withLocalDatacenter("datacenter1").withAuthCredentials("token", m.group(1)).build()) {
                s.execute("CREATE KEYSPACE acme WITH replication = {'class': 'SingleRegionStrategy'}");
                s.execute("CREATE TABLE acme.t (k int PRIMARY KEY, v text)");
                s.execute("INSERT INTO acme.t (k, v) VALUES (1, 'sealed')");
                assertThat(s.execute("SELECT v FROM acme.t WHERE k = 1").one().getString(0)).isEqualTo("sealed");
            }
            assertThat(podman("logs", NAME2)).contains("wrapped by master key '"
                    + Files.readString(master.resolve("current")).strip() + "' in /etc/strata/master-keys");
        } finally {
            Podman.podmanStatus("rm", "-f", "-t", "0", NAME2);
            Podman.podmanStatus("volume", "rm", "-f", VOLUME2);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(String[]::new);
    }

    /** The dev token, read from the named volume on the host (root reads the volume's directory directly). */
    static String devToken() {
        Path mount = Path.of(podman("volume", "inspect", "--format", "{{.Mountpoint}}", VOLUME).strip());
        try {
            return Files.readString(mount.resolve("dev-token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("no dev token in volume " + VOLUME + " at " + mount, e);
        }
    }

    static CqlSession session(Duration requestTimeout) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", CQL_PORT))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", devToken())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                        .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                        .build())
                .build();
    }

    /** A session once the container answers CQL (the published port accepts before the gateway listens). */
    static CqlSession awaitCql(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            String state = podman("inspect", "--format", "{{.State.Status}}", NAME).strip();
            if (!state.equals("running")) {
                throw new AssertionError("container " + NAME + " is " + state + ":\n" + tail(podman("logs", NAME)));
            }
            try {
                if (!Files.exists(Path.of(podman("volume", "inspect", "--format", "{{.Mountpoint}}", VOLUME).strip(),
                        "dev-token"))) {
                    Thread.sleep(100);
                    continue;
                }
                CqlSession s = session(Duration.ofSeconds(10));
                s.execute("SELECT release_version FROM system.local");
                return s;
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no CQL answer from " + NAME + " within " + timeout + ":\n"
                + tail(podman("logs", NAME)), last);
    }

    private static Map<Integer, String> readAll(CqlSession s) {
        Map<Integer, String> rows = new HashMap<>();
        for (Row r : s.execute(SimpleStatement.newInstance("SELECT k, v FROM app.kv").setPageSize(1000))) {
            rows.put(r.getInt("k"), r.getString("v"));
        }
        return rows;
    }

    private static HttpResponse<String> http(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
    }
}
