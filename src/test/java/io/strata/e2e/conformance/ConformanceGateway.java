package io.strata.e2e.conformance;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The built gateway ({@code quarkus-run.jar}, path from the {@code strata.gateway.app} system property that
 * the module's POM sets) as a child process on an ephemeral loopback CQL port, with its data in a given
 * directory. Killed on close. Not thread-safe.
 */
final class ConformanceGateway implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    ConformanceGateway(Path dataDir) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.log = dataDir.resolveSibling("gateway.log");
        this.port = freePort();
    }

    ConformanceGateway start() throws IOException, InterruptedException {
        String jar = System.getProperty("strata.gateway.app");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("gateway not built (strata.gateway.app=" + jar + "): run mvn install first");
        }
        Files.createDirectories(dataDir);
        process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dstrata.cql.host=127.0.0.1",
                "-Dstrata.cql.port=" + port,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-Dstrata.storage.local.path=" + dataDir,
                "-jar", jar))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        // Polls the port: the gateway prints nothing machine-readable when it is ready.
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("gateway exited with " + process.exitValue() + ":\n" + logText());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("gateway did not listen on " + port + " within " + START_TIMEOUT + ":\n" + logText());
    }

    int port() {
        return port;
    }

    String devToken() throws IOException {
        return Files.readString(dataDir.resolve("dev-token"), StandardCharsets.UTF_8).trim();
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
