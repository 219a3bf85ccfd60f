package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python driver (Debian's python3-cassandra) and the Node.js driver (npm cassandra-driver) against a
 * gateway, as the Java suite does: connect with the dev token, DDL, 10,000 prepared inserts, paged reads,
 * a wrong token refused; then the gateway restarts (graceful, then kill -9) and every row is read back,
 * and another tenant cannot see the keyspace. The Go driver (Debian's gocql 1.3.2, protocol v4, token-aware
 * routing) does the same with its own checks: LWTs, IN, schema metadata, routing. The scripts live in
 * src/test/python, src/test/node and src/test/go; .ci/run installs the three drivers.
 */
class TestOtherDrivers {
    @TempDir
    static Path tmp;

    static GatewayProcess gateway;

    /** Where Debian's golang-*-dev packages put Go sources (gocql 1.3.2 and its dependencies). */
    private static final String GOPATH = "/usr/share/gocode";

    @BeforeAll
    static void start() {
        gateway = new GatewayProcess(tmp.resolve("data"), Map.of()).start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void pythonDriver() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import cassandra").redirectErrorStream(true).start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0)
                .as("Debian's python3-cassandra is installed (apt-get install python3-cassandra, or run .ci/run)")
                .isTrue();
        loadRestartVerify(List.of("/usr/bin/python3", e2eDir().resolve("python/e2e_driver.py").toString()), "py_app");
    }

    /** A cqlsh-like session (server-side DESCRIBE, SELECT) through the Python driver cqlsh is built on. */
    @Test
    void cqlshSessionThroughThePythonDriver() throws Exception {
        run(List.of("/usr/bin/python3", e2eDir().resolve("python/cqlsh_session.py").toString(), "127.0.0.1",
                String.valueOf(gateway.port()), gateway.devToken(), "shell"));
    }

    @Test
    void nodeDriver() throws Exception {
        if (!Files.isDirectory(e2eDir().resolve("node/node_modules/cassandra-driver"))) {
            // The lock file pins the driver; npm ci installs exactly it from the npm registry.
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(e2eDir().resolve("node").toFile()).inheritIO().start();
            assertThat(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0).as("npm ci in src/test/node").isTrue();
        }
        loadRestartVerify(List.of("node", e2eDir().resolve("node/e2e_driver.js").toString()), "node_app");
    }

    /**
     * gocql 1.3.2 (Debian bookworm's), built offline in GOPATH mode with Debian's Go: prepared statements,
     * paging, IN, LWTs, {@code session.KeyspaceMetadata} (system_schema as gocql reads it) and a token-aware
     * policy that must route by the partition key rather than fall back to round-robin.
     */
    @Test
    void goDriver() throws Exception {
        loadRestartVerify(List.of(buildGoProgram().toString()), "go_app");
    }

    private static Path buildGoProgram() throws Exception {
        String install = "Debian's Go and gocql are needed (apt-get install golang-go golang-github-gocql-gocql-dev, "
                + "or run .ci/run)";
        assertThat(Path.of(GOPATH, "src/github.com/gocql/gocql/session.go")).as(install).exists();
        Path binary = e2eDir().resolve("target/gocql_e2e").toAbsolutePath();
        Path log = Files.createTempFile(tmp, "go-build", ".log");
        ProcessBuilder build = new ProcessBuilder("go", "build", "-o", binary.toString(), ".")
                .directory(e2eDir().resolve("go/gocql_e2e").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        build.environment().put("GO111MODULE", "off"); // GOPATH mode: no module proxy, no network
        build.environment().put("GOPATH", GOPATH);
        build.environment().remove("GOFLAGS");
        if (System.getenv("GOCACHE") == null && System.getenv("HOME") == null) {
            build.environment().put("GOCACHE", e2eDir().resolve("target/go-cache").toAbsolutePath().toString());
        }
        Process go;
        try {
            go = build.start();
        } catch (IOException e) {
            throw new AssertionError("no `go` command: " + install, e);
        }
        boolean done = go.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            go.destroyForcibly();
        }
        assertThat(done && go.exitValue() == 0)
                .as("go build of src/test/go/gocql_e2e (%s):%n%s", install, Files.readString(log)).isTrue();
        return binary;
    }

    private void loadRestartVerify(List<String> script, String keyspace) throws Exception {
        run(args(script, keyspace, "load"));
        gateway.stop();
        gateway.start();
        run(args(script, keyspace, "verify"));
        gateway.kill();
        gateway.start();
        List<String> verify = args(script, keyspace, "verify");
        verify.add(Tokens.mint(gateway.createTenant("other").dataDir(), "other", "someone", Duration.ofHours(1)));
        run(verify);
    }

    private List<String> args(List<String> script, String keyspace, String mode) {
        List<String> cmd = new ArrayList<>(script);
        cmd.addAll(List.of("127.0.0.1", String.valueOf(gateway.port()), gateway.devToken(), keyspace, mode));
        return cmd;
    }

    private static Path e2eDir() {
        return Path.of(System.getProperty("strata.e2e.dir", "src/test"));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "driver", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(done).as("driver script finished in time; output:\n%s\ngateway log:\n%s", output, gateway.logTail()).isTrue();
        assertThat(p.exitValue()).as("exit code of %s; output:\n%s\ngateway log:\n%s", command.subList(0, 2), output,
                gateway.logTail()).isZero();
        assertThat(output).contains("OK");
    }
}
