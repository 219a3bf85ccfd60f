package io.strata.tenancy;

import io.strata.tenancy.core.TenantContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestJwtAuthenticator {
    // Years ahead of the system clock: proves expiry is judged by the injected clock, not by jose4j's.
    private static final Instant T0 = Instant.parse("2040-03-01T12:00:00Z");
    private static final SigningKeys KEYS = SigningKeys.generate();

    private final MutableClock clock = new MutableClock(T0);
    // no skew: expiry to the second; tests of the skew say so
    private final TokenSettings settings = TokenSettings.defaults().withClockSkew(Duration.ZERO);
    private final TokenIssuer issuer = new TokenIssuer(KEYS, settings, clock);
    private final JwtAuthenticator authenticator = new JwtAuthenticator(KEYS, settings, clock);

    @Test
    void acceptsValidTokenAndReportsTenantAndPrincipal() throws Exception {
        String token = issuer.mint("acme", "alice", Duration.ofHours(1));

        assertThat(authenticator.authenticate("token", token)).usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("acme", "alice"));
        assertThat(authenticator.verify(token).expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void acceptsTokenUntilTheSecondItExpires() throws Exception {
        String token = issuer.mint("acme", "alice", Duration.ofHours(1));

        clock.advance(Duration.ofHours(1).minusSeconds(1));
        assertThat(authenticator.authenticate("token", token).tenantId()).isEqualTo("acme");
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> authenticator.authenticate("token", token))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("token expired at 2040-03-01T13:00:00Z")
                .hasMessageContaining("server time 2040-03-01T13:00:00Z");
    }

    @Test
    void refusesExpiredToken() {
        String token = issuer.mint("acme", "alice", Duration.ofMinutes(5));
        clock.advance(Duration.ofDays(2));

        assertThatThrownBy(() -> authenticator.authenticate("token", token))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("expired at 2040-03-01T12:05:00Z");
    }

    @Test
    void clockSkewToleratesRecentlyExpiredToken() throws Exception {
        String token = issuer.mint("acme", "alice", Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(5).plusSeconds(10));
        JwtAuthenticator lenient = new JwtAuthenticator(KEYS, TokenSettings.defaults(), clock);
        assertThat(TokenSettings.defaults().clockSkew()).isEqualTo(Duration.ofSeconds(30));

        assertThat(lenient.authenticate("token", token).principal()).isEqualTo("alice");
        assertThatThrownBy(() -> authenticator.authenticate("token", token)).hasMessageContaining("expired");
    }

    @Test
    void refusesTokenSignedByAnotherKey() {
        SigningKeys other = SigningKeys.generate();
        String forged = new TokenIssuer(other, settings, clock).mint("acme", "mallory", Duration.ofHours(1));

        assertThatThrownBy(() -> authenticator.authenticate("token", forged))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("signature is invalid");
    }

    @Test
    void refusesTamperedPayload() throws Exception {
        String token = issuer.mint("acme", "alice", Duration.ofHours(1));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"tenant\":\"acme\"");
        String altered = payload.replace("\"tenant\":\"acme\"", "\"tenant\":\"evil\"");
        String tampered = parts[0] + "." + base64url(altered) + "." + parts[2];

        assertThatThrownBy(() -> authenticator.authenticate("token", tampered))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("signature is invalid");
    }

    @Test
    void refusesTokenWithoutTenant() throws Exception {
        JwtClaims claims = standardClaims();
        claims.unsetClaim("tenant");

        assertThatThrownBy(() -> authenticator.authenticate("token", sign(claims)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no 'tenant' claim");
    }

    @Test
    void refusesMalformedTenant() throws Exception {
        JwtClaims claims = standardClaims();
        claims.setClaim("tenant", "Acme Corp");

        assertThatThrownBy(() -> authenticator.authenticate("token", sign(claims)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("tenant 'Acme Corp' is not a valid tenant name");
    }

    @Test
    void refusesTokenWithoutSubject() throws Exception {
        JwtClaims claims = standardClaims();
        claims.unsetClaim("sub");

        assertThatThrownBy(() -> authenticator.authenticate("token", sign(claims)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no subject");
    }

    @Test
    void refusesTokenWithoutExpiry() throws Exception {
        JwtClaims claims = standardClaims();
        claims.unsetClaim("exp");

        assertThatThrownBy(() -> authenticator.authenticate("token", sign(claims)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no expiry");
    }

    @Test
    void refusesTokenNotYetValid() throws Exception {
        JwtClaims claims = standardClaims();
        claims.setNotBefore(NumericDate.fromSeconds(T0.plusSeconds(600).getEpochSecond()));

        assertThatThrownBy(() -> authenticator.authenticate("token", sign(claims)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("not valid before 2040-03-01T12:10:00Z");
    }

    @Test
    void refusesWrongIssuer() {
        String token = new TokenIssuer(KEYS, settings.withIssuer("someone-else"), clock)
                .mint("acme", "alice", Duration.ofHours(1));

        assertThatThrownBy(() -> authenticator.authenticate("token", token))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("issuer 'someone-else' is not accepted")
                .hasMessageContaining("accepts tokens from 'strata'");
    }

    @Test
    void honoursConfiguredIssuer() throws Exception {
        TokenSettings custom = settings.withIssuer("https://auth.example.com");
        String token = new TokenIssuer(KEYS, custom, clock).mint("acme", "alice", Duration.ofHours(1));

        assertThat(new JwtAuthenticator(KEYS, custom, clock).authenticate("token", token).tenantId())
                .isEqualTo("acme");
        assertThatThrownBy(() -> authenticator.authenticate("token", token)).hasMessageContaining("issuer");
    }

    @Test
    void requiresTheConfiguredAudience() throws Exception {
        TokenSettings withAudience = settings.withAudience("strata-eu");
        JwtAuthenticator strict = new JwtAuthenticator(KEYS, withAudience, clock);
        String withAud = new TokenIssuer(KEYS, withAudience, clock).mint("acme", "alice", Duration.ofHours(1));
        String otherAud = new TokenIssuer(KEYS, settings.withAudience("strata-us"), clock)
                .mint("acme", "alice", Duration.ofHours(1));

        assertThat(strict.authenticate("token", withAud).tenantId()).isEqualTo("acme");
        assertThatThrownBy(() -> strict.authenticate("token", otherAud))
                .hasMessageContaining("audience [strata-us] does not include 'strata-eu'");
        // the default audience is 'strata', so a token for another audience is refused by default too
        assertThatThrownBy(() -> authenticator.authenticate("token", withAud))
                .hasMessageContaining("does not include 'strata'");
    }

    @Test
    void refusesTokenWithoutAudience() throws Exception {
        JwtClaims claims = standardClaims();
        claims.unsetClaim("aud");

        assertThatThrownBy(() -> authenticator.authenticate("token", sign(claims)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no audience ('aud' claim)")
                .hasMessageContaining("must carry 'strata'");
    }

    @Test
    void acceptsAudienceAsAList() throws Exception {
        JwtClaims claims = standardClaims();
        claims.setAudience("account", "strata");

        assertThat(authenticator.authenticate("token", sign(claims)).tenantId()).isEqualTo("acme");
    }

    @Test
    void refusesEmptyPassword() {
        assertThatThrownBy(() -> authenticator.authenticate("token", null)).hasMessageContaining("empty password");
        assertThatThrownBy(() -> authenticator.authenticate("token", "")).hasMessageContaining("empty password");
        assertThatThrownBy(() -> authenticator.authenticate("token", "  ")).hasMessageContaining("empty password");
    }

    @Test
    void refusesGarbage() {
        for (String garbage : new String[] {"hunter2", "a.b", "!!!.???.###", "e30.e30.", "bm90IGpzb24.e30.c2ln", ".e30.c2ln"}) {
            assertThatThrownBy(() -> authenticator.authenticate("token", garbage))
                    .as(garbage)
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("not a JWT");
        }
    }

    @Test
    void refusesUnsignedAndForeignAlgorithms() throws Exception {
        String none = base64url("{\"alg\":\"none\"}") + "." + base64url(standardClaims().toJson()) + ".";
        assertThatThrownBy(() -> authenticator.authenticate("token", none))
                .hasMessageContaining("algorithm 'none'")
                .hasMessageContaining("ES256");

        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(standardClaims().toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(new byte[32]));
        String hs256 = hmac.getCompactSerialization();
        assertThatThrownBy(() -> authenticator.authenticate("token", hs256)).hasMessageContaining("algorithm 'HS256'");

        String truncated = issuer.mint("acme", "alice", Duration.ofHours(1));
        String unsigned = truncated.substring(0, truncated.lastIndexOf('.') + 1);
        assertThatThrownBy(() -> authenticator.authenticate("token", unsigned)).hasMessageContaining("no signature");
    }

    @Test
    void refusesEncryptedTokens() {
        assertThatThrownBy(() -> authenticator.authenticate("token", "a.b.c.d.e")).hasMessageContaining("JWE");
    }

    @Test
    void refusesOversizedToken() throws Exception {
        JwtClaims claims = standardClaims();
        claims.setClaim("padding", "x".repeat(JwtAuthenticator.MAX_TOKEN_LENGTH));
        String big = sign(claims);

        assertThat(big.length()).isGreaterThan(JwtAuthenticator.MAX_TOKEN_LENGTH);
        assertThatThrownBy(() -> authenticator.authenticate("token", big))
                .hasMessageContaining("token too long")
                .hasMessageContaining("8192");
    }

    @Test
    void acceptsTokenJustUnderTheSizeLimit() throws Exception {
        JwtClaims claims = standardClaims();
        String small = sign(claims);
        int room = JwtAuthenticator.MAX_TOKEN_LENGTH - small.length() - 40;
        claims.setClaim("padding", "x".repeat(room * 3 / 4));
        String token = sign(claims);

        assertThat(token.length()).isBetween(JwtAuthenticator.MAX_TOKEN_LENGTH - 100, JwtAuthenticator.MAX_TOKEN_LENGTH);
        assertThat(authenticator.authenticate("token", token).tenantId()).isEqualTo("acme");
    }

    @Test
    void verifiesRs256WithOperatorRsaKeys(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path privateFile = dir.resolve("rsa.pem");
        Path publicFile = dir.resolve("rsa.pub.pem");
        Files.writeString(privateFile, Pem.encodePrivateKey(pair.getPrivate()));
        Files.writeString(publicFile, Pem.encodePublicKey(pair.getPublic()));
        SigningKeys rsa = SigningKeys.fromPem(privateFile, publicFile);
        String token = new TokenIssuer(rsa, settings, clock).mint("acme", "alice", Duration.ofHours(1));

        assertThat(header(token)).contains("\"alg\":\"RS256\"");
        assertThat(new JwtAuthenticator(rsa, settings, clock).authenticate("token", token).tenantId())
                .isEqualTo("acme");
        assertThat(new JwtAuthenticator(SigningKeys.verifyOnly(publicFile), settings, clock)
                .authenticate("token", token).principal()).isEqualTo("alice");
        assertThatThrownBy(() -> authenticator.authenticate("token", token)).hasMessageContaining("algorithm 'RS256'");
    }

    @Test
    void verifiesWithPublicKeyOnly(@TempDir Path dir) throws Exception {
        Path publicFile = dir.resolve("issuer.pub.pem");
        Files.writeString(publicFile, publicPem(KEYS));
        JwtAuthenticator verifyOnly = new JwtAuthenticator(SigningKeys.verifyOnly(publicFile), settings, clock);

        assertThat(verifyOnly.authenticate("token", issuer.mint("acme", "bob", Duration.ofHours(1))).principal())
                .isEqualTo("bob");
        String forged = new TokenIssuer(SigningKeys.generate(), settings, clock).mint("acme", "bob", Duration.ofHours(1));
        assertThatThrownBy(() -> verifyOnly.authenticate("token", forged)).hasMessageContaining("signature is invalid");
    }

    @Test
    void verifiesWithJwksFile(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, KEYS.publicJwks());
        JwtAuthenticator external = new JwtAuthenticator(SigningKeys.verifyOnlyJwks(jwks), settings, clock);

        assertThat(external.authenticate("token", issuer.mint("acme", "carol", Duration.ofHours(1))))
                .usingRecursiveComparison().ignoringFields("validUntil", "tokenId", "issuedAt").isEqualTo(new TenantContext("acme", "carol"));
        String unknownKey = new TokenIssuer(SigningKeys.generate(), settings, clock)
                .mint("acme", "carol", Duration.ofHours(1));
        assertThatThrownBy(() -> external.authenticate("token", unknownKey))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no trusted key matches");
    }

    @Test
    void reportsExpiryOfJwksVerifiedTokenByInjectedClock(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, KEYS.publicJwks());
        JwtAuthenticator external = new JwtAuthenticator(SigningKeys.verifyOnlyJwks(jwks), settings, clock);
        String token = issuer.mint("acme", "carol", Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> external.authenticate("token", token)).hasMessageContaining("expired");
    }

    @Test
    void verifiesConcurrentlyWithoutMixingUpTokens(@TempDir Path dir) throws Exception {
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, KEYS.publicJwks());
        JwtAuthenticator external = new JwtAuthenticator(SigningKeys.verifyOnlyJwks(jwks), settings, clock);
        int threads = 8;
        String[] tokens = new String[threads];
        for (int i = 0; i < threads; i++) {
            tokens[i] = issuer.mint("tenant" + i, "user" + i, Duration.ofHours(1));
        }
        String forged = new TokenIssuer(SigningKeys.generate(), settings, clock).mint("acme", "x", Duration.ofHours(1));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int round = 0; round < 40; round++) {
                        JwtAuthenticator target = round % 2 == 0 ? authenticator : external;
                        TenantContext got = target.authenticate("token", tokens[n]);
                        if (got.tenantId().equals("tenant" + n) && got.principal().equals("user" + n)) {
                            ok++;
                        }
                        try {
                            target.authenticate("token", forged);
                        } catch (AuthenticationException expected) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (java.util.concurrent.Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(80);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesTokenWithoutIssuer() throws Exception {
        JwtClaims claims = standardClaims();
        claims.unsetClaim("iss");

        assertThatThrownBy(() -> authenticator.authenticate("token", sign(claims)))
                .hasMessageContaining("no issuer ('iss' claim); this server accepts tokens from 'strata'");
    }

    private JwtClaims standardClaims() {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TokenSettings.DEFAULT_ISSUER);
        claims.setAudience(TokenSettings.DEFAULT_AUDIENCE);
        claims.setSubject("alice");
        claims.setClaim("tenant", "acme");
        claims.setIssuedAt(NumericDate.fromSeconds(T0.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(T0.plusSeconds(3600).getEpochSecond()));
        return claims;
    }

    private static String sign(JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(KEYS.keyId().orElseThrow());
        jws.setKey(KEYS.privateKey());
        return jws.getCompactSerialization();
    }

    private static String publicPem(SigningKeys keys) throws Exception {
        org.jose4j.jwk.JsonWebKeySet set = new org.jose4j.jwk.JsonWebKeySet(keys.publicJwks());
        return Pem.encodePublicKey(((org.jose4j.jwk.PublicJsonWebKey) set.getJsonWebKeys().get(0)).getPublicKey());
    }

    private static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
    }

    private static String base64url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
