package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantNames;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Authenticates a CQL connection whose SASL PLAIN password is a token: a compact JWS (ES256 or RS256) from
 * one of the {@link TrustedIssuer}s. A token is accepted only if
 * <ol>
 *   <li>it is at most {@value #MAX_TOKEN_LENGTH} characters and in strict compact serialization
 *       ({@link CompactJws}: three canonical unpadded base64url parts, JSON header and payload);</li>
 *   <li>its {@code iss} names a trusted issuer, and its header's {@code alg} is one that issuer's keys
 *       use;</li>
 *   <li>its signature has the exact length of the algorithm (64 bytes for ES256, the RSA modulus length of
 *       the verifying key for RS256) and verifies with that issuer's key (jose4j);</li>
 *   <li>its {@code aud} contains that issuer's audience;</li>
 *   <li>its times satisfy the {@link TokenLimits}, judged by the injected {@link Clock} with the skew
 *       {@code s} and maximum lifetime {@code L}: {@code exp} and {@code iat} present, {@code now - s < exp},
 *       {@code iat <= now + s}, {@code nbf} (optional) {@code <= now + s}, {@code exp - iat <= L} and
 *       {@code exp - now <= L + s} (so a far-future expiry is refused even with a forged {@code iat});</li>
 *   <li>{@code tenant} is a valid tenant name ({@link TenantNames}) and {@code sub} is non-blank.</li>
 * </ol>
 * The result is {@code TenantContext(tenant, sub)}; the SASL username is informational and ignored.
 *
 * <p>jose4j only verifies signatures here: its claim validators are skipped (they read the system clock,
 * and our messages say more), and every claim check above runs in this class.
 *
 * <p>Thread-safe: configuration is immutable after construction and every call verifies the token
 * afresh; nothing about a token is cached, so an expired token is refused on its next use. A call may block
 * on HTTP when an issuer's keys come from a {@link RemoteJwks} that needs fetching.
 */
public final class JwtAuthenticator implements Authenticator {
    /** Longest token accepted, in characters (a token is ASCII, so also bytes). */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private static final Logger LOG = Logger.getLogger(JwtAuthenticator.class);
    private static final int MAX_ECHO = 64;
    /** An ES256 signature is R || S, each 32 bytes (RFC 7518 section 3.4), never DER. */
    private static final int ES256_SIGNATURE_BYTES = 64;
    /** RSA keys are at least 2048 bits (as {@link SigningKeys} enforces) and at most 8192. */
    private static final int MIN_RSA_BYTES = 256;
    private static final int MAX_RSA_BYTES = 1024;

    private final Map<String, Verifier> verifiers;
    private final TokenLimits limits;
    private final Clock clock;
    private final String acceptedIssuers;

    /** One issuer and its jose4j consumer, which only verifies the signature. */
    private record Verifier(TrustedIssuer issuer, JwtConsumer consumer) {}

    /** Trusts only Strata's own issuer: {@code settings}' issuer and audience, verified with {@code keys}. */
    public JwtAuthenticator(SigningKeys keys, TokenSettings settings, Clock clock) {
        this(List.of(TrustedIssuer.own(settings, keys)), requireNonNull(settings, "settings is null").limits(), clock);
    }

    /**
     * @param issuers the trusted issuers, at least one, with distinct {@code iss} values
     * @throws IllegalArgumentException if {@code issuers} is empty or two name the same {@code iss}
     */
    public JwtAuthenticator(List<TrustedIssuer> issuers, TokenLimits limits, Clock clock) {
        requireNonNull(issuers, "issuers is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("no trusted issuer: configure Strata's own key pair or an issuer");
        }
        Map<String, Verifier> byIssuer = new LinkedHashMap<>();
        for (TrustedIssuer issuer : issuers) {
            Verifier previous = byIssuer.put(issuer.issuer(), new Verifier(issuer, consumer(issuer)));
            if (previous != null) {
                throw new IllegalArgumentException("issuers '" + previous.issuer().name() + "' and '" + issuer.name()
                        + "' both have iss '" + issuer.issuer() + "'");
            }
        }
        this.verifiers = Map.copyOf(byIssuer);
        this.acceptedIssuers = byIssuer.keySet().stream().map(i -> "'" + i + "'").collect(Collectors.joining(", "));
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

    /** @return the issuers this authenticator trusts, in no particular order */
    public List<TrustedIssuer> issuers() {
        return verifiers.values().stream().map(Verifier::issuer).toList();
    }

    /** @return the time limits tokens must respect */
    public TokenLimits limits() {
        return limits;
    }

    /** What a verified token says; {@code expiresAt} lets callers decide about renewal. */
    record VerifiedToken(TenantContext context, Instant expiresAt, String issuer) {
        VerifiedToken {
            requireNonNull(context, "context is null");
            requireNonNull(expiresAt, "expiresAt is null");
            requireNonNull(issuer, "issuer is null");
        }
    }

    /** Verifies like {@link #authenticate} and also reports the expiry and issuer. */
    VerifiedToken verify(String token) throws AuthenticationException {
        Verified v = verifyClaims(token);
        try {
            if (rolesOf(v.claims()).contains(TokenIssuer.OPERATOR_ROLE)
                    && v.claims().getClaimValue(TokenIssuer.TENANT_CLAIM) == null) {
                throw new AuthenticationException("this is an operator token, for the admin API; a CQL connection "
                        + "needs a tenant's token");
            }
            String jti = v.claims().getJwtId();
            NumericDate iat = v.claims().getIssuedAt();
            return new VerifiedToken(new TenantContext(tenantOf(v.claims()), subjectOf(v.claims()),
                    policyOf(v.claims()), v.expiresAt(), jti == null ? "" : jti,
                    iat == null ? Instant.MIN : Instant.ofEpochSecond(iat.getValue())), v.expiresAt(), v.issuer());
        } catch (MalformedClaimException e) {
            throw new AuthenticationException("token has a malformed claim: " + e.getMessage(), e);
        }
    }

    /** An operator's verified token: the admin API's caller. */
    public record Operator(String subject, String issuer, Instant expiresAt) {
        public Operator {
            requireNonNull(subject, "subject is null");
            requireNonNull(issuer, "issuer is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    /**
     * Verifies a token presented to the admin API: every check of {@link #authenticate} except the tenant, plus the
     * {@value TokenIssuer#ROLES_CLAIM} claim naming {@value TokenIssuer#OPERATOR_ROLE}.
     *
     * @throws AuthenticationException if the token is not a valid operator token (the message says why)
     */
    public Operator verifyOperator(String token) throws AuthenticationException {
        Verified v = verifyClaims(token);
        try {
            if (!rolesOf(v.claims()).contains(TokenIssuer.OPERATOR_ROLE)) {
                throw new AuthenticationException.MissingRole("token does not carry the '" + TokenIssuer.OPERATOR_ROLE
                        + "' role (claim '" + TokenIssuer.ROLES_CLAIM + "'): mint one with strata token operator");
            }
            return new Operator(subjectOf(v.claims()), v.issuer(), v.expiresAt());
        } catch (MalformedClaimException e) {
            throw new AuthenticationException("token has a malformed claim: " + e.getMessage(), e);
        }
    }

    /**
     * Who calls the admin API: an operator (everything), or a tenant admin (its own tenant's tokens and revocations).
     */
    public sealed interface AdminCaller permits AdminCaller.OperatorCaller, AdminCaller.TenantAdmin {
        String subject();

        /** An operator token's holder. */
        record OperatorCaller(Operator operator) implements AdminCaller {
            public String subject() {
                return operator.subject();
            }
        }

        /** A tenant token with the {@value TokenIssuer#TENANT_ADMIN_ROLE} role. */
        record TenantAdmin(TenantContext context) implements AdminCaller {
            public String subject() {
                return context.principal();
            }
        }
    }

    /**
     * Verifies a token presented to the admin API: an operator token, or a tenant token carrying the
     * {@value TokenIssuer#TENANT_ADMIN_ROLE} role. Whether the tenant is active and the token not revoked is the
     * caller's to check (the tenant directory is not known here).
     *
     * @throws AuthenticationException.MissingRole for a valid token with neither role
     * @throws AuthenticationException if the token is not valid (the message says why)
     */
    public AdminCaller verifyAdmin(String token) throws AuthenticationException {
        Verified v = verifyClaims(token);
        Set<String> roles = rolesOf(v.claims());
        try {
            if (roles.contains(TokenIssuer.OPERATOR_ROLE) && v.claims().getClaimValue(TokenIssuer.TENANT_CLAIM) == null) {
                return new AdminCaller.OperatorCaller(new Operator(subjectOf(v.claims()), v.issuer(), v.expiresAt()));
            }
        } catch (MalformedClaimException e) {
            throw new AuthenticationException("token has a malformed claim: " + e.getMessage(), e);
        }
        if (roles.contains(TokenIssuer.TENANT_ADMIN_ROLE)) {
            return new AdminCaller.TenantAdmin(verify(token).context());
        }
        throw new AuthenticationException.MissingRole("the admin API needs an operator token or a tenant token with the '"
                + TokenIssuer.TENANT_ADMIN_ROLE + "' role (claim '" + TokenIssuer.ROLES_CLAIM + "')");
    }

    /** The token's grants ({@value TokenIssuer#PERMISSIONS_CLAIM}); a token without the claim may do everything. */
    private static AccessPolicy policyOf(JwtClaims claims) throws AuthenticationException {
        Object permissions = claims.getClaimValue(TokenIssuer.PERMISSIONS_CLAIM);
        if (permissions == null) {
            return AccessPolicy.ALL;
        }
        if (!(permissions instanceof List<?> list) || list.size() > 256) {
            throw new AuthenticationException("token's '" + TokenIssuer.PERMISSIONS_CLAIM
                    + "' claim must be a list of at most 256 grants like \"SELECT:app.users\"");
        }
        List<String> written = new java.util.ArrayList<>();
        for (Object p : list) {
            if (!(p instanceof String grant)) {
                throw new AuthenticationException("token's '" + TokenIssuer.PERMISSIONS_CLAIM
                        + "' claim holds a non-string grant");
            }
            written.add(grant);
        }
        try {
            return AccessPolicy.parse(written);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("token's permissions are malformed: " + echo(e.getMessage()));
        }
    }

    private static Set<String> rolesOf(JwtClaims claims) {
        Object roles = claims.getClaimValue(TokenIssuer.ROLES_CLAIM);
        if (!(roles instanceof List<?> list)) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        for (Object r : list) {
            if (r instanceof String name) {
                out.add(name);
            }
        }
        return out;
    }

    private record Verified(JwtClaims claims, Instant expiresAt, String issuer) {}

    private Verified verifyClaims(String token) throws AuthenticationException {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("empty password: send a Strata token (a JWT) as the password");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException("token too long: " + token.length() + " characters, the limit is "
                    + MAX_TOKEN_LENGTH);
        }
        CompactJws jws = CompactJws.parse(token);
        String algorithm = algorithmOf(jws);
        if (jws.signature().length == 0) {
            throw new AuthenticationException("token carries no signature");
        }
        Verifier verifier = verifierFor(jws.claims());
        TrustedIssuer issuer = verifier.issuer();
        if (!issuer.keys().algorithms().contains(algorithm)) {
            throw new AuthenticationException("token is signed with algorithm '" + echo(algorithm) + "'; issuer '"
                    + issuer.issuer() + "' signs only with " + String.join(", ", new TreeSet<>(issuer.keys().algorithms())));
        }
        checkSignatureLength(algorithm, jws.signature().length);
        JwtClaims claims;
        try {
            claims = verifier.consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            throw describe(e);
        } catch (RuntimeException e) {
            // hostile input must never escape as anything but a refusal
            throw new AuthenticationException("token rejected: " + rootMessage(e), e);
        }
        try {
            checkAudience(claims, issuer);
            return new Verified(claims, checkTimes(claims), issuer.issuer());
        } catch (MalformedClaimException e) {
            throw new AuthenticationException("token has a malformed claim: " + e.getMessage(), e);
        }
    }

    private String algorithmOf(CompactJws jws) throws AuthenticationException {
        Object alg = jws.header().get("alg");
        if (!(alg instanceof String name)) {
            throw new AuthenticationException("password is not a JWT (its header names no 'alg')");
        }
        Set<String> all = new TreeSet<>();
        verifiers.values().forEach(v -> all.addAll(v.issuer().keys().algorithms()));
        if (!all.contains(name)) {
            throw new AuthenticationException("token is signed with algorithm '" + echo(name)
                    + "'; this server accepts only " + String.join(", ", all));
        }
        return name;
    }

    private Verifier verifierFor(Map<String, Object> unverifiedClaims) throws AuthenticationException {
        Object iss = unverifiedClaims.get("iss");
        if (iss == null) {
            throw new AuthenticationException("token has no issuer ('iss' claim); this server accepts tokens from "
                    + acceptedIssuers);
        }
        Verifier verifier = iss instanceof String name ? verifiers.get(name) : null;
        if (verifier == null) {
            throw new AuthenticationException("token issuer '" + echo(String.valueOf(iss))
                    + "' is not accepted; this server accepts tokens from " + acceptedIssuers);
        }
        return verifier;
    }

    private static void checkSignatureLength(String algorithm, int length) throws AuthenticationException {
        boolean plausible = algorithm.equals(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                ? length == ES256_SIGNATURE_BYTES
                : length >= MIN_RSA_BYTES && length <= MAX_RSA_BYTES;
        if (!plausible) {
            throw signatureLength(algorithm, length, algorithm.equals(AlgorithmIdentifiers.RSA_USING_SHA256)
                    ? "between " + MIN_RSA_BYTES + " and " + MAX_RSA_BYTES : Integer.toString(ES256_SIGNATURE_BYTES));
        }
    }

    private static AuthenticationException signatureLength(String algorithm, int length, String expected) {
        return new AuthenticationException("token's " + algorithm + " signature is " + length + " bytes, it must be "
                + expected + ": the token was truncated, altered or has text appended; copy the token exactly as"
                + " issued");
    }

    private static JwtConsumer consumer(TrustedIssuer issuer) {
        return new JwtConsumerBuilder()
                .setVerificationKeyResolver(exactLength(issuer.keys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        issuer.keys().algorithms().toArray(String[]::new))
                .setSkipAllDefaultValidators()
                .build();
    }

    /** Resolves the issuer's key and refuses an RS256 signature whose length is not the key's modulus length. */
    private static VerificationKeyResolver exactLength(IssuerKeys keys) {
        return (jws, nesting) -> {
            Key key = keys.resolve(jws);
            if (key instanceof RSAPublicKey rsa) {
                int modulusBytes = (rsa.getModulus().bitLength() + 7) / 8;
                if (modulusBytes < MIN_RSA_BYTES) {
                    throw new UserFacingKeyProblem("the issuer's RSA key has " + rsa.getModulus().bitLength()
                            + " bits; Strata requires at least 2048");
                }
                int length = signatureBytes(jws);
                if (length != modulusBytes) {
                    throw new UserFacingKeyProblem(signatureLength(jws.getAlgorithmHeaderValue(), length,
                            Integer.toString(modulusBytes) + " (the verifying key's modulus length)").getMessage());
                }
            }
            return key;
        };
    }

    private static int signatureBytes(JsonWebSignature jws) {
        return Base64.getUrlDecoder().decode(jws.getEncodedSignature()).length;
    }

    /** A key-resolution refusal whose message is complete as it stands. */
    private static final class UserFacingKeyProblem extends UnresolvableKeyException {
        UserFacingKeyProblem(String message) {
            super(message);
        }
    }

    private static void checkAudience(JwtClaims claims, TrustedIssuer issuer)
            throws MalformedClaimException, AuthenticationException {
        if (!claims.hasAudience()) {
            throw new AuthenticationException("token has no audience ('aud' claim); tokens of issuer '"
                    + issuer.issuer() + "' must carry '" + issuer.audience() + "'");
        }
        List<String> audience = claims.getAudience();
        if (!audience.contains(issuer.audience())) {
            throw new AuthenticationException("token audience " + echo(String.valueOf(audience))
                    + " does not include '" + issuer.audience() + "', which tokens of issuer '" + issuer.issuer()
                    + "' must carry");
        }
    }

    private Instant checkTimes(JwtClaims claims) throws MalformedClaimException, AuthenticationException {
        Instant now = clock.instant();
        long nowSeconds = now.getEpochSecond();
        long skew = limits.clockSkew().getSeconds();
        long maxLifetime = limits.maxTokenLifetime().getSeconds();
        NumericDate expiry = claims.getExpirationTime();
        if (expiry == null) {
            throw new AuthenticationException("token has no expiry ('exp' claim); Strata requires one");
        }
        NumericDate issuedAt = claims.getIssuedAt();
        if (issuedAt == null) {
            throw new AuthenticationException("token has no issue time ('iat' claim); Strata requires one to bound"
                    + " the token's lifetime");
        }
        long exp = expiry.getValue();
        long iat = issuedAt.getValue();
        if (difference(nowSeconds, skew) >= exp) {
            throw expired(exp, now);
        }
        NumericDate notBefore = claims.getNotBefore();
        if (notBefore != null && Math.addExact(nowSeconds, skew) < notBefore.getValue()) {
            throw new AuthenticationException("token is not valid before " + instant(notBefore.getValue())
                    + " (server time " + now + ")");
        }
        // Checked before iat: holds whatever iat claims, so a far-future exp cannot hide behind a forged iat.
        if (difference(exp, nowSeconds) > maxLifetime + skew) {
            throw new AuthenticationException("token expires at " + instant(exp) + ", further ahead than the maximum"
                    + " token lifetime of " + TokenLimits.human(limits.maxTokenLifetime()) + " allows (server time "
                    + now + "); mint a shorter-lived token");
        }
        if (iat > Math.addExact(nowSeconds, skew)) {
            throw new AuthenticationException("token was issued in the future (iat " + instant(iat) + ", server time "
                    + now + "); the issuer's clock is wrong, or the token was forged");
        }
        if (difference(exp, iat) > maxLifetime) {
            throw new AuthenticationException("token lifetime (exp - iat) is " + human(difference(exp, iat))
                    + ", longer than the maximum of " + TokenLimits.human(limits.maxTokenLifetime())
                    + " (strata.auth.max-token-lifetime); mint a shorter-lived token");
        }
        return instant(exp);
    }

    /** {@code a - b}, saturating instead of overflowing (claims are attacker-controlled longs). */
    private static long difference(long a, long b) {
        long result = a - b;
        if (((a ^ b) & (a ^ result)) < 0) {
            return a < b ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return result;
    }

    private static String human(long seconds) {
        return seconds == Long.MAX_VALUE ? "unbounded" : TokenLimits.human(java.time.Duration.ofSeconds(seconds));
    }

    // Instant's range ends at year 1000000000; clamp so a crafted claim cannot throw.
    private static Instant instant(long epochSecond) {
        return Instant.ofEpochSecond(Math.max(Instant.MIN.getEpochSecond(),
                Math.min(Instant.MAX.getEpochSecond(), epochSecond)));
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

    private static AuthenticationException describe(InvalidJwtException e) {
        UserFacingKeyProblem problem = find(e, UserFacingKeyProblem.class);
        if (problem != null) {
            return new AuthenticationException(problem.getMessage(), e);
        }
        UnresolvableKeyException unresolvable = find(e, UnresolvableKeyException.class);
        if (unresolvable != null) {
            String message = unresolvable.getMessage();
            // RemoteJwks words its refusals for users; others get the generic one
            if (message != null && (message.startsWith("no trusted key") || message.startsWith("cannot fetch"))) {
                return new AuthenticationException(message, e);
            }
            return new AuthenticationException("no trusted key matches this token (key id '" + echo(keyIdOf(e))
                    + "')", e);
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return new AuthenticationException("token signature is invalid: the token was not signed by a key"
                    + " this server trusts, or it was altered", e);
        }
        return new AuthenticationException("token rejected: " + rootMessage(e), e);
    }

    private static AuthenticationException expired(long exp, Instant now) {
        return new AuthenticationException("token expired at " + instant(exp) + " (server time " + now
                + "); mint a new one");
    }

    private static String keyIdOf(InvalidJwtException invalid) {
        if (invalid.getJwtContext() == null || invalid.getJwtContext().getJoseObjects().isEmpty()) {
            return null;
        }
        return invalid.getJwtContext().getJoseObjects().get(0).getKeyIdHeaderValue();
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = error; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    // Keeps attacker-controlled text short in messages and logs.
    static String echo(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= MAX_ECHO ? value : value.substring(0, MAX_ECHO) + "...";
    }
}
