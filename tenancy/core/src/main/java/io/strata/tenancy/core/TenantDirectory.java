package io.strata.tenancy.core;

import java.util.List;
import java.util.Optional;

/**
 * The tenants that exist: created by an operator, never by a token. Logins check it, so a token naming an unknown,
 * suspended or deleted tenant opens nothing. Implementations are thread-safe and shared by every gateway node
 * (they live in the shared storage); a state change reaches other nodes' logins within their cache time.
 */
public interface TenantDirectory {
    /** The tenant, if it was ever created (deleted ones included). */
    Optional<TenantRecord> find(String name);

    /**
     * Like {@link #find}, for hot paths (every request of a connection): a tenant seen recently is answered from
     * memory even when its cached state is older than the cache time, and refreshed in the background, so the
     * caller never waits for storage; a change reaches it within about the cache time.
     */
    default Optional<TenantRecord> findCached(String name) {
        return find(name);
    }

    /** Every tenant ever created, by name. */
    List<TenantRecord> list();

    /**
     * Creates an active tenant.
     *
     * @throws TenantDirectoryException.AlreadyExists if the name is taken (also by a deleted tenant)
     * @throws IllegalArgumentException if the name is not a valid tenant name
     */
    TenantRecord create(String name);

    /**
     * Moves a tenant to another state.
     *
     * @throws TenantDirectoryException.NotFound if there is no such tenant
     * @throws TenantDirectoryException.InvalidTransition if the move is not allowed ({@link TenantState#canBecome})
     */
    TenantRecord transition(String name, TenantState next);
}
