package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * What a Strata token must say to be accepted, shared by the minting side ({@link TokenIssuer}) and the
 * verifying side ({@link JwtAuthenticator}) so the two cannot drift apart.
 *
 * @param issuer the {@code iss} every token must carry (minted tokens carry it)
 * @param audience if present, the {@code aud} every token must contain (minted tokens carry it)
 * @param clockSkew tolerance applied to {@code exp} and {@code nbf} for clocks that disagree with an
 *     external issuer; zero means an expiry is honoured to the second
 */
public record TokenSettings(String issuer, Optional<String> audience, Duration clockSkew) {
    /** The issuer Strata's own tokens carry unless configured otherwise. */
    public static final String DEFAULT_ISSUER = "strata";

    public TokenSettings {
        requireNonNull(issuer, "issuer is null");
        requireNonNull(audience, "audience is null");
        requireNonNull(clockSkew, "clockSkew is null");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer is blank");
        }
        if (audience.isPresent() && audience.get().isBlank()) {
            throw new IllegalArgumentException("audience is blank");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("clockSkew must be between 0 and 1 hour: " + clockSkew);
        }
    }

    /** Issuer {@value #DEFAULT_ISSUER}, no audience, no clock skew. */
    public static TokenSettings defaults() {
        return new TokenSettings(DEFAULT_ISSUER, Optional.empty(), Duration.ZERO);
    }

    public TokenSettings withIssuer(String newIssuer) {
        return new TokenSettings(newIssuer, audience, clockSkew);
    }

    public TokenSettings withAudience(String newAudience) {
        return new TokenSettings(issuer, Optional.of(newAudience), clockSkew);
    }

    public TokenSettings withClockSkew(Duration newClockSkew) {
        return new TokenSettings(issuer, audience, newClockSkew);
    }
}
