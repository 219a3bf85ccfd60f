package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

/**
 * An issuer whose tokens this server accepts: a token is checked against the issuer its {@code iss}
 * names, with that issuer's keys and audience.
 *
 * @param name a short label for logs and configuration ({@code strata.auth.issuers.<name>})
 * @param issuer the exact {@code iss} value, e.g. {@code https://keycloak.example.com/realms/prod}
 * @param audience the value the token's {@code aud} must contain
 * @param keys where the verification keys come from
 */
public record TrustedIssuer(String name, String issuer, String audience, IssuerKeys keys) {
    /** The name of Strata's own issuer (its signing key pair or the {@code strata.auth.public-key}). */
    public static final String OWN = "own";

    public TrustedIssuer {
        requireNonNull(name, "name is null");
        requireNonNull(issuer, "issuer is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(keys, "keys is null");
        if (name.isBlank() || issuer.isBlank() || audience.isBlank()) {
            throw new IllegalArgumentException("issuer '" + name + "' needs a non-blank name, issuer and audience");
        }
    }

    /** Strata's own issuer: {@code settings}' issuer and audience, verified with {@code keys}. */
    public static TrustedIssuer own(TokenSettings settings, SigningKeys keys) {
        requireNonNull(settings, "settings is null");
        return new TrustedIssuer(OWN, settings.issuer(), settings.audience(), IssuerKeys.of(keys));
    }
}
