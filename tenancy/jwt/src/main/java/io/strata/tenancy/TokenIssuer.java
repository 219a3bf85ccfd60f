package io.strata.tenancy;

import io.strata.tenancy.core.TenantNames;
import static java.util.Objects.requireNonNull;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Mints Strata tokens: compact JWS (ES256 for generated keys, RS256 for an operator's RSA key) whose
 * claims are {@code iss} and {@code aud} (from {@link TokenSettings}), {@code sub} (the principal),
 * {@code tenant}, {@code iat}, {@code exp}, a random {@code jti} and, if asked, {@code permissions} and
 * {@code roles}; the header carries the key's
 * thumbprint as {@code kid}. Times come from the injected {@link Clock}; the lifetime is at most the
 * settings' {@link TokenSettings#maxTokenLifetime()}, so every minted token is one the verifier accepts.
 *
 * <p>Minting goes through SmallRye JWT's builder, which consults MicroProfile Config for
 * {@code smallrye.jwt.new-token.*} defaults; every claim those defaults could supply is set explicitly
 * here, so only {@code smallrye.jwt.new-token.override-matching-claims=true} could change a minted token.
 *
 * <p>Thread-safe: holds only immutable state.
 */
public final class TokenIssuer {
    /** The claim naming the tenant. */
    public static final String TENANT_CLAIM = "tenant";
    /** The claim listing a tenant token's grants ({@code ACTION:RESOURCE}); absent: everything in the tenant. */
    public static final String PERMISSIONS_CLAIM = "permissions";
    /** The claim listing a token's service roles. */
    public static final String ROLES_CLAIM = "roles";
    /** The role that may use the admin API (storage status, repair); operator tokens name no tenant. */
    public static final String OPERATOR_ROLE = "operator";
    /** The role of a tenant token that may also manage its own tenant through the admin API (tokens, revocations). */
    public static final String TENANT_ADMIN_ROLE = "tenant-admin";

    private final SigningKeys keys;
    private final TokenSettings settings;
    private final Clock clock;

    /** @throws IllegalArgumentException if {@code keys} are verification-only */
    public TokenIssuer(SigningKeys keys, TokenSettings settings, Clock clock) {
        this.keys = requireNonNull(keys, "keys is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (!keys.canSign()) {
            throw new IllegalArgumentException("cannot mint tokens with " + keys);
        }
    }

    /**
     * @param tenant a valid tenant name (see {@link TenantNames})
     * @param subject the principal within the tenant, non-blank
     * @param lifetime how long the token is valid, at least 1 second and at most the settings' maximum token
     *     lifetime; whole seconds
     * @return the signed compact JWT
     * @throws IllegalArgumentException on an invalid tenant, subject or lifetime
     */
    public String mint(String tenant, String subject, Duration lifetime) {
        return mint(tenant, subject, lifetime, null);
    }

    /**
     * A tenant token limited to {@code permissions} ({@code ACTION:RESOURCE}, see
     * {@link io.strata.tenancy.core.AccessPolicy}); null for a token that may do everything in its tenant.
     *
     * @throws IllegalArgumentException also on a malformed grant
     */
    public String mint(String tenant, String subject, Duration lifetime, List<String> permissions) {
        return issue(tenant, subject, lifetime, permissions, List.of()).token();
    }

    /**
     * A tenant token that also carries {@code roles} in its {@value #ROLES_CLAIM} claim (e.g.
     * {@value #TENANT_ADMIN_ROLE}); no claim when empty.
     *
     * @throws IllegalArgumentException also on a blank role or the {@value #OPERATOR_ROLE} role, which only
     *     operator tokens (no tenant) carry
     */
    public String mint(String tenant, String subject, Duration lifetime, List<String> permissions,
            List<String> roles) {
        return issue(tenant, subject, lifetime, permissions, roles).token();
    }

    /** A minted token with what a registry of issued tokens keeps about it (never the token itself). */
    public record Minted(String token, String tokenId, Instant issuedAt, Instant expiresAt) {
        public Minted {
            requireNonNull(token, "token is null");
            requireNonNull(tokenId, "tokenId is null");
            requireNonNull(issuedAt, "issuedAt is null");
            requireNonNull(expiresAt, "expiresAt is null");
        }
    }

    /**
     * Like {@link #mint(String, String, Duration, List)}; a {@code tenantAdmin} token also carries the
     * {@value #TENANT_ADMIN_ROLE} role, which lets it manage its own tenant through the admin API.
     */
    public Minted issue(String tenant, String subject, Duration lifetime, List<String> permissions,
            boolean tenantAdmin) {
        return issue(tenant, subject, lifetime, permissions, tenantAdmin ? List.of(TENANT_ADMIN_ROLE) : List.of());
    }

    private Minted issue(String tenant, String subject, Duration lifetime, List<String> permissions,
            List<String> roles) {
        TenantNames.requireValid(tenant);
        requireNonNull(roles, "roles is null");
        for (String role : roles) {
            if (role == null || role.isBlank() || role.equals(OPERATOR_ROLE)) {
                throw new IllegalArgumentException("a tenant token cannot carry the role '" + role + "'");
            }
        }
        checkSubjectAndLifetime(subject, lifetime);
        if (permissions != null) {
            io.strata.tenancy.core.AccessPolicy.parse(permissions); // refuse what servers would refuse
        }
        long issuedAt = Instant.now(clock).getEpochSecond();
        String jti = java.util.UUID.randomUUID().toString();
        JwtClaimsBuilder claims = Jwt.issuer(settings.issuer())
                .subject(subject)
                .audience(settings.audience())
                .claim(TENANT_CLAIM, tenant)
                .claim("jti", jti)
                .issuedAt(issuedAt)
                .expiresAt(issuedAt + lifetime.getSeconds());
        if (permissions != null) {
            claims = claims.claim(PERMISSIONS_CLAIM, List.copyOf(permissions));
        }
        if (!roles.isEmpty()) {
            claims = claims.claim(ROLES_CLAIM, List.copyOf(roles));
        }
        String token = claims.jws()
                .keyId(keys.keyId().orElseThrow())
                .algorithm(keys.signingAlgorithm())
                .sign(keys.privateKey());
        return new Minted(token, jti, Instant.ofEpochSecond(issuedAt), Instant.ofEpochSecond(issuedAt + lifetime.getSeconds()));
    }

    /**
     * An operator token: no tenant, the {@value #OPERATOR_ROLE} role; for the admin API only (a CQL login with it is
     * refused).
     *
     * @throws IllegalArgumentException on a blank subject or a lifetime outside 1 second to the maximum
     */
    public String mintOperator(String subject, Duration lifetime) {
        checkSubjectAndLifetime(subject, lifetime);
        long issuedAt = Instant.now(clock).getEpochSecond();
        return Jwt.issuer(settings.issuer())
                .subject(subject)
                .audience(settings.audience())
                .claim(ROLES_CLAIM, List.of(OPERATOR_ROLE))
                .issuedAt(issuedAt)
                .expiresAt(issuedAt + lifetime.getSeconds())
                .jws()
                .keyId(keys.keyId().orElseThrow())
                .algorithm(keys.signingAlgorithm())
                .sign(keys.privateKey());
    }

    private void checkSubjectAndLifetime(String subject, Duration lifetime) {
        requireNonNull(subject, "subject is null");
        requireNonNull(lifetime, "lifetime is null");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject is blank");
        }
        if (lifetime.getSeconds() < 1 || lifetime.compareTo(settings.maxTokenLifetime()) > 0) {
            throw new IllegalArgumentException("lifetime must be between 1 second and the maximum token lifetime of "
                    + TokenLimits.human(settings.maxTokenLifetime()) + " (strata.auth.max-token-lifetime): " + lifetime);
        }
    }

    /** @return the settings minted tokens follow */
    public TokenSettings settings() {
        return settings;
    }
}
