package io.strata.e2e;

import io.strata.tenancy.DevTenantBootstrap;
import io.strata.tenancy.SigningKeys;
import io.strata.tenancy.TokenIssuer;
import io.strata.tenancy.TokenSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Mints tokens for the tests, as an operator would with strata token mint. */
final class Tokens {
    private Tokens() {}

    /** A token signed with the gateway's own key; a negative lifetime gives a token that already expired. */
    static String mint(Path dataDir, String tenant, String subject, Duration lifetime) {
        try {
            SigningKeys keys = SigningKeys.load(dataDir.resolve(DevTenantBootstrap.KEYS_DIR));
            return issue(keys, tenant, subject, lifetime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A token signed with the gateway's own key, limited to {@code permissions} ({@code ACTION:RESOURCE}). */
    static String mint(Path dataDir, String tenant, String subject, Duration lifetime, List<String> permissions) {
        try {
            SigningKeys keys = SigningKeys.load(dataDir.resolve(DevTenantBootstrap.KEYS_DIR));
            return new TokenIssuer(keys, TokenSettings.defaults(), Clock.systemUTC()).mint(tenant, subject, lifetime,
                    permissions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A well-formed token signed by a key the gateway has never seen (a forgery). */
    static String mintWithFreshKey(String tenant, String subject, Duration lifetime) {
        return issue(SigningKeys.generate(), tenant, subject, lifetime);
    }

    private static String issue(SigningKeys keys, String tenant, String subject, Duration lifetime) {
        Clock clock = Clock.systemUTC();
        Duration validity = lifetime;
        if (lifetime.isNegative()) {
            // issued in the past so that it expired |lifetime| ago
            validity = Duration.ofMinutes(5);
            clock = Clock.fixed(Instant.now().minus(validity).plus(lifetime), ZoneOffset.UTC);
        }
        return new TokenIssuer(keys, TokenSettings.defaults(), clock).mint(tenant, subject, validity);
    }
}
