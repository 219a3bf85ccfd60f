package io.strata.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

final class TestTokenIssuer {
    private static final SigningKeys KEYS = SigningKeys.generate();
    private final MutableClock clock = new MutableClock(Instant.parse("2031-06-01T00:00:00.750Z"));
    private final TokenIssuer issuer = new TokenIssuer(KEYS, TokenSettings.defaults(), clock);

    @Test
    void mintsTheDocumentedClaimsAndHeader() {
        String token = issuer.mint("acme", "alice", Duration.ofDays(30));
        String[] parts = token.split("\\.");
        String header = decode(parts[0]);
        String payload = decode(parts[1]);

        assertThat(header).contains("\"alg\":\"ES256\"", "\"kid\":\"" + KEYS.keyId().orElseThrow() + "\"");
        long iat = Instant.parse("2031-06-01T00:00:00Z").getEpochSecond();
        assertThat(payload).contains("\"iss\":\"strata\"", "\"aud\":\"strata\"", "\"sub\":\"alice\"",
                "\"tenant\":\"acme\"", "\"iat\":" + iat, "\"exp\":" + (iat + Duration.ofDays(30).getSeconds()),
                "\"jti\":");
    }

    @Test
    void mintsExtraRolesButNeverTheOperatorRoleIntoATenantToken() {
        String admin = issuer.mint("acme", "alice", Duration.ofHours(1), null, java.util.List.of(TokenIssuer.TENANT_ADMIN_ROLE));
        String plain = issuer.mint("acme", "alice", Duration.ofHours(1), null, java.util.List.of());

        assertThat(decode(admin.split("\\.")[1])).contains("\"roles\":[\"tenant-admin\"]", "\"tenant\":\"acme\"");
        assertThat(decode(plain.split("\\.")[1])).doesNotContain("roles");
        assertThatThrownBy(() -> issuer.mint("acme", "alice", Duration.ofHours(1), null,
                java.util.List.of(TokenIssuer.OPERATOR_ROLE))).hasMessageContaining("cannot carry the role 'operator'");
    }

    @Test
    void mintsTheConfiguredAudience() {
        String token = new TokenIssuer(KEYS, TokenSettings.defaults().withAudience("strata-eu"), clock)
                .mint("acme", "alice", Duration.ofHours(1));

        assertThat(decode(token.split("\\.")[1])).contains("\"aud\":\"strata-eu\"");
    }

    @Test
    void refusesInvalidRequests() {
        assertThatThrownBy(() -> issuer.mint("Acme", "alice", Duration.ofHours(1))).hasMessageContaining("invalid tenant");
        assertThatThrownBy(() -> issuer.mint("acme", " ", Duration.ofHours(1))).hasMessageContaining("subject is blank");
        assertThatThrownBy(() -> issuer.mint("acme", "alice", Duration.ZERO)).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> issuer.mint("acme", "alice", Duration.ofMillis(500))).hasMessageContaining("lifetime");
        assertThatThrownBy(() -> issuer.mint("acme", "alice", Duration.ofDays(30).plusSeconds(1)))
                .hasMessageContaining("maximum token lifetime of 30 days");
        assertThat(issuer.mint("acme", "alice", TokenLimits.DEFAULT_MAX_TOKEN_LIFETIME)).isNotBlank();
    }

    @Test
    void mintsUpToTheConfiguredMaximumLifetime() {
        TokenIssuer shortLived = new TokenIssuer(KEYS, TokenSettings.defaults().withMaxTokenLifetime(Duration.ofHours(1)),
                clock);

        assertThat(shortLived.mint("acme", "alice", Duration.ofHours(1))).isNotBlank();
        assertThatThrownBy(() -> shortLived.mint("acme", "alice", Duration.ofMinutes(61)))
                .hasMessageContaining("maximum token lifetime of 1 hour");
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
