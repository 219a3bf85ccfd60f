package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What Strata's own tokens say and the limits they obey, shared by the minting side ({@link TokenIssuer},
 * {@link DevTenantBootstrap}, the {@code strata token} command line) and the verifying side ({@link JwtAuthenticator}) so the two
 * cannot drift apart.
 *
 * @param issuer the {@code iss} Strata's own tokens carry and must carry
 * @param audience the {@code aud} Strata's own tokens carry and must contain; mandatory, so a token minted
 *     for another service that trusts the same issuer is not accepted here
 * @param limits the time limits (skew, maximum lifetime) every token obeys
 */
public record TokenSettings(String issuer, String audience, TokenLimits limits) {
    /** The issuer Strata's own tokens carry unless configured otherwise. */
    public static final String DEFAULT_ISSUER = "strata";
    /** The audience Strata's tokens carry unless configured otherwise. */
    public static final String DEFAULT_AUDIENCE = "strata";

    public TokenSettings {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(limits, "limits is null");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer is blank");
        }
        if (audience.isBlank()) {
            throw new IllegalArgumentException("audience is blank");
        }
    }

    /** Issuer and audience {@value #DEFAULT_ISSUER}, {@link TokenLimits#defaults()}. */
    public static TokenSettings defaults() {
        return new TokenSettings(DEFAULT_ISSUER, DEFAULT_AUDIENCE, TokenLimits.defaults());
    }

    public TokenSettings withIssuer(String newIssuer) {
        return new TokenSettings(newIssuer, audience, limits);
    }

    public TokenSettings withAudience(String newAudience) {
        return new TokenSettings(issuer, newAudience, limits);
    }

    public TokenSettings withLimits(TokenLimits newLimits) {
        return new TokenSettings(issuer, audience, newLimits);
    }

    public TokenSettings withClockSkew(Duration newClockSkew) {
        return withLimits(limits.withClockSkew(newClockSkew));
    }

    public TokenSettings withMaxTokenLifetime(Duration newMaxTokenLifetime) {
        return withLimits(limits.withMaxTokenLifetime(newMaxTokenLifetime));
    }

    /** @return {@code limits().clockSkew()} */
    public Duration clockSkew() {
        return limits.clockSkew();
    }

    /** @return {@code limits().maxTokenLifetime()} */
    public Duration maxTokenLifetime() {
        return limits.maxTokenLifetime();
    }
}
