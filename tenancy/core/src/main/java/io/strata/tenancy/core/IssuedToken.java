package io.strata.tenancy.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * What the service remembers about a token it issued through the admin API: never the token itself (whoever
 * reads the registry cannot log in), only what lets an admin list and revoke it.
 *
 * @param tokenId the token's {@code jti}
 * @param tenant its tenant
 * @param subject its principal
 * @param permissions its grants as written ({@code ACTION:RESOURCE}), or null for everything in the tenant
 * @param tenantAdmin whether it carries the tenant-admin role
 * @param issuedAt its {@code iat}
 * @param expiresAt its {@code exp}
 * @param issuedBy the subject of the admin who asked for it
 */
public record IssuedToken(String tokenId, String tenant, String subject, List<String> permissions, boolean tenantAdmin,
        Instant issuedAt, Instant expiresAt, String issuedBy) {
    public IssuedToken {
        requireNonNull(tokenId, "tokenId is null");
        TenantNames.requireValid(tenant);
        requireNonNull(subject, "subject is null");
        permissions = permissions == null ? null : List.copyOf(permissions);
        requireNonNull(issuedAt, "issuedAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
        requireNonNull(issuedBy, "issuedBy is null");
    }
}
