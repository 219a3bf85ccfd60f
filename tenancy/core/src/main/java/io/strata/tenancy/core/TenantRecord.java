package io.strata.tenancy.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A tenant as the operator created it.
 *
 * @param name a valid tenant name ({@link TenantNames})
 * @param state its current state
 * @param createdAt when it was created (this incarnation)
 * @param changedAt when its state last changed (its creation, at first)
 * @param incarnation 1 for the first tenant of this name; a name whose deleted tenant's data is gone may be
 *     created again, as the next incarnation, whose tokens are told apart by their issue time
 */
public record TenantRecord(String name, TenantState state, Instant createdAt, Instant changedAt, int incarnation) {
    public TenantRecord {
        TenantNames.requireValid(name);
        requireNonNull(state, "state is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(changedAt, "changedAt is null");
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be at least 1: " + incarnation);
        }
    }

    public TenantRecord(String name, TenantState state, Instant createdAt, Instant changedAt) {
        this(name, state, createdAt, changedAt, 1);
    }

    public TenantRecord withState(TenantState next, Instant at) {
        return new TenantRecord(name, next, createdAt, at, incarnation);
    }

    /**
     * Whether a token issued at {@code issuedAt} belongs to an earlier tenant of this name (and so opens nothing).
     * First incarnations accept tokens minted before the tenant was created (offline minting may come first).
     */
    public boolean issuedBeforeIncarnation(Instant issuedAt) {
        // token times are whole seconds
        return incarnation > 1 && issuedAt.isBefore(createdAt.truncatedTo(ChronoUnit.SECONDS));
    }
}
