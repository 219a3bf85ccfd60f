package io.strata.tenancy;

import io.strata.tenancy.core.TenantContext;

/**
 * Verifies the credentials a CQL client sends with SASL PLAIN ({@code PasswordAuthenticator}): the
 * password is a JWT; the username is informational (conventionally {@code token}). Thread-safe; CPU
 * only (signature verification), so callers may run it on an event loop for small keys or offload it.
 */
public interface Authenticator {
    /**
     * @return the tenant the token names
     * @throws AuthenticationException with a message a user can act on (expired, bad signature, ...)
     */
    TenantContext authenticate(String username, String password) throws AuthenticationException;

    /**
     * Like {@link #authenticate(String, String)}, from a known client address (for audit records).
     *
     * @param client the client's address, or null if unknown
     */
    default TenantContext authenticate(String username, String password, String client) throws AuthenticationException {
        return authenticate(username, password);
    }

    /**
     * Whether a connection authenticated earlier may go on: called before each of its requests, so it must answer
     * from memory (no I/O). The default never withdraws a login.
     *
     * @return null if it may, else why not (sent to the client, which should reconnect with a fresh token)
     */
    default String withdrawn(TenantContext caller) {
        return null;
    }
}
