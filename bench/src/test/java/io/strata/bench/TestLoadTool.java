package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class TestLoadTool {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void printsUsageOnHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: LoadTool <write|read|mixed>");
    }

    @Test
    void reportsUsageErrorsWithStatus2() {
        assertThat(run("write", "--concurrency", "none")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--concurrency must be an integer").contains("usage:");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void ycsbHasItsOwnUsageAndUsageErrors() {
        assertThat(run("ycsb", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: LoadTool ycsb");
        assertThat(run("ycsb", "--workload", "Z")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--workload must be").contains("usage: LoadTool ycsb");
    }

    @Test
    void ycsbReportsAnUnreachableServerWithStatus1() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(run("ycsb", "--port", Integer.toString(port), "--ops", "1", "--warmup", "0", "--threads", "1"))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: ");
    }

    @Test
    void reportsAnUnreachableServerWithStatus1() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // the port was free a moment ago and nothing listens on it now: the driver cannot connect
        assertThat(run("write", "--port", Integer.toString(port), "--ops", "1", "--warmup", "0")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("error: ");
    }

    @Test
    void sizesStreamsPerConnectionForTheConcurrency() {
        assertThat(LoadTool.maxRequestsPerConnection(LoadOptions.parse("write"))).isEqualTo(1024);
        assertThat(LoadTool.maxRequestsPerConnection(LoadOptions.parse("write", "--concurrency", "5000"))).isEqualTo(5000);
        assertThat(LoadTool.maxRequestsPerConnection(
                LoadOptions.parse("write", "--concurrency", "5000", "--connections", "4"))).isEqualTo(1250);
        assertThat(LoadTool.maxRequestsPerConnection(LoadOptions.parse("write", "--concurrency", "32768"))).isEqualTo(32768);
    }

    @Test
    void readsTheTokenFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertThat(run("read", "--token-file", dir.resolve("absent").toString(), "--ops", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read the token file");
    }

    private int run(String... args) {
        return LoadTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
