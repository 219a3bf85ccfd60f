package io.strata.tenancy.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Who a connection acts for, fixed at authentication: the tenant and the principal (the token's
 * subject). Immutable; passed explicitly down every request path (never held in a thread-local,
 * since one connection multiplexes many concurrent streams on event-loop threads).
 *
 * @param tenantId the tenant, a namespace: keyspaces of different tenants never meet
 * @param principal the token's subject (the user within the tenant)
 * @param policy what the token may do within the tenant
 * @param validUntil when the credential expires: a connection's requests after it are refused
 * @param tokenId the credential's id ({@code jti}), empty if it has none; revocations name it
 * @param issuedAt when the credential was issued ({@link Instant#MIN} if unknown); revoking a subject revokes
 *     its credentials issued before the revocation
 */
public record TenantContext(String tenantId, String principal, AccessPolicy policy, Instant validUntil,
        String tokenId, Instant issuedAt) {
    public TenantContext {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(validUntil, "validUntil is null");
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(issuedAt, "issuedAt is null");
    }

    /** A caller whose credential has no id. */
    public TenantContext(String tenantId, String principal, AccessPolicy policy, Instant validUntil) {
        this(tenantId, principal, policy, validUntil, "", Instant.MIN);
    }

    /** A caller whose credential does not expire. */
    public TenantContext(String tenantId, String principal, AccessPolicy policy) {
        this(tenantId, principal, policy, Instant.MAX);
    }

    /** A caller who may do everything within the tenant (tokens without a policy), with no expiry. */
    public TenantContext(String tenantId, String principal) {
        this(tenantId, principal, AccessPolicy.ALL, Instant.MAX);
    }
}
