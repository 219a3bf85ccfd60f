package io.strata.tenancy;

import io.strata.storage.spi.PrivateFiles;
import io.strata.tenancy.core.TenantContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestDevTenantBootstrap {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path data;

    private final MutableClock clock = new MutableClock(T0);

    @Test
    void firstRunCreatesKeysAndAWorkingToken() throws Exception {
        DevTenantBootstrap.Result result = new DevTenantBootstrap(data, clock).ensure("127.0.0.1", 9042, "dc1");

        assertThat(result.minted()).isTrue();
        assertThat(result.tokenFile()).isEqualTo(data.resolve("dev-token"));
        assertThat(Files.readString(result.tokenFile()).strip()).isEqualTo(result.token());
        assertThat(data.resolve("keys").resolve(SigningKeys.PRIVATE_KEY_FILE)).exists();
        assertThat(result.expiresAt()).isEqualTo(T0.plus(DevTenantBootstrap.TOKEN_LIFETIME));
        JwtAuthenticator authenticator = new JwtAuthenticator(result.keys(), TokenSettings.defaults(), clock);
        assertThat(authenticator.authenticate("token", result.token())).usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("dev", "dev"));
        assertThat(result.message())
                .contains("cqlsh 127.0.0.1 9042 -u token -p \"$(cat " + result.tokenFile().toAbsolutePath() + ")\"")
                .contains(".withLocalDatacenter(\"dc1\")")
                .contains("new InetSocketAddress(\"127.0.0.1\", 9042)")
                .doesNotContain(result.token());
        assertThat(result.toString()).doesNotContain(result.token());
    }

    @Test
    void tokenFileIsOwnerOnly() throws Exception {
        assumeTrue(PrivateFiles.isPosix(data), "POSIX file system");
        DevTenantBootstrap.Result result = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(result.tokenFile()))).isEqualTo("rw-------");
    }

    @Test
    void restartKeepsTheValidToken() throws Exception {
        DevTenantBootstrap.Result first = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");
        clock.advance(Duration.ofDays(20));

        DevTenantBootstrap.Result second = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(second.minted()).isFalse();
        assertThat(second.token()).isEqualTo(first.token());
        assertThat(second.expiresAt()).isEqualTo(first.expiresAt());
        assertThat(second.keys().keyId()).isEqualTo(first.keys().keyId());
    }

    @Test
    void replacesATokenNearItsExpiry() throws Exception {
        DevTenantBootstrap.Result first = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");
        clock.set(first.expiresAt().minus(DevTenantBootstrap.RENEW_BEFORE).plusSeconds(1));

        DevTenantBootstrap.Result second = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(second.minted()).isTrue();
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(second.expiresAt()).isAfter(first.expiresAt());
        assertThat(Files.readString(second.tokenFile()).strip()).isEqualTo(second.token());
    }

    @Test
    void replacesAnExpiredToken() throws Exception {
        DevTenantBootstrap.Result first = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");
        clock.set(first.expiresAt().plus(Duration.ofDays(30)));

        DevTenantBootstrap.Result second = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(second.minted()).isTrue();
        assertThat(second.keys().keyId()).isEqualTo(first.keys().keyId());
        assertThat(new JwtAuthenticator(second.keys(), TokenSettings.defaults(), clock)
                .authenticate("token", second.token()).tenantId()).isEqualTo("dev");
    }

    @Test
    void replacesATokenSignedByAReplacedKey() throws Exception {
        DevTenantBootstrap.Result first = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");
        Files.delete(data.resolve("keys").resolve(SigningKeys.PRIVATE_KEY_FILE));
        Files.delete(data.resolve("keys").resolve(SigningKeys.PUBLIC_KEY_FILE));

        DevTenantBootstrap.Result second = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(second.minted()).isTrue();
        assertThat(second.keys().keyId()).isNotEqualTo(first.keys().keyId());
        JwtAuthenticator authenticator = new JwtAuthenticator(second.keys(), TokenSettings.defaults(), clock);
        assertThat(authenticator.authenticate("token", second.token()).tenantId()).isEqualTo("dev");
    }

    @Test
    void replacesACorruptTokenFile() throws Exception {
        new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");
        Files.write(data.resolve("dev-token"), new byte[] {(byte) 0xff, 0, 'x'});

        DevTenantBootstrap.Result second = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(second.minted()).isTrue();
        assertThat(Files.readString(second.tokenFile()).strip()).isEqualTo(second.token());
    }

    @Test
    void replacesATokenMintedUnderAnotherIssuer() throws Exception {
        new DevTenantBootstrap(data, TokenSettings.defaults().withIssuer("old"), clock).ensure("localhost", 9042, "dc1");

        DevTenantBootstrap.Result second = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(second.minted()).isTrue();
        assertThat(new JwtAuthenticator(second.keys(), TokenSettings.defaults(), clock)
                .authenticate("token", second.token()).tenantId()).isEqualTo("dev");
    }

    @Test
    void mintsWithinTheMaximumLifetime() throws Exception {
        DevTenantBootstrap.Result result = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(Duration.between(T0, result.expiresAt())).isEqualTo(TokenLimits.DEFAULT_MAX_TOKEN_LIFETIME);
        assertThat(DevTenantBootstrap.TOKEN_LIFETIME).isLessThanOrEqualTo(TokenLimits.DEFAULT_MAX_TOKEN_LIFETIME);
    }

    @Test
    void shortensTheTokenToAConfiguredShorterMaximum() throws Exception {
        TokenSettings oneDay = TokenSettings.defaults().withMaxTokenLifetime(Duration.ofDays(1));
        DevTenantBootstrap.Result first = new DevTenantBootstrap(data, oneDay, clock).ensure("localhost", 9042, "dc1");

        assertThat(first.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(new JwtAuthenticator(first.keys(), oneDay, clock).authenticate("token", first.token()).tenantId())
                .isEqualTo("dev");
        // renewed a quarter lifetime before expiry, not 7 days (which would renew on every start)
        clock.advance(Duration.ofHours(17));
        assertThat(new DevTenantBootstrap(data, oneDay, clock).ensure("localhost", 9042, "dc1").minted()).isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(new DevTenantBootstrap(data, oneDay, clock).ensure("localhost", 9042, "dc1").minted()).isTrue();
    }

    @Test
    void replacesATokenLongerLivedThanTheMaximum() throws Exception {
        // what an earlier release minted: valid 365 days
        TokenSettings lenient = TokenSettings.defaults().withMaxTokenLifetime(Duration.ofDays(365));
        SigningKeys keys = SigningKeys.loadOrGenerate(data.resolve("keys"));
        Files.writeString(data.resolve("dev-token"),
                new TokenIssuer(keys, lenient, clock).mint("dev", "dev", Duration.ofDays(365)) + "\n");

        DevTenantBootstrap.Result second = new DevTenantBootstrap(data, clock).ensure("localhost", 9042, "dc1");

        assertThat(second.minted()).isTrue();
        assertThat(second.expiresAt()).isEqualTo(T0.plus(DevTenantBootstrap.TOKEN_LIFETIME));
    }
}
