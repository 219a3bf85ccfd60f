package io.strata.tenancy.core;

import static java.util.Objects.requireNonNull;

/**
 * Who a connection acts for, fixed at authentication: the tenant and the principal (the token's
 * subject). Immutable; passed explicitly down every request path (never held in a thread-local,
 * since one connection multiplexes many concurrent streams on event-loop threads).
 *
 * @param tenantId the tenant, a namespace: keyspaces of different tenants never meet
 * @param principal the token's subject (the user within the tenant)
 * @param policy what the token may do within the tenant
 */
public record TenantContext(String tenantId, String principal, AccessPolicy policy) {
    public TenantContext {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(principal, "principal is null");
        requireNonNull(policy, "policy is null");
    }

    /** A caller who may do everything within the tenant (tokens without a policy). */
    public TenantContext(String tenantId, String principal) {
        this(tenantId, principal, AccessPolicy.ALL);
    }
}
