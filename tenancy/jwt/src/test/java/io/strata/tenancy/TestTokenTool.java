package io.strata.tenancy;

import io.strata.tenancy.core.TenantContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestTokenTool {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-05-01T00:00:00Z"));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void parsesTtls() {
        assertThat(TokenTool.parseTtl("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(TokenTool.parseTtl("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(TokenTool.parseTtl("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TokenTool.parseTtl("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(TokenTool.parseTtl("P7DT12H")).isEqualTo(Duration.ofHours(180));
        assertThatThrownBy(() -> TokenTool.parseTtl("30 days")).hasMessageContaining("invalid --ttl");
        assertThatThrownBy(() -> TokenTool.parseTtl("1w")).hasMessageContaining("invalid --ttl");
    }

    @Test
    void parsesOptionsInBothSpellings() {
        Map<String, String> options = TokenTool.parseOptions(
                new String[] {"mint", "--tenant", "acme", "--subject=bob"}, Set.of("tenant", "subject"));

        assertThat(options).containsOnly(Map.entry("tenant", "acme"), Map.entry("subject", "bob"));
        assertThatThrownBy(() -> TokenTool.parseOptions(new String[] {"mint", "--tenant"}, Set.of("tenant")))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> TokenTool.parseOptions(new String[] {"mint", "--x", "1"}, Set.of("tenant")))
                .hasMessageContaining("unknown option --x");
        assertThatThrownBy(() -> TokenTool.parseOptions(new String[] {"mint", "--tenant", "a", "--tenant", "b"},
                Set.of("tenant"))).hasMessageContaining("given twice");
        assertThatThrownBy(() -> TokenTool.parseOptions(new String[] {"mint", "acme"}, Set.of("tenant")))
                .hasMessageContaining("unexpected argument");
    }

    @Test
    void mintsATokenTheServerAccepts() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        int status = run("mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "30d");

        assertThat(status).isZero();
        String token = stdout().strip();
        assertThat(token.split("\\.")).hasSize(3);
        JwtAuthenticator.VerifiedToken verified =
                new JwtAuthenticator(signingKeys, TokenSettings.defaults(), clock).verify(token);
        assertThat(verified.context()).usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("acme", "ops"));
        assertThat(verified.expiresAt()).isEqualTo(Instant.parse("2030-05-31T00:00:00Z"));
    }

    @Test
    void verifiesTokens() throws Exception {
        Path keys = dir.resolve("keys");
        assertThat(run("keygen", "--keys", keys.toString())).isZero();
        String keyId = stdout().strip();
        assertThat(keyId).isEqualTo(SigningKeys.load(keys).keyId().orElseThrow());
        out.reset();
        assertThat(run("mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "1h")).isZero();
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, stdout());
        out.reset();

        assertThat(run("verify", "--keys", keys.toString(), "--token-file", tokenFile.toString())).isZero();
        assertThat(stdout()).isEqualTo("tenant=acme principal=ops expires=2030-05-01T01:00:00Z\n");

        clock.advance(Duration.ofHours(2));
        assertThat(run("verify", "--public-key", keys.resolve(SigningKeys.PUBLIC_KEY_FILE).toString(),
                "--token-file", tokenFile.toString())).isEqualTo(1);
        assertThat(stderr()).contains("token refused: token expired at 2030-05-01T01:00:00Z");
    }

    @Test
    void refusesATtlBeyondTheMaximumLifetime() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys.loadOrGenerate(keys);

        assertThat(run("mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "31d"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--ttl 31d is longer than the maximum token lifetime of 30 days")
                .contains("strata.auth.max-token-lifetime");
        assertThat(stdout()).isEmpty();
        assertThat(run("mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "1h",
                "--max-lifetime", "30m")).isEqualTo(2);
        assertThat(stderr()).contains("maximum token lifetime of 30 minutes");
        assertThat(run("mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "1h",
                "--max-lifetime", "400d")).isEqualTo(2);
        assertThat(stderr()).contains("invalid --max-lifetime");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void mintsLongerTokensForServersThatAllowThem() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        assertThat(run("mint", "--keys", keys.toString(), "--tenant", "acme", "--subject", "ops", "--ttl", "60d",
                "--max-lifetime", "90d")).isZero();
        String token = stdout().strip();
        TokenSettings ninetyDays = TokenSettings.defaults().withMaxTokenLifetime(Duration.ofDays(90));
        assertThat(new JwtAuthenticator(signingKeys, ninetyDays, clock).verify(token).expiresAt())
                .isEqualTo(Instant.parse("2030-06-30T00:00:00Z"));
        // a server with the default maximum refuses it
        assertThatThrownBy(() -> new JwtAuthenticator(signingKeys, TokenSettings.defaults(), clock).verify(token))
                .hasMessageContaining("further ahead than the maximum token lifetime of 30 days allows");
        out.reset();
        assertThat(run("verify", "--keys", keys.toString(), "--token", token)).isEqualTo(1);
        assertThat(stderr()).contains("token refused: token expires at 2030-06-30T00:00:00Z, further ahead");
        assertThat(run("verify", "--keys", keys.toString(), "--token", token, "--max-lifetime", "90d")).isZero();
    }

    @Test
    void printsJwks() throws Exception {
        Path keys = dir.resolve("keys");
        SigningKeys signingKeys = SigningKeys.loadOrGenerate(keys);

        assertThat(run("jwks", "--keys", keys.toString())).isZero();
        assertThat(stdout().strip()).isEqualTo(signingKeys.publicJwks());
    }

    @Test
    void reportsUsageErrorsWithStatus2() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(stderr()).contains("unknown command 'frobnicate'").contains("usage: TokenTool");
        assertThat(run("mint", "--keys", dir.toString(), "--tenant", "acme", "--ttl", "1h")).isEqualTo(2);
        assertThat(stderr()).contains("--subject is required");
        assertThat(run("verify", "--keys", "a", "--jwks", "b", "--token", "t")).isEqualTo(2);
        assertThat(stderr()).contains("give only one of --keys, --public-key, --jwks");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void reportsBadInputWithStatus1() {
        assertThat(run("mint", "--keys", dir.resolve("missing").toString(), "--tenant", "acme", "--subject", "s",
                "--ttl", "1h")).isEqualTo(1);
        assertThat(stderr()).contains("error: no such file: " + dir.resolve("missing").resolve(SigningKeys.PRIVATE_KEY_FILE));
        assertThat(run("mint", "--keys", dir.toString(), "--tenant", "Not Valid", "--subject", "s", "--ttl", "1h"))
                .isEqualTo(1);
        assertThat(stderr()).contains("invalid tenant name");
        assertThat(stdout()).isEmpty();
    }

    private int run(String... args) {
        return TokenTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
