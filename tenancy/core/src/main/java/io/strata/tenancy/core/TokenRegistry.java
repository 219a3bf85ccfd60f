package io.strata.tenancy.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The tokens issued through the admin API, per tenant, so that admins can list and revoke them. Tokens minted
 * elsewhere (offline with the signing key, or by an external identity provider) are valid without being here.
 * Implementations are thread-safe and shared by every gateway node.
 */
public interface TokenRegistry {
    /** Records an issued token. */
    void record(IssuedToken token);

    /** One issued token of the tenant. */
    Optional<IssuedToken> find(String tenant, String tokenId);

    /** The tenant's issued tokens that have not expired before {@code now}, oldest first. */
    List<IssuedToken> list(String tenant, Instant now);
}
