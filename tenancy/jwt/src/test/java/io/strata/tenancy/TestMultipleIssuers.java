package io.strata.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.tenancy.core.TenantContext;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strata's own issuer beside an identity provider publishing a JWKS over HTTP (a JDK HttpServer on
 * loopback): tokens are checked against the issuer their {@code iss} names.
 */
final class TestMultipleIssuers {
    private static final Instant T0 = Instant.parse("2040-03-01T12:00:00Z");
    private static final String AUDIENCE = "strata-prod";
    private static final SigningKeys OWN_KEYS = SigningKeys.generate();

    private final MutableClock clock = new MutableClock(T0);
    private JwksServer server;
    private String idp;
    private EllipticCurveJsonWebKey ec;
    private RsaJsonWebKey rsa;
    private JwtAuthenticator authenticator;

    @BeforeEach
    void startProvider() throws Exception {
        server = new JwksServer();
        idp = "http://127.0.0.1/realms/test";
        ec = ecKey("ec-1");
        rsa = rsaKey("rsa-1");
        server.publish(List.of(ec, rsa));
        authenticator = new JwtAuthenticator(List.of(
                TrustedIssuer.own(TokenSettings.defaults(), OWN_KEYS),
                new TrustedIssuer("keycloak", idp, AUDIENCE,
                        RemoteJwks.of(server.url(), Duration.ofMinutes(10), Duration.ofSeconds(30), clock))),
                TokenLimits.defaults(), clock);
    }

    @AfterEach
    void stopProvider() {
        server.close();
    }

    @Test
    void acceptsTokensSignedByTheProvidersEcAndRsaKeys() throws Exception {
        assertThat(authenticator.authenticate("token", providerToken(ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("acme", "alice"));
        assertThat(authenticator.authenticate("token", providerToken(rsa, AlgorithmIdentifiers.RSA_USING_SHA256)))
                .usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("acme", "alice"));
        assertThat(authenticator.verify(providerToken(ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)).issuer())
                .isEqualTo(idp);
        // the set is cached: one fetch for all of the above
        assertThat(server.fetches()).isEqualTo(1);
    }

    @Test
    void acceptsStrataTokensBesideTheProvider() throws Exception {
        String own = new TokenIssuer(OWN_KEYS, TokenSettings.defaults(), clock).mint("beta", "bob", Duration.ofHours(1));

        assertThat(authenticator.authenticate("token", own)).usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("beta", "bob"));
        assertThat(server.fetches()).isZero();
    }

    @Test
    void refusesTokensSignedByOtherKeys() throws Exception {
        EllipticCurveJsonWebKey impostor = ecKey("ec-1");
        RsaJsonWebKey rsaImpostor = rsaKey("rsa-1");

        assertThatThrownBy(() -> authenticator.authenticate("token",
                providerToken(impostor, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("signature is invalid");
        assertThatThrownBy(() -> authenticator.authenticate("token",
                providerToken(rsaImpostor, AlgorithmIdentifiers.RSA_USING_SHA256)))
                .hasMessageContaining("signature is invalid");
        EllipticCurveJsonWebKey unknown = ecKey("ec-unknown");
        assertThatThrownBy(() -> authenticator.authenticate("token",
                providerToken(unknown, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .hasMessageContaining("no trusted key matches this token (key id 'ec-unknown' is not in the key set"
                        + " published at " + server.url() + ")");
    }

    @Test
    void checksEachTokenAgainstTheIssuerItNames() throws Exception {
        // the provider's key cannot vouch for Strata's own issuer, nor Strata's key for the provider
        String providerKeyOwnIssuer = SignedTokens.sign(SignedTokens.claims("strata", "strata", T0),
                ec.getPrivateKey(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "ec-1");
        String ownKeyProviderIssuer = SignedTokens.sign(SignedTokens.claims(idp, AUDIENCE, T0),
                OWN_KEYS.privateKey(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, OWN_KEYS.keyId().orElseThrow());

        assertThatThrownBy(() -> authenticator.authenticate("token", providerKeyOwnIssuer))
                .hasMessageContaining("signature is invalid");
        assertThatThrownBy(() -> authenticator.authenticate("token", ownKeyProviderIssuer))
                .hasMessageContaining("no trusted key matches");
    }

    @Test
    void requiresEachIssuersOwnAudience() {
        String wrongAudience = SignedTokens.sign(SignedTokens.claims(idp, "strata", T0), ec.getPrivateKey(),
                AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "ec-1");

        assertThatThrownBy(() -> authenticator.authenticate("token", wrongAudience))
                .hasMessageContaining("does not include 'strata-prod', which tokens of issuer '" + idp + "' must carry");
    }

    @Test
    void refusesUnknownIssuersNamingTheAcceptedOnes() {
        String stranger = SignedTokens.sign(SignedTokens.claims("https://evil.example", AUDIENCE, T0),
                ec.getPrivateKey(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, "ec-1");

        assertThatThrownBy(() -> authenticator.authenticate("token", stranger))
                .hasMessageContaining("token issuer 'https://evil.example' is not accepted; this server accepts tokens"
                        + " from")
                .hasMessageContaining("'strata'")
                .hasMessageContaining("'" + idp + "'");
    }

    @Test
    void theProvidersTokensObeyTheLimitsToo() {
        JwtClaims claims = SignedTokens.claims(idp, AUDIENCE, T0);
        claims.setExpirationTimeMinutesInTheFuture(0);
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(
                Instant.parse("9999-01-01T00:00:00Z").getEpochSecond()));
        String forever = SignedTokens.sign(claims, rsa.getPrivateKey(), AlgorithmIdentifiers.RSA_USING_SHA256, "rsa-1");

        assertThatThrownBy(() -> authenticator.authenticate("token", forever))
                .hasMessageContaining("further ahead than the maximum token lifetime");
        assertThatThrownBy(() -> authenticator.authenticate("token",
                providerToken(rsa, AlgorithmIdentifiers.RSA_USING_SHA256) + "AAAA"))
                .hasMessageContaining("RS256 signature is 259 bytes, it must be 256");
    }

    @Test
    void picksUpARotatedKey() throws Exception {
        assertThat(authenticator.authenticate("token", providerToken(ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256))
                .tenantId()).isEqualTo("acme");
        EllipticCurveJsonWebKey next = ecKey("ec-2");
        server.publish(List.of(ec, next, rsa));

        assertThat(authenticator.authenticate("token", providerToken(next, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256))
                .tenantId()).isEqualTo("acme");
        assertThat(server.fetches()).isEqualTo(2);
        // the retired key stops working once the provider drops it and the set is refreshed
        server.publish(List.of(next));
        clock.advance(Duration.ofMinutes(1));
        EllipticCurveJsonWebKey third = ecKey("ec-3");
        assertThatThrownBy(() -> authenticator.authenticate("token",
                providerToken(third, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .hasMessageContaining("key id 'ec-3'");
        assertThatThrownBy(() -> authenticator.authenticate("token",
                providerToken(ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .hasMessageContaining("key id 'ec-1'");
    }

    @Test
    void rateLimitsRefreshesForUnknownKeyIds() throws Exception {
        authenticator.authenticate("token", providerToken(ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
        assertThat(server.fetches()).isEqualTo(1);

        for (int i = 0; i < 20; i++) {
            String madeUp = providerToken(ecKey("made-up-" + i), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            assertThatThrownBy(() -> authenticator.authenticate("token", madeUp)).hasMessageContaining("no trusted key");
        }
        assertThat(server.fetches()).isEqualTo(2);

        // a key rotated in during the quiet period is found once the interval has passed
        EllipticCurveJsonWebKey next = ecKey("ec-2");
        server.publish(List.of(ec, next));
        String rotated = providerToken(next, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        assertThatThrownBy(() -> authenticator.authenticate("token", rotated)).hasMessageContaining("key id 'ec-2'");
        clock.advance(Duration.ofSeconds(30));
        assertThat(authenticator.authenticate("token", rotated).tenantId()).isEqualTo("acme");
        assertThat(server.fetches()).isEqualTo(3);
    }

    @Test
    void reportsAnUnreachableProvider() throws Exception {
        URI url = server.url();
        server.close();
        JwtAuthenticator offline = new JwtAuthenticator(List.of(new TrustedIssuer("keycloak", idp, AUDIENCE,
                RemoteJwks.of(url, Duration.ofMinutes(10), Duration.ofSeconds(30), clock))), TokenLimits.defaults(), clock);

        assertThatThrownBy(() -> offline.authenticate("token",
                providerToken(ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("cannot fetch the issuer's keys from " + url)
                .hasMessageContaining("try again later");
    }

    @Test
    void refusesPlainHttpBeyondLoopbackWithoutContactingIt() {
        assertThatThrownBy(() -> RemoteJwks.of(URI.create("http://keycloak.example.com/certs"), Duration.ofMinutes(10),
                Duration.ofSeconds(30), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must use https");
        assertThatThrownBy(() -> RemoteJwks.of(URI.create("file:///etc/jwks.json"), Duration.ofMinutes(10),
                Duration.ofSeconds(30), clock))
                .hasMessageContaining("absolute https URL");
        assertThat(RemoteJwks.of(URI.create("https://keycloak.example.com/certs"), Duration.ofMinutes(10),
                Duration.ofSeconds(30), clock).url().getHost()).isEqualTo("keycloak.example.com");
    }

    @Test
    void refusesTwoIssuersWithTheSameIss(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("pub.pem");
        Files.writeString(pem, Pem.encodePublicKey(ec.getPublicKey()));
        TrustedIssuer a = new TrustedIssuer("a", idp, AUDIENCE, IssuerKeys.of(SigningKeys.verifyOnly(pem)));
        TrustedIssuer b = new TrustedIssuer("b", idp, AUDIENCE, IssuerKeys.of(SigningKeys.verifyOnly(pem)));

        assertThatThrownBy(() -> new JwtAuthenticator(List.of(a, b), TokenLimits.defaults(), clock))
                .hasMessageContaining("issuers 'a' and 'b' both have iss '" + idp + "'");
        assertThatThrownBy(() -> new JwtAuthenticator(List.of(), TokenLimits.defaults(), clock))
                .hasMessageContaining("no trusted issuer");
    }

    @Test
    void verifiesAnExternalIssuerByPemPublicKey(@TempDir Path dir) throws Exception {
        Path pem = dir.resolve("pub.pem");
        Files.writeString(pem, Pem.encodePublicKey(rsa.getPublicKey()));
        JwtAuthenticator byPem = new JwtAuthenticator(List.of(
                new TrustedIssuer("partner", idp, AUDIENCE, IssuerKeys.of(SigningKeys.verifyOnly(pem)))),
                TokenLimits.defaults(), clock);

        assertThat(byPem.authenticate("token", providerToken(rsa, AlgorithmIdentifiers.RSA_USING_SHA256)).principal())
                .isEqualTo("alice");
        assertThatThrownBy(() -> byPem.authenticate("token",
                providerToken(ec, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)))
                .hasMessageContaining("algorithm 'ES256'")
                .hasMessageContaining("RS256");
    }

    private String providerToken(PublicJsonWebKey key, String algorithm) {
        return SignedTokens.sign(SignedTokens.claims(idp, AUDIENCE, clock.instant()), key.getPrivateKey(), algorithm,
                key.getKeyId());
    }

    private static EllipticCurveJsonWebKey ecKey(String kid) throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId(kid);
        return key;
    }

    private static RsaJsonWebKey rsaKey(String kid) throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId(kid);
        return key;
    }
}
