package io.strata.tenancy;

import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantNames;
import static java.util.Objects.requireNonNull;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Authenticates a CQL connection whose SASL PLAIN password is a Strata token: a compact JWS signed with
 * one of the {@link SigningKeys} (ES256 or RS256). A token is accepted only if
 * <ol>
 *   <li>it is at most {@value #MAX_TOKEN_LENGTH} characters and structurally a JWS (three base64url parts,
 *       a JSON header naming a permitted algorithm);</li>
 *   <li>its signature verifies (SmallRye JWT / jose4j, algorithms restricted to those of the keys);</li>
 *   <li>{@code iss} equals the configured issuer and, if configured, {@code aud} contains the audience;</li>
 *   <li>{@code exp} is present and later than now, and {@code nbf}, if present, is not after now, both
 *       with the configured clock skew;</li>
 *   <li>{@code tenant} is a valid tenant name ({@link TenantNames}) and {@code sub} is non-blank.</li>
 * </ol>
 * The result is {@code TenantContext(tenant, sub)}; the SASL username is informational and ignored.
 *
 * <p>Time: jose4j evaluates {@code exp}/{@code nbf} against the system clock, which cannot be injected, so
 * SmallRye is configured with a clock skew of decades (its time checks can then only fire for tokens dead
 * or not valid for decades) and the authoritative checks run here against the injected {@link Clock}.
 *
 * <p>Thread-safe: configuration is immutable after construction and every call verifies the token
 * afresh; nothing about a token is cached, so an expired token is refused on its next use.
 */
public final class JwtAuthenticator implements Authenticator {
    /** Longest token accepted, in characters (a token is ASCII, so also bytes). */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final Logger LOG = Logger.getLogger(JwtAuthenticator.class);
    // Larger than any sane skew, small enough that jose4j's long arithmetic cannot overflow.
    private static final int DEFER_TIME_CHECKS_SECONDS = Integer.MAX_VALUE / 2;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int MAX_ECHO = 64;

    private final SigningKeys keys;
    private final TokenSettings settings;
    private final Clock clock;
    private final JWTAuthContextInfo contextInfo;
    private final DefaultJWTTokenParser parser = new DefaultJWTTokenParser();
    private final Set<String> algorithmNames;

    public JwtAuthenticator(SigningKeys keys, TokenSettings settings, Clock clock) {
        this.keys = requireNonNull(keys, "keys is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        JWTAuthContextInfo info = new JWTAuthContextInfo();
        keys.configure(info);
        info.setIssuedBy(settings.issuer());
        settings.audience().ifPresent(aud -> info.setExpectedAudience(Set.of(aud)));
        info.setClockSkew(DEFER_TIME_CHECKS_SECONDS);
        info.setRequireNamedPrincipal(false);
        this.contextInfo = info;
        Set<String> names = new TreeSet<>();
        for (SignatureAlgorithm algorithm : keys.algorithms()) {
            names.add(algorithm.getAlgorithm());
        }
        this.algorithmNames = Set.copyOf(names);
    }

    @Override
    public TenantContext authenticate(String username, String password) throws AuthenticationException {
        try {
            return verify(password).context();
        } catch (AuthenticationException e) {
            LOG.debugf("Refused token for user '%s': %s", echo(username), e.getMessage());
            throw e;
        }
    }

    /** @return the keys this authenticator trusts */
    public SigningKeys keys() {
        return keys;
    }

    /** @return what tokens must say to be accepted */
    public TokenSettings settings() {
        return settings;
    }

    /** What a verified token says; {@code expiresAt} lets callers decide about renewal. */
    record VerifiedToken(TenantContext context, Instant expiresAt) {
        VerifiedToken {
            requireNonNull(context, "context is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    /** Verifies like {@link #authenticate} and also reports the expiry. */
    VerifiedToken verify(String token) throws AuthenticationException {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("empty password: send a Strata token (a JWT) as the password");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException("token too long: " + token.length() + " characters, the limit is "
                    + MAX_TOKEN_LENGTH);
        }
        checkStructure(token);
        JwtClaims claims;
        try {
            JwtContext context = parser.parse(token, contextInfo);
            claims = context.getJwtClaims();
        } catch (ParseException e) {
            throw describe(e);
        } catch (RuntimeException e) {
            // hostile input must never escape as anything but a refusal
            throw new AuthenticationException("token rejected: " + rootMessage(e), e);
        }
        try {
            Instant expiresAt = checkTimes(claims);
            return new VerifiedToken(new TenantContext(tenantOf(claims), subjectOf(claims)), expiresAt);
        } catch (MalformedClaimException e) {
            throw new AuthenticationException("token has a malformed claim: " + e.getMessage(), e);
        }
    }

    private void checkStructure(String token) throws AuthenticationException {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) {
            throw new AuthenticationException("encrypted tokens (JWE) are not accepted: send a signed JWT");
        }
        if (parts.length != 3 || !BASE64URL.matcher(parts[0]).matches() || !BASE64URL.matcher(parts[1]).matches()) {
            throw new AuthenticationException("password is not a JWT (expected header.payload.signature in base64url)");
        }
        Map<String, Object> header;
        try {
            header = JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
        } catch (JoseException | IllegalArgumentException | ClassCastException e) {
            throw new AuthenticationException("password is not a JWT (its header is not base64url JSON)", e);
        }
        Object alg = header.get("alg");
        if (!(alg instanceof String name)) {
            throw new AuthenticationException("password is not a JWT (its header names no 'alg')");
        }
        if (!algorithmNames.contains(name)) {
            throw new AuthenticationException("token is signed with algorithm '" + echo(name)
                    + "'; this server accepts only " + String.join(", ", algorithmNames));
        }
        if (parts[2].isEmpty()) {
            throw new AuthenticationException("token carries no signature");
        }
    }

    private Instant checkTimes(JwtClaims claims) throws MalformedClaimException, AuthenticationException {
        Instant now = clock.instant();
        long skew = settings.clockSkew().getSeconds();
        NumericDate expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new AuthenticationException("token has no expiry ('exp' claim); Strata requires one");
        }
        if (now.getEpochSecond() - skew >= expiry.getValue()) {
            throw expired(expiry, now);
        }
        NumericDate notBefore = claims.getNotBefore();
        if (notBefore != null && now.getEpochSecond() + skew < notBefore.getValue()) {
            throw new AuthenticationException("token is not valid before "
                    + Instant.ofEpochSecond(notBefore.getValue()) + " (server time " + now + ")");
        }
        return Instant.ofEpochSecond(expiry.getValue());
    }

    private static String tenantOf(JwtClaims claims) throws AuthenticationException {
        Object tenant = claims.getClaimValue(TokenIssuer.TENANT_CLAIM);
        if (tenant == null) {
            throw new AuthenticationException("token has no '" + TokenIssuer.TENANT_CLAIM + "' claim naming the tenant");
        }
        if (!(tenant instanceof String name) || !TenantNames.isValid(name)) {
            throw new AuthenticationException("token's tenant '" + echo(String.valueOf(tenant))
                    + "' is not a valid tenant name (must match " + TenantNames.PATTERN.pattern() + ")");
        }
        return name;
    }

    private static String subjectOf(JwtClaims claims) throws MalformedClaimException, AuthenticationException {
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new AuthenticationException("token has no subject ('sub' claim)");
        }
        return subject;
    }

    private AuthenticationException describe(ParseException e) {
        InvalidJwtException invalid = find(e, InvalidJwtException.class);
        if (find(e, UnresolvableKeyException.class) != null) {
            return new AuthenticationException("no trusted key matches this token (key id '"
                    + echo(keyIdOf(invalid)) + "')", e);
        }
        if (invalid == null) {
            return new AuthenticationException("token rejected: " + rootMessage(e), e);
        }
        JwtClaims claims = invalid.getJwtContext() == null ? null : invalid.getJwtContext().getJwtClaims();
        if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return new AuthenticationException("token signature is invalid: the token was not signed by a key"
                    + " this server trusts, or it was altered", e);
        }
        if (invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return new AuthenticationException("token has no issuer ('iss' claim); this server accepts only '"
                    + settings.issuer() + "'", e);
        }
        if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return new AuthenticationException("token issuer '" + echo(issuerOf(claims))
                    + "' is not accepted; this server accepts only '" + settings.issuer() + "'", e);
        }
        if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)) {
            return new AuthenticationException("token audience does not include '"
                    + settings.audience().orElse("") + "'", e);
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return new AuthenticationException("token has no expiry ('exp' claim); Strata requires one", e);
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRED) && claims != null) {
            try {
                return expired(claims.getExpirationTime(), clock.instant());
            } catch (MalformedClaimException malformed) {
                // fall through to the generic message
            }
        }
        return new AuthenticationException("token rejected: " + rootMessage(e), e);
    }

    private static AuthenticationException expired(NumericDate expiry, Instant now) {
        return new AuthenticationException("token expired at " + Instant.ofEpochSecond(expiry.getValue())
                + " (server time " + now + "); mint a new one");
    }

    private static String issuerOf(JwtClaims claims) {
        try {
            return claims == null ? null : claims.getIssuer();
        } catch (MalformedClaimException e) {
            return null;
        }
    }

    private static String keyIdOf(InvalidJwtException invalid) {
        if (invalid == null || invalid.getJwtContext() == null
                || invalid.getJwtContext().getJoseObjects().isEmpty()) {
            return null;
        }
        return invalid.getJwtContext().getJoseObjects().get(0).getKeyIdHeaderValue();
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    // Keeps attacker-controlled text short in messages and logs.
    private static String echo(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    }
}
