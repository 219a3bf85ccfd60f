package io.strata.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

/** {@code iat}, {@code exp}, maximum lifetime and clock skew, judged by the injected clock. */
final class TestTokenTimes {
    private static final Instant T0 = Instant.parse("2040-03-01T12:00:00Z");
    private static final long NOW = T0.getEpochSecond();
    private static final long DAY = 86_400;
    private static final SigningKeys KEYS = SigningKeys.generate();

    private final MutableClock clock = new MutableClock(T0);
    private final JwtAuthenticator authenticator = new JwtAuthenticator(KEYS, TokenSettings.defaults(), clock);

    @Test
    void defaultsAreThirtyDaysAndThirtySeconds() {
        assertThat(TokenSettings.defaults().maxTokenLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(TokenSettings.defaults().clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(TokenSettings.defaults().audience()).isEqualTo("strata");
    }

    @Test
    void refusesTokenWithoutIssueTime() {
        JwtClaims claims = claims(NOW, NOW + 3600);
        claims.unsetClaim("iat");

        assertThatThrownBy(() -> authenticate(claims))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("no issue time ('iat' claim)");
    }

    @Test
    void acceptsExactlyTheMaximumLifetime() throws Exception {
        assertThat(authenticate(claims(NOW, NOW + 30 * DAY)).tenantId()).isEqualTo("acme");
    }

    @Test
    void refusesLifetimeBeyondTheMaximum() {
        assertThatThrownBy(() -> authenticate(claims(NOW - 10 * DAY, NOW + 21 * DAY)))
                .hasMessageContaining("token lifetime (exp - iat) is 31 days, longer than the maximum of 30 days")
                .hasMessageContaining("strata.auth.max-token-lifetime");
    }

    @Test
    void refusesExpiryInYear9999() {
        long year9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

        assertThatThrownBy(() -> authenticate(claims(NOW, year9999)))
                .hasMessageContaining("expires at 9999-12-31T23:59:59Z, further ahead than the maximum token lifetime"
                        + " of 30 days allows");
        // a forged iat just under the expiry does not help
        assertThatThrownBy(() -> authenticate(claims(year9999 - DAY, year9999)))
                .hasMessageContaining("further ahead than the maximum");
        // nor does one in the past
        assertThatThrownBy(() -> authenticate(claims(NOW - 1, year9999)))
                .hasMessageContaining("further ahead than the maximum");
    }

    @Test
    void refusesExtremeNumbersWithoutOverflow() {
        assertThatThrownBy(() -> authenticate(claims(Long.MIN_VALUE, Long.MAX_VALUE)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("further ahead");
        assertThatThrownBy(() -> authenticate(claims(Long.MIN_VALUE, NOW + 60)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("lifetime (exp - iat) is unbounded");
        assertThatThrownBy(() -> authenticate(claims(Long.MAX_VALUE, NOW + 60)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("issued in the future");
    }

    @Test
    void expiryFurtherThanLifetimeIsToleratedOnlyByTheSkew() throws Exception {
        // iat 20 s ahead (within the 30 s skew), exp a full lifetime after it
        assertThat(authenticate(claims(NOW + 20, NOW + 20 + 30 * DAY)).tenantId()).isEqualTo("acme");
        assertThatThrownBy(() -> authenticate(claims(NOW + 31, NOW + 31 + 30 * DAY)))
                .hasMessageContaining("further ahead than the maximum");
    }

    @Test
    void refusesIssueTimeInTheFutureBeyondTheSkew() throws Exception {
        assertThat(authenticate(claims(NOW + 30, NOW + 3600)).tenantId()).isEqualTo("acme");
        assertThatThrownBy(() -> authenticate(claims(NOW + 31, NOW + 3600)))
                .hasMessageContaining("issued in the future (iat 2040-03-01T12:00:31Z, server time 2040-03-01T12:00:00Z)");
        JwtAuthenticator noSkew = new JwtAuthenticator(KEYS, TokenSettings.defaults().withClockSkew(Duration.ZERO), clock);
        assertThatThrownBy(() -> noSkew.authenticate("token", sign(claims(NOW + 1, NOW + 3600))))
                .hasMessageContaining("issued in the future");
    }

    @Test
    void theSkewAppliesToExpiry() throws Exception {
        String token = sign(claims(NOW, NOW + 60));
        clock.set(T0.plusSeconds(60 + 29));
        assertThat(authenticator.authenticate("token", token).tenantId()).isEqualTo("acme");
        clock.set(T0.plusSeconds(60 + 30));
        assertThatThrownBy(() -> authenticator.authenticate("token", token)).hasMessageContaining("expired");
    }

    @Test
    void aShorterConfiguredMaximumIsEnforced() throws Exception {
        TokenSettings oneHour = TokenSettings.defaults().withMaxTokenLifetime(Duration.ofHours(1));
        JwtAuthenticator strict = new JwtAuthenticator(KEYS, oneHour, clock);

        assertThat(strict.authenticate("token", sign(claims(NOW, NOW + 3600))).tenantId()).isEqualTo("acme");
        assertThatThrownBy(() -> strict.authenticate("token", sign(claims(NOW - 60, NOW + 3600))))
                .hasMessageContaining("is 61 minutes, longer than the maximum of 1 hour");
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new TokenLimits(Duration.ofMinutes(61), Duration.ofDays(1)))
                .hasMessageContaining("clock skew must be between 0 and 1 hour");
        assertThatThrownBy(() -> new TokenLimits(Duration.ofSeconds(-1), Duration.ofDays(1)))
                .hasMessageContaining("clock skew");
        assertThatThrownBy(() -> new TokenLimits(Duration.ZERO, Duration.ofDays(366)))
                .hasMessageContaining("maximum token lifetime must be");
        assertThatThrownBy(() -> new TokenLimits(Duration.ZERO, Duration.ZERO))
                .hasMessageContaining("maximum token lifetime must be");
        assertThat(new TokenLimits(Duration.ofHours(1), Duration.ofDays(365)).maxTokenLifetime())
                .isEqualTo(Duration.ofDays(365));
    }

    private io.strata.tenancy.core.TenantContext authenticate(JwtClaims claims) throws AuthenticationException {
        return authenticator.authenticate("token", sign(claims));
    }

    private static JwtClaims claims(long iat, long exp) {
        JwtClaims claims = SignedTokens.claims("strata", "strata", T0);
        claims.setIssuedAt(NumericDate.fromSeconds(iat));
        claims.setExpirationTime(NumericDate.fromSeconds(exp));
        return claims;
    }

    private static String sign(JwtClaims claims) {
        return SignedTokens.sign(claims, KEYS.privateKey(), AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
                KEYS.keyId().orElseThrow());
    }
}
