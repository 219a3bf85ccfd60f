package io.strata.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Strata gateway running as a child process from the built {@code quarkus-run.jar}, on an ephemeral CQL
 * port and a given data directory: what a user gets from the README's first command. Can be stopped
 * gracefully, killed with SIGKILL (kill -9) and restarted on the same data. The one way every end-to-end
 * and conformance test starts a gateway. Not thread-safe.
 */
public final class GatewayProcess implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> extraConfig;
    private final int cqlPort;
    private final int httpPort;
    private final Path log;
    private final List<String> jvmArgs = new ArrayList<>();
    private Process process;

    public GatewayProcess(Path dataDir, Map<String, String> extraConfig) {
        this.dataDir = dataDir;
        this.extraConfig = extraConfig;
        this.cqlPort = freePort();
        this.httpPort = freePort();
        // Logs outlive the test's temporary directory, so a failed run can be read afterwards.
        Path logs = Path.of(System.getProperty("strata.e2e.dir", "."), "target", "gateway-logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.log = logs.resolve(dataDir.getParent().getFileName() + "-" + dataDir.getFileName() + "-"
                + (E2eStorage.s3() ? "s3" : "local") + ".log");
    }

    static Path appJar() {
        String jar = System.getProperty("strata.gateway.app");
        if (jar == null) {
            throw new IllegalStateException("system property strata.gateway.app is not set (run through Maven)");
        }
        Path p = Path.of(jar);
        if (!Files.exists(p)) {
            throw new IllegalStateException("gateway application not built: " + p + " (run mvn package first)");
        }
        return p;
    }

    public int port() {
        return cqlPort;
    }

    /** JVM options for the next {@link #start()}; a {@code -Xmx} here replaces the default 1 GiB heap. */
    public GatewayProcess jvm(String... args) {
        jvmArgs.addAll(List.of(args));
        return this;
    }

    /** The admin HTTP port. */
    public int httpPort() {
        return httpPort;
    }

    /**
     * Creates a tenant through the admin API with the local default's operator token, as an operator would; a
     * tenant that already exists is fine.
     */
    public GatewayProcess createTenant(String name) {
        java.net.http.HttpResponse<String> r = adminPost("/admin/tenants", "{\"name\": \"" + name + "\"}");
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("creating tenant " + name + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return this;
    }

    /** POSTs {@code json} to the admin API with the local default's operator token; the response, whatever it is. */
    public java.net.http.HttpResponse<String> adminPost(String path, String json) {
        try {
            String operator = Files.readString(dataDir.resolve("operator-token"), StandardCharsets.UTF_8).trim();
            return sendWhenListening(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path))
                            .header("Authorization", "Bearer " + operator)
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                            .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // the CQL port may listen a moment before the HTTP one
    private static java.net.http.HttpResponse<String> sendWhenListening(java.net.http.HttpRequest request)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                return java.net.http.HttpClient.newHttpClient().send(request,
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The file the gateway logs to. */
    public Path logFile() {
        return log;
    }

    /** The running gateway's process id (for jcmd). */
    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    public GatewayProcess start() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Xmx"))) {
            cmd.add("-Xmx1g");
        }
        cmd.addAll(jvmArgs);
        cmd.add("-Dstrata.cql.host=127.0.0.1");
        cmd.add("-Dstrata.cql.port=" + cqlPort);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        cmd.add("-Dstrata.storage.local.path=" + dataDir);
        E2eStorage.config(dataDir).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        // capacity throttling is tested in the gateway module; these tests load data faster than Keyspaces' default
        // partition and table ceilings allow, so they run without it unless a test asks
        if (!extraConfig.containsKey("strata.capacity.enabled")) {
            cmd.add("-Dstrata.capacity.enabled=false");
        }
        extraConfig.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(appJar().toString());
        try {
            Files.createDirectories(dataDir);
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // Never leave a gateway behind, even when a test fails before closing it.
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitListening(Duration.ofSeconds(60));
        return this;
    }

    private void awaitListening(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + "; log:\n" + logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", cqlPort), 200);
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        throw new IllegalStateException("gateway did not listen on " + cqlPort + " in " + timeout + "; log:\n" + logTail());
    }

    public String devToken() {
        try {
            return Files.readString(dataDir.resolve("dev-token"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Graceful stop (SIGTERM), as an operator would. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    /** kill -9: no shutdown hooks, no flush. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
