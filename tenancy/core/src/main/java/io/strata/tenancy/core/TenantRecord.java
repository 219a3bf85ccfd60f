package io.strata.tenancy.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A tenant as the operator created it.
 *
 * @param name a valid tenant name ({@link TenantNames})
 * @param state its current state
 * @param createdAt when it was created
 * @param changedAt when its state last changed (its creation, at first)
 */
public record TenantRecord(String name, TenantState state, Instant createdAt, Instant changedAt) {
    public TenantRecord {
        TenantNames.requireValid(name);
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(changedAt, "changedAt is null");
    }

    public TenantRecord withState(TenantState next, Instant at) {
        return new TenantRecord(name, next, createdAt, at);
    }
}
