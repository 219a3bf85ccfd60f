package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.spi.PrivateFiles;
import io.strata.tenancy.JwtAuthenticator;
import io.strata.tenancy.SigningKeys;
import io.strata.tenancy.TokenIssuer;
import io.strata.tenancy.TokenSettings;
import io.strata.tenancy.core.TenantContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata token ...}: the offline commands (ported from TokenTool's tests, same semantics). */
final class TestTokenCommand {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-05-01T00:00:00Z"));
    private Cli cli;

    private Cli cli() {
        if (cli == null) {
            cli = new Cli(clock, dir);
        }
        return cli;
    }

    private int run(String... args) {
        return cli().run(args);
    }

    private String stdout() {
        return cli().stdout();
    }

    private String stderr() {
        return cli().stderr();
    }

    @Test
    void mintsATokenTheServerAccepts() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        int status = run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "30d");

        assertThat(status).isZero();
        assertThat(stderr()).isEmpty();
        String token = stdout().strip();
        assertThat(token.split("\\.")).hasSize(3);
        TenantContext verified = new JwtAuthenticator(signingKeys, TokenSettings.defaults(), clock)
                .authenticate("token", token);
        assertThat(verified.tenantId()).isEqualTo("acme");
        assertThat(verified.principal()).isEqualTo("ops");
        assertThat(verified.validUntil()).isEqualTo(Instant.parse("2030-05-31T00:00:00Z"));
        assertThat(payload(token)).doesNotContain("roles", "permissions");
    }

    @Test
    void mintsGrantsAndTheTenantAdminRole() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl=1h",
                "--allow", "SELECT:app.users,SELECT|MODIFY:app.*", "--tenant-admin")).isZero();

        String token = stdout().strip();
        assertThat(payload(token)).contains("\"permissions\":[\"SELECT:app.users\",\"SELECT|MODIFY:app.*\"]",
                "\"roles\":[\"" + TokenIssuer.TENANT_ADMIN_ROLE + "\"]");
        TenantContext verified = new JwtAuthenticator(signingKeys, TokenSettings.defaults(), clock)
                .authenticate("token", token);
        assertThat(verified.tenantId()).isEqualTo("acme");
        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl",
                "1h", "--allow", "SELEKT:app")).isEqualTo(2);
        assertThat(stderr()).startsWith("error: --allow: ");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void mintsOperatorTokensForTheAdminApi() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        assertThat(run("token", "operator", "--keys", keys.toString(), "--subject", "ops", "--ttl", "1d")).isZero();

        JwtAuthenticator.Operator operator = new JwtAuthenticator(signingKeys, TokenSettings.defaults(), clock)
                .verifyOperator(stdout().strip());
        assertThat(operator.subject()).isEqualTo("ops");
        assertThat(operator.expiresAt()).isEqualTo(Instant.parse("2030-05-02T00:00:00Z"));
        // an operator token opens no CQL connection
        Path tokenFile = Files.writeString(dir.resolve("op"), stdout());
        assertThat(run("token", "verify", "--keys", keys.toString(), "--token-file", tokenFile.toString())).isEqualTo(1);
        assertThat(stderr()).contains("token refused: this is an operator token");
    }

    @Test
    void keygenWritesOwnerOnlyFilesAndDirectories() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PrivateFiles.isPosix(dir), "POSIX file system");
        Path keys = dir.resolve("new/keys");
        assertThat(run("token", "keygen", "--keys", keys.toString())).isZero();

        assertThat(mode(dir.resolve("new"))).isEqualTo("rwx------");
        assertThat(mode(keys)).isEqualTo("rwx------");
        assertThat(mode(keys.resolve(SigningKeys.PRIVATE_KEY_FILE))).isEqualTo("rw-------");
        assertThat(mode(keys.resolve(SigningKeys.PUBLIC_KEY_FILE))).isEqualTo("rw-------");
    }

    private static String mode(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void verifiesTokens() throws Exception {
        Path keys = dir.resolve("keys");
        assertThat(run("token", "keygen", "--keys", keys.toString())).isZero();
        String keyId = stdout().strip();
        assertThat(keyId).isEqualTo(SigningKeys.load(keys).keyId().orElseThrow());
        assertThat(stderr()).contains("wrote a new key pair to " + keys);
        assertThat(run("token", "keygen", "--keys", keys.toString())).isZero();
        assertThat(stdout().strip()).isEqualTo(keyId);
        assertThat(stderr()).contains("kept the existing key pair in " + keys);
        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "1h"))
                .isZero();
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, stdout());

        assertThat(run("token", "verify", "--keys", keys.toString(), "--token-file", tokenFile.toString())).isZero();
        assertThat(stdout()).isEqualTo("tenant=acme principal=ops expires=2030-05-01T01:00:00Z\n");
        assertThat(run("token", "verify", "--jwks", Files.writeString(dir.resolve("jwks.json"),
                SigningKeys.load(keys).publicJwks()).toString(), "--token", Files.readString(tokenFile).strip())).isZero();

        clock.advance(Duration.ofHours(2));
        assertThat(run("token", "verify", "--public-key", keys.resolve(SigningKeys.PUBLIC_KEY_FILE).toString(),
                "--token-file", tokenFile.toString())).isEqualTo(1);
        assertThat(stderr()).contains("token refused: token expired at 2030-05-01T01:00:00Z");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void refusesATtlBeyondTheMaximumLifetime() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys.loadOrGenerate(keys);

        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "31d"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--ttl 31d is longer than the maximum token lifetime of 30 days")
                .contains("strata.auth.max-token-lifetime").contains("Usage: strata token mint");
        assertThat(stdout()).isEmpty();
        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "1h",
                "--max-lifetime", "30m")).isEqualTo(2);
        assertThat(stderr()).contains("maximum token lifetime of 30 minutes");
        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "1h",
                "--max-lifetime", "400d")).isEqualTo(2);
        assertThat(stderr()).contains("invalid --max-lifetime");
        assertThat(run("token", "operator", "--keys", keys.toString(), "--subject", "ops", "--ttl", "0s")).isEqualTo(2);
        assertThat(stderr()).contains("--ttl must be at least 1 second: 0s");
        assertThat(run("token", "operator", "--keys", keys.toString(), "--subject", "ops", "--ttl", "1w")).isEqualTo(2);
        assertThat(stderr()).contains("invalid --ttl '1w'");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void mintsLongerTokensForServersThatAllowThem() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "60d",
                "--max-lifetime", "90d")).isZero();
        String token = stdout().strip();
        TokenSettings ninetyDays = TokenSettings.defaults().withMaxTokenLifetime(Duration.ofDays(90));
        assertThat(new JwtAuthenticator(signingKeys, ninetyDays, clock).authenticate("token", token).validUntil())
                .isEqualTo(Instant.parse("2030-06-30T00:00:00Z"));
        // a server with the default maximum refuses it
        assertThatThrownBy(() -> new JwtAuthenticator(signingKeys, TokenSettings.defaults(), clock)
                .authenticate("token", token))
                .hasMessageContaining("further ahead than the maximum token lifetime of 30 days allows");
        assertThat(run("token", "verify", "--keys", keys.toString(), "--token", token)).isEqualTo(1);
        assertThat(stderr()).contains("token refused: token expires at 2030-06-30T00:00:00Z, further ahead");
        assertThat(run("token", "verify", "--keys", keys.toString(), "--token", token, "--max-lifetime", "90d")).isZero();
    }

    @Test
    void mintsForAnotherIssuerAndAudience() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        assertThat(run("token", "mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "1h",
                "--issuer", "strata-eu", "--audience", "db-eu")).isZero();
        String token = stdout().strip();

        assertThat(payload(token)).contains("\"iss\":\"strata-eu\"", "\"aud\":\"db-eu\"");
        assertThat(run("token", "verify", "--keys", keys.toString(), "--token", token)).isEqualTo(1);
        assertThat(run("token", "verify", "--keys", keys.toString(), "--token", token, "--issuer", "strata-eu",
                "--audience", "db-eu")).isZero();
        assertThat(new JwtAuthenticator(signingKeys, TokenSettings.defaults().withIssuer("strata-eu")
                .withAudience("db-eu"), clock).authenticate("token", token).tenantId()).isEqualTo("acme");
    }

    @Test
    void printsJwks() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        assertThat(run("token", "jwks", "--keys", keys.toString())).isZero();
        assertThat(stdout().strip()).isEqualTo(signingKeys.publicJwks());
    }

    @Test
    void reportsUsageErrorsWithStatus2() {
        assertThat(run("token")).isEqualTo(2);
        assertThat(stderr()).contains("missing command: give one of mint, operator, verify, keygen, jwks");
        assertThat(run("token", "frobnicate")).isEqualTo(2);
        assertThat(stderr()).contains("Unmatched argument at index 1: 'frobnicate'").contains("Usage: strata token");
        assertThat(run("token", "mint", "--keys", dir.toString(), "--tenant", "acme", "--ttl", "1h")).isEqualTo(2);
        assertThat(stderr()).contains("Missing required option: '--subject=SUBJECT'");
        assertThat(run("token", "mint", "--keys", dir.toString(), "--tenant")).isEqualTo(2);
        assertThat(stderr()).contains("Missing required parameter for option '--tenant'");
        assertThat(run("token", "mint", "--keys", dir.toString(), "--tenant", "a", "--tenant", "b", "--subject", "s",
                "--ttl", "1h")).isEqualTo(2);
        assertThat(stderr()).contains("should be specified only once");
        assertThat(run("token", "mint", "--keys", dir.toString(), "--tenant", "a", "--subject", "s", "--ttl", "1h",
                "acme")).isEqualTo(2);
        assertThat(stderr()).contains("Unmatched argument at index 10: 'acme'");
        assertThat(run("token", "mint", "--keys", dir.toString(), "--tenant", "a", "--subject", "s", "--ttl", "1h",
                "--x", "1")).isEqualTo(2);
        assertThat(stderr()).contains("Unknown options: '--x', '1'");
        assertThat(run("token", "verify", "--keys", "a", "--jwks", "b", "--token", "t")).isEqualTo(2);
        assertThat(stderr()).contains("mutually exclusive").contains("--keys").contains("--jwks");
        assertThat(run("token", "verify", "--keys", "a")).isEqualTo(2);
        assertThat(stderr()).contains("Missing required argument").contains("--token");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void reportsBadInputWithStatus1() {
        assertThat(run("token", "mint", "--keys", dir.resolve("missing").toString(), "--tenant", "acme", "--subject", "s",
                "--ttl", "1h")).isEqualTo(1);
        assertThat(stderr()).contains("error: no such file: "
                + dir.resolve("missing").resolve(SigningKeys.PRIVATE_KEY_FILE));
        assertThat(run("token", "mint", "--keys", dir.toString(), "--tenant", "Not Valid", "--subject", "s", "--ttl",
                "1h")).isEqualTo(1);
        assertThat(stderr()).contains("invalid tenant name");
        assertThat(run("token", "verify", "--keys", dir.resolve("missing").toString(), "--token", "x")).isEqualTo(1);
        assertThat(stderr()).contains("error: no such file: ");
        assertThat(stdout()).isEmpty();
    }

    private static String payload(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
