package io.strata.tenancy.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A withdrawn credential: one token by its id, or every token of a subject issued before the revocation.
 *
 * @param tenant the tenant the tokens belong to
 * @param tokenId the {@code jti} revoked, or empty when a whole subject is
 * @param subject the subject revoked, or empty when one token is
 * @param at when it was revoked
 */
public record Revocation(String tenant, String tokenId, String subject, Instant at) {
    public Revocation {
        TenantNames.requireValid(tenant);
        requireNonNull(tokenId, "tokenId is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(at, "at is null");
        if (tokenId.isEmpty() == subject.isEmpty()) {
            throw new IllegalArgumentException("a revocation names either a token id or a subject");
        }
    }

    /** Whether this revocation withdraws the caller's credential. */
    public boolean covers(TenantContext caller) {
        if (!caller.tenantId().equals(tenant)) {
            return false;
        }
        if (!tokenId.isEmpty()) {
            return tokenId.equals(caller.tokenId());
        }
        // tokens issued in the same second as the revocation are revoked too (iat has second precision)
        return subject.equals(caller.principal()) && !caller.issuedAt().isAfter(at);
    }
}
