package io.strata.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Operator tokens: the admin API's credential, never a CQL login; tenant tokens are not operators. */
final class TestOperatorTokens {
    private static final SigningKeys KEYS = SigningKeys.generate();
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    private final TokenIssuer issuer = new TokenIssuer(KEYS, TokenSettings.defaults(), clock);
    private final JwtAuthenticator authenticator = new JwtAuthenticator(KEYS, TokenSettings.defaults(), clock);

    @Test
    void anOperatorTokenVerifiesAsAnOperator() throws AuthenticationException {
        JwtAuthenticator.Operator operator = authenticator.verifyOperator(issuer.mintOperator("ops", Duration.ofHours(1)));
        assertThat(operator.subject()).isEqualTo("ops");
        assertThat(operator.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void aTenantTokenIsNotAnOperator() {
        String tenant = issuer.mint("acme", "alice", Duration.ofHours(1));
        assertThatThrownBy(() -> authenticator.verifyOperator(tenant))
                .isInstanceOf(AuthenticationException.MissingRole.class).hasMessageContaining("'operator' role");
    }

    @Test
    void anOperatorTokenCannotLogInToCql() {
        String operator = issuer.mintOperator("ops", Duration.ofHours(1));
        assertThatThrownBy(() -> authenticator.authenticate("token", operator))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("operator token");
    }

    @Test
    void operatorTokensObeyTheSameLimits() {
        assertThatThrownBy(() -> issuer.mintOperator("ops", Duration.ofDays(31)))
                .isInstanceOf(IllegalArgumentException.class);
        String forged = new TokenIssuer(SigningKeys.generate(), TokenSettings.defaults(), clock)
                .mintOperator("ops", Duration.ofHours(1));
        assertThatThrownBy(() -> authenticator.verifyOperator(forged))
                .isInstanceOf(AuthenticationException.class).isNotInstanceOf(AuthenticationException.MissingRole.class);
        JwtAuthenticator later = new JwtAuthenticator(KEYS, TokenSettings.defaults(),
                Clock.offset(clock, Duration.ofHours(2)));
        assertThatThrownBy(() -> later.verifyOperator(issuer.mintOperator("ops", Duration.ofHours(1))))
                .hasMessageContaining("expired");
    }
}
