package io.strata.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.AccessPolicy.Action;
import io.strata.tenancy.core.TenantContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Grants travel in the token's permissions claim; without it a token may do everything in its tenant. */
final class TestTokenPermissions {
    private static final SigningKeys KEYS = SigningKeys.generate();
    private final TokenIssuer issuer = new TokenIssuer(KEYS, TokenSettings.defaults(), Clock.systemUTC());
    private final JwtAuthenticator authenticator = new JwtAuthenticator(KEYS, TokenSettings.defaults(), Clock.systemUTC());

    @Test
    void grantsRoundTripThroughTheToken() throws AuthenticationException {
        String token = issuer.mint("acme", "reader", Duration.ofHours(1), List.of("SELECT:app", "MODIFY|SELECT:app.t*"));
        TenantContext ctx = authenticator.authenticate("token", token);
        assertThat(ctx.policy().written()).containsExactly("SELECT:app", "SELECT|MODIFY:app.t*");
        assertThat(ctx.policy().allows(Action.SELECT, "app", "x")).isTrue();
        assertThat(ctx.policy().allows(Action.MODIFY, "app", "x")).isFalse();
        assertThat(ctx.policy().allows(Action.MODIFY, "app", "tickets")).isTrue();
        assertThat(ctx.policy().allows(Action.SELECT, "other", "t")).isFalse();
    }

    @Test
    void aTokenWithoutPermissionsMayDoEverything() throws AuthenticationException {
        assertThat(authenticator.authenticate("token", issuer.mint("acme", "admin", Duration.ofHours(1))).policy())
                .isSameAs(AccessPolicy.ALL);
    }

    @Test
    void malformedGrantsAreRefusedWhenMinted() {
        assertThatThrownBy(() -> issuer.mint("acme", "x", Duration.ofHours(1), List.of("READ:app")))
                .hasMessageContaining("unknown action 'READ'");
        assertThatThrownBy(() -> issuer.mint("acme", "x", Duration.ofHours(1), List.of("SELECT")))
                .hasMessageContaining("ACTION:RESOURCE");
        assertThatThrownBy(() -> issuer.mint("acme", "x", Duration.ofHours(1), List.of("SELECT:a.b.c")))
                .hasMessageContaining("keyspace.table");
    }
}
