package io.strata.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.JwtAuthenticator;
import io.strata.tenancy.SigningKeys;
import io.strata.tenancy.TokenIssuer;
import io.strata.tenancy.TokenSettings;
import io.strata.tenancy.TrustedIssuer;
import io.strata.tenancy.core.TenantContext;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServiceProducers#buildAuthenticator}: the issuers {@code strata.auth.*} configures, against a loopback JWKS. */
final class TestAuthenticatorAssembly {
    private static final Instant NOW = Instant.parse("2040-03-01T12:00:00Z");
    private static final String KEYCLOAK = "https://keycloak.example.com/realms/prod";

    @TempDir
    Path data;

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private HttpServer server;
    private EllipticCurveJsonWebKey providerKey;
    private String jwksUrl;

    @BeforeEach
    void startProvider() throws Exception {
        providerKey = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        providerKey.setKeyId("kc-1");
        byte[] body = new JsonWebKeySet(providerKey).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                .getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/certs", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        jwksUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/certs";
    }

    @AfterEach
    void stopProvider() {
        server.stop(0);
    }

    @Test
    void byDefaultTrustsTheOwnKeyPairAndWritesTheDevToken() throws Exception {
        JwtAuthenticator authenticator = build(Map.of());

        assertThat(authenticator.issuers()).extracting(TrustedIssuer::issuer).containsExactly("strata");
        String devToken = Files.readString(data.resolve("dev-token")).strip();
        assertThat(authenticator.authenticate("token", devToken)).usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("dev", "dev"));
        assertThat(authenticator.limits().maxTokenLifetime()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void trustsTheOwnIssuerAndAKeycloakRealmTogether() throws Exception {
        JwtAuthenticator authenticator = build(Map.of(
                "strata.auth.issuers.keycloak.issuer", KEYCLOAK,
                "strata.auth.issuers.keycloak.jwks-url", jwksUrl));
        String own = new TokenIssuer(SigningKeys.load(data.resolve("keys")), TokenSettings.defaults(), clock)
                .mint("acme", "ops", Duration.ofHours(1));

        assertThat(authenticator.authenticate("token", own)).usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("acme", "ops"));
        // the realm's audience defaults to strata.auth.audience
        assertThat(authenticator.authenticate("token", keycloakToken("strata"))).usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("acme", "alice"));
        assertThatThrownBy(() -> authenticator.authenticate("token", keycloakToken("account")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("does not include 'strata'");
    }

    @Test
    void honoursAnIssuersOwnAudienceAndTurningTheOwnIssuerOff() throws Exception {
        JwtAuthenticator authenticator = build(Map.of(
                "strata.auth.own-issuer", "false",
                "strata.auth.issuers.keycloak.issuer", KEYCLOAK,
                "strata.auth.issuers.keycloak.jwks-url", jwksUrl,
                "strata.auth.issuers.keycloak.audience", "strata-kc"));

        assertThat(authenticator.issuers()).extracting(TrustedIssuer::name).containsExactly("keycloak");
        assertThat(authenticator.authenticate("token", keycloakToken("strata-kc")).tenantId()).isEqualTo("acme");
        assertThatThrownBy(() -> authenticator.authenticate("token", keycloakToken("strata")))
                .hasMessageContaining("does not include 'strata-kc'");
        String own = new TokenIssuer(SigningKeys.generate(), TokenSettings.defaults(), clock)
                .mint("acme", "ops", Duration.ofHours(1));
        assertThatThrownBy(() -> authenticator.authenticate("token", own))
                .hasMessageContaining("issuer 'strata' is not accepted; this server accepts tokens from '" + KEYCLOAK + "'");
        // no own issuer: no keys generated, no dev token
        assertThat(data.resolve("dev-token")).doesNotExist();
        assertThat(data.resolve("keys")).doesNotExist();
    }

    @Test
    void appliesTheConfiguredLimits() throws Exception {
        JwtAuthenticator authenticator = build(Map.of("strata.auth.max-token-lifetime", "1h",
                "strata.auth.clock-skew", "0s"));
        SigningKeys keys = SigningKeys.load(data.resolve("keys"));
        TokenSettings lenient = TokenSettings.defaults();

        assertThat(authenticator.limits().clockSkew()).isZero();
        assertThat(authenticator.authenticate("token",
                new TokenIssuer(keys, lenient, clock).mint("acme", "ops", Duration.ofHours(1))).tenantId()).isEqualTo("acme");
        assertThatThrownBy(() -> authenticator.authenticate("token",
                new TokenIssuer(keys, lenient, clock).mint("acme", "ops", Duration.ofHours(2))))
                .hasMessageContaining("maximum token lifetime of 1 hour");
        // the dev token was minted within the configured maximum
        String devToken = Files.readString(data.resolve("dev-token")).strip();
        assertThat(authenticator.authenticate("token", devToken).tenantId()).isEqualTo("dev");
    }

    @Test
    void refusesConfigurationsThatCannotWork() {
        assertThatThrownBy(() -> build(Map.of("strata.auth.own-issuer", "false")))
                .hasMessageContaining("no trusted token issuer");
        assertThatThrownBy(() -> build(Map.of("strata.auth.issuers.kc.issuer", KEYCLOAK)))
                .hasMessageContaining("set exactly one of strata.auth.issuers.kc.jwks-url and strata.auth.issuers.kc.public-key");
        assertThatThrownBy(() -> build(Map.of("strata.auth.issuers.kc.issuer", KEYCLOAK,
                "strata.auth.issuers.kc.jwks-url", jwksUrl, "strata.auth.issuers.kc.public-key", "/x.pem")))
                .hasMessageContaining("set exactly one of");
        assertThatThrownBy(() -> build(Map.of("strata.auth.issuers.kc.issuer", KEYCLOAK,
                "strata.auth.issuers.kc.jwks-url", "http://keycloak.example.com/certs")))
                .hasMessageContaining("strata.auth.issuers.kc: JWKS URL must use https");
        assertThatThrownBy(() -> build(Map.of("strata.auth.issuers.kc.issuer", "strata",
                "strata.auth.issuers.kc.jwks-url", jwksUrl)))
                .hasMessageContaining("both have iss 'strata'");
        assertThatThrownBy(() -> build(Map.of("strata.auth.clock-skew", "2h")))
                .hasMessageContaining("clock skew must be between 0 and 1 hour");
        assertThatThrownBy(() -> build(Map.of("strata.auth.max-token-lifetime", "400d")))
                .hasMessageContaining("maximum token lifetime must be");
    }

    private JwtAuthenticator build(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        AuthConfig auth = AuthConfigs.of(all);
        return ServiceProducers.buildAuthenticator(auth, auth.devTenant("local"), data, "127.0.0.1", 9042, "dc1", clock);
    }

    private String keycloakToken(String audience) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(KEYCLOAK);
        claims.setAudience(audience);
        claims.setSubject("alice");
        claims.setClaim("tenant", "acme");
        claims.setIssuedAt(NumericDate.fromSeconds(NOW.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(NOW.plusSeconds(300).getEpochSecond()));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(providerKey.getKeyId());
        jws.setKey(providerKey.getPrivateKey());
        return jws.getCompactSerialization();
    }
}
