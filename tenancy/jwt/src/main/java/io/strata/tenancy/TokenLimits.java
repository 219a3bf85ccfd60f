package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Time limits every token must respect, whoever issued it (see {@code docs/security-tokens.md}).
 *
 * @param clockSkew tolerance for clocks that disagree with an issuer's, applied to {@code exp}, {@code nbf}
 *     and {@code iat}; between 0 and {@link #MAX_CLOCK_SKEW}
 * @param maxTokenLifetime the longest {@code exp - iat} accepted, and (plus the skew) the furthest ahead
 *     {@code exp} may lie; between 1 second and {@link #MAX_CONFIGURABLE_LIFETIME}, whole seconds
 */
public record TokenLimits(Duration clockSkew, Duration maxTokenLifetime) {
    /** Default skew: covers NTP-synchronised hosts with margin, too short to matter for revocation. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Default lifetime: a leaked token dies within a month; dev and operator tokens are minted within it. */
    public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofDays(30);
    /** A skew beyond this would hide a broken clock rather than tolerate a drifting one. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);
    /** Tokens have no revocation list, so their lifetime is the only bound on a leak: never more than a year. */
    public static final Duration MAX_CONFIGURABLE_LIFETIME = Duration.ofDays(365);

    public TokenLimits {
        requireNonNull(clockSkew, "clockSkew is null");
        requireNonNull(maxTokenLifetime, "maxTokenLifetime is null");
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be between 0 and 1 hour: " + clockSkew);
        }
        if (maxTokenLifetime.getSeconds() < 1 || maxTokenLifetime.getNano() != 0
                || maxTokenLifetime.compareTo(MAX_CONFIGURABLE_LIFETIME) > 0) {
            throw new IllegalArgumentException("maximum token lifetime must be whole seconds between 1 second and "
                    + human(MAX_CONFIGURABLE_LIFETIME) + ": " + maxTokenLifetime);
        }
    }

    /** Skew {@link #DEFAULT_CLOCK_SKEW}, lifetime {@link #DEFAULT_MAX_TOKEN_LIFETIME}. */
    public static TokenLimits defaults() {
        return new TokenLimits(DEFAULT_CLOCK_SKEW, DEFAULT_MAX_TOKEN_LIFETIME);
    }

    public TokenLimits withClockSkew(Duration newClockSkew) {
        return new TokenLimits(newClockSkew, maxTokenLifetime);
    }

    public TokenLimits withMaxTokenLifetime(Duration newMaxTokenLifetime) {
        return new TokenLimits(clockSkew, newMaxTokenLifetime);
    }

    /** "30 days", "12 hours", "90 minutes", "45 seconds": for messages a user reads. */
    public static String human(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds != 0 && seconds % 86_400 == 0) {
            return plural(seconds / 86_400, "day");
        }
        if (seconds != 0 && seconds % 3600 == 0) {
            return plural(seconds / 3600, "hour");
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long amount, String unit) {
        return amount + " " + unit + (amount == 1 ? "" : "s");
    }
}
