package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing, help and exit statuses common to every command, and the duration syntax. */
final class TestUsage {
    @TempDir
    Path dir;

    @Test
    void parsesDurations() {
        assertThat(Durations.parse("45s", "--ttl")).isEqualTo(Duration.ofSeconds(45));
        assertThat(Durations.parse("90m", "--ttl")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("12h", "--ttl")).isEqualTo(Duration.ofHours(12));
        assertThat(Durations.parse("30d", "--ttl")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("P7DT12H", "--ttl")).isEqualTo(Duration.ofHours(180));
        assertThatThrownBy(() -> Durations.parse("30 days", "--ttl")).hasMessageContaining("invalid --ttl '30 days'");
        assertThatThrownBy(() -> Durations.parse("1w", "--max-lifetime")).hasMessageContaining("invalid --max-lifetime");
        assertThatThrownBy(() -> Durations.parse("P9999999999999999D", "--ttl")).hasMessageContaining("invalid --ttl");
    }

    @Test
    void printsHelpOnStdoutWithStatus0ForEveryCommand() {
        Cli cli = new Cli(Clock.systemUTC(), dir);
        for (List<String> command : List.of(List.<String>of(), List.of("token"), List.of("token", "mint"),
                List.of("token", "operator"), List.of("token", "verify"), List.of("token", "keygen"),
                List.of("token", "jwks"), List.of("tenants"), List.of("tenants", "create"), List.of("tenants", "list"),
                List.of("tenants", "get"), List.of("tenants", "suspend"), List.of("tenants", "resume"),
                List.of("tenants", "delete"), List.of("tokens"), List.of("tokens", "issue"), List.of("tokens", "list"),
                List.of("tokens", "revoke"), List.of("storage"), List.of("storage", "status"),
                List.of("storage", "repair"))) {
            for (String help : List.of("--help", "-h")) {
                String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of(help))
                        .toArray(String[]::new);
                assertThat(cli.run(args)).as(String.join(" ", args)).isZero();
                assertThat(cli.stdout()).as(String.join(" ", args))
                        .startsWith("Usage: " + String.join(" ", java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("strata"), command.stream()).toList()));
                assertThat(cli.stderr()).isEmpty();
            }
        }
    }

    @Test
    void aGroupWithoutCommandIsAUsageError() {
        Cli cli = new Cli(Clock.systemUTC(), dir);

        assertThat(cli.run()).isEqualTo(2);
        assertThat(cli.stderr()).startsWith("error: missing command: give one of token, tenants, tokens, storage")
                .contains("Usage: strata");
        assertThat(cli.run("tenants")).isEqualTo(2);
        assertThat(cli.stderr()).contains("give one of create, list, get, suspend, resume, delete");
        assertThat(cli.run("frobnicate")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Unmatched argument at index 0: 'frobnicate'");
        assertThat(cli.run("tenant", "list")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Did you mean").contains("tenants");
        assertThat(cli.stdout()).isEmpty();
    }

    @Test
    void adminCommandsCheckTheirArgumentsBeforeCallingTheServer() {
        Cli cli = new Cli(Clock.systemUTC(), dir);
        // no server listens: every status here comes from the command line itself
        cli.variables.put("STRATA_URL", "http://127.0.0.1:9");

        assertThat(cli.run("tenants", "list")).isEqualTo(2);
        assertThat(cli.stderr()).contains("no operator token: pass --token or --token-file, set STRATA_TOKEN");
        assertThat(cli.run("tenants", "get", "--token", "t")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Missing required parameter: 'NAME'");
        assertThat(cli.run("tenants", "list", "--token", "t", "--token-file", "f")).isEqualTo(2);
        assertThat(cli.stderr()).contains("give only one of --token, --token-file");
        assertThat(cli.run("tenants", "list", "--token", "t", "--url", "ftp://x")).isEqualTo(2);
        assertThat(cli.stderr()).contains("invalid --url 'ftp://x'");
        assertThat(cli.run("tokens", "issue", "acme", "--token", "t")).isEqualTo(2);
        assertThat(cli.stderr()).contains("Missing required option: '--subject=SUBJECT'");
        assertThat(cli.run("tokens", "issue", "acme", "--subject", "s", "--ttl", "soon", "--token", "t")).isEqualTo(2);
        assertThat(cli.stderr()).contains("invalid --ttl 'soon'");
        assertThat(cli.run("tokens", "issue", "acme", "--subject", "s", "--allow", "NOPE", "--token", "t")).isEqualTo(2);
        assertThat(cli.stderr()).contains("error: --allow: ");
        assertThat(cli.run("tokens", "revoke", "acme", "--token", "t")).isEqualTo(2);
        assertThat(cli.stderr()).contains("give exactly one of TOKEN_ID and --subject");
        assertThat(cli.run("tokens", "revoke", "acme", "id", "--subject", "s", "--token", "t")).isEqualTo(2);
        assertThat(cli.stderr()).contains("give exactly one of TOKEN_ID and --subject");
        assertThat(cli.run("tenants", "list", "--token-file", "missing")).isEqualTo(1);
        assertThat(cli.stderr()).contains("error: no such file: " + dir.resolve("missing"));
        assertThat(cli.stdout()).isEmpty();
    }

    @Test
    void anUnreachableServerIsAFailureNamingTheUrl() {
        Cli cli = new Cli(Clock.systemUTC(), dir);

        // port 9 (discard) has no listener here: connection refused
        assertThat(cli.run("--url", "http://127.0.0.1:9/", "tenants", "list", "--token", "t")).isEqualTo(1);

        assertThat(cli.stderr()).isEqualTo("error: cannot connect to the gateway at http://127.0.0.1:9 (connection"
                + " refused): is it running there? Set --url or STRATA_URL\n");
        assertThat(cli.stdout()).isEmpty();
    }
}
