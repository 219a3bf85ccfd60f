package io.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class TestLoadOptions {
    @Test
    void appliesDefaults() {
        LoadOptions options = LoadOptions.parse("write");

        assertThat(options.workload()).isEqualTo(Workload.WRITE);
        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isEqualTo(9042);
        assertThat(options.authenticates()).isFalse();
        assertThat(options.username()).isEmpty();
        assertThat(options.keyspace()).isEqualTo("strata_bench");
        assertThat(options.table()).isEqualTo("kv");
        assertThat(options.ops()).isZero();
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.concurrency()).isEqualTo(64);
        assertThat(options.rows()).isEqualTo(100_000);
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.protocol()).isEmpty();
        assertThat(options.createSchema()).isFalse();
        assertThat(options.dc()).isEqualTo("datacenter1");
        assertThat(options.connections()).isEqualTo(1);
        assertThat(options.readRatio()).isEqualTo(0.5);
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.consistency()).isEqualTo("LOCAL_ONE");
        assertThat(options.firstKey()).isZero();
    }

    @Test
    void parsesEveryOption() {
        LoadOptions options = LoadOptions.parse("mixed", "--host", "10.0.0.5", "--port=9142", "--username", "svc",
                "--password", "s3cret", "--keyspace", "ks1", "--table", "t_1", "--ops", "1_000_000",
                "--concurrency", "256", "--rows", "5000", "--warmup", "0", "--protocol", "v4", "--create-schema",
                "--dc", "datacenter1", "--connections", "4", "--read-ratio", "0.9", "--timeout", "2.5",
                "--consistency", "local_quorum", "--seed", "-3", "--first-key", "1000");

        assertThat(options.workload()).isEqualTo(Workload.MIXED);
        assertThat(options.host()).isEqualTo("10.0.0.5");
        assertThat(options.port()).isEqualTo(9142);
        assertThat(options.username()).contains("svc");
        assertThat(options.password()).contains("s3cret");
        assertThat(options.keyspace()).isEqualTo("ks1");
        assertThat(options.table()).isEqualTo("t_1");
        assertThat(options.ops()).isEqualTo(1_000_000);
        assertThat(options.duration()).isEqualTo(Duration.ZERO);
        assertThat(options.concurrency()).isEqualTo(256);
        assertThat(options.rows()).isEqualTo(5000);
        assertThat(options.warmup()).isEqualTo(Duration.ZERO);
        assertThat(options.protocol()).contains("V4");
        assertThat(options.createSchema()).isTrue();
        assertThat(options.dc()).isEqualTo("datacenter1");
        assertThat(options.connections()).isEqualTo(4);
        assertThat(options.readRatio()).isEqualTo(0.9);
        assertThat(options.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(options.consistency()).isEqualTo("LOCAL_QUORUM");
        assertThat(options.seed()).isEqualTo(-3);
        assertThat(options.firstKey()).isEqualTo(1000);
    }

    @Test
    void tokenAuthDefaultsTheUsernameToToken() {
        LoadOptions withPassword = LoadOptions.parse("read", "--password", "eyJ.x.y");
        LoadOptions withFile = LoadOptions.parse("read", "--token-file", "/data/dev-token", "--duration", "12");

        assertThat(withPassword.username()).contains("token");
        assertThat(withPassword.authenticates()).isTrue();
        assertThat(withFile.username()).contains("token");
        assertThat(withFile.tokenFile()).contains(Path.of("/data/dev-token"));
        assertThat(withFile.password()).isEqualTo(Optional.empty());
        assertThat(withFile.duration()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(LoadOptions.parse("read", "--password", "top-secret-token").toString())
                .doesNotContain("top-secret-token");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|missing workload",
        "scan|unknown workload 'scan'",
        "write --frobnicate 1|unknown option --frobnicate",
        "write --ops|--ops needs a value",
        "write --ops 10 --duration 5|not both",
        "write --password p --token-file f|not both",
        "write --username u|--username needs --password",
        "write --port 0|--port must be between 1 and 65535",
        "write --port abc|--port must be an integer",
        "write --ops 0|--ops must be between 1",
        "write --concurrency 0|--concurrency must be between 1",
        "write --duration 0|--duration out of range",
        "write --duration -1|--duration out of range",
        "write --warmup x|--warmup must be a number of seconds",
        "write --protocol v3|--protocol must be v4, v5 or auto",
        "write --keyspace ks;drop|--keyspace must be an unquoted CQL identifier",
        "write --table 1t|--table must be an unquoted CQL identifier",
        "write --read-ratio 1.5|--read-ratio must be between 0 and 1",
        "write --consistency SERIAL|--consistency must be one of",
        "write --create-schema=yes|--create-schema takes no value",
        "write --rows 5 --rows 6|--rows given twice",
        "write --first-key -1|--first-key must be between 0 and",
        "write extra|unexpected argument 'extra'"
    })
    void refusesInvalidArguments(String commandLine, String message) {
        String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" ");

        assertThatThrownBy(() -> LoadOptions.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void autoProtocolMeansNegotiate() {
        assertThat(LoadOptions.parse("write", "--protocol", "auto").protocol()).isEmpty();
        assertThat(LoadOptions.parse("write", "--protocol", "V5").protocol()).contains("V5");
    }
}
