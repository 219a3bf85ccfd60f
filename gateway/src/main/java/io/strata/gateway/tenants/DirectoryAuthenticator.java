package io.strata.gateway.tenants;

import static java.util.Objects.requireNonNull;

import io.strata.gateway.audit.AuditLog;
import io.strata.gateway.audit.TokenIds;
import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.Authenticator;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;

/**
 * A token is not enough: its tenant must exist and be active in the {@link TenantDirectory}. A valid token of an
 * unknown, suspended or deleted tenant is refused with a message saying which. Every login, accepted or refused,
 * goes to the {@link AuditLog} with the client's address. A connection of a tenant suspended or deleted since it
 * logged in is withdrawn at its next request (within the directory's cache time). Thread-safe.
 */
public final class DirectoryAuthenticator implements Authenticator {
    private final Authenticator tokens;
    private final TenantDirectory directory;
    private final AuditLog audit;
    private final BlobRevocations revocations;

    public DirectoryAuthenticator(Authenticator tokens, TenantDirectory directory) {
        this(tokens, directory, AuditLog.disabled());
    }

    public DirectoryAuthenticator(Authenticator tokens, TenantDirectory directory, AuditLog audit) {
        this(tokens, directory, audit, null);
    }

    /** @param revocations withdrawn credentials, or null for none */
    public DirectoryAuthenticator(Authenticator tokens, TenantDirectory directory, AuditLog audit,
            BlobRevocations revocations) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.revocations = revocations;
    }

    /** A revoked credential is withdrawn from connections that logged in with it, at their next request. */
    @Override
    public String withdrawn(TenantContext caller) {
        if (revocations != null && revocations.revoked(caller)) {
            return "The token of this connection was revoked; reconnect with a fresh token";
        }
        // cached for a few seconds: a suspension reaches open connections at their next request after that
        TenantRecord tenant = directory.findCached(caller.tenantId()).orElse(null);
        if (tenant == null || tenant.state() != TenantState.ACTIVE) {
            return "Tenant '" + caller.tenantId() + "' is " + (tenant == null ? "gone"
                    : tenant.state().name().toLowerCase(java.util.Locale.ROOT)) + "; this connection is closed";
        }
        return null;
    }

    @Override
    public TenantContext authenticate(String username, String password) throws AuthenticationException {
        return authenticate(username, password, null);
    }

    @Override
    public TenantContext authenticate(String username, String password, String client) throws AuthenticationException {
        TenantContext context;
        try {
            context = tokens.authenticate(username, password);
        } catch (AuthenticationException e) {
            // the token is not verified: nothing it claims is recorded
            audit.login(null, null, null, client, e.getMessage());
            throw e;
        }
        String jti = !context.tokenId().isEmpty() ? context.tokenId() : audit.enabled() ? TokenIds.jtiOf(password) : null;
        try {
            TenantContext active = active(context);
            audit.login(active.tenantId(), active.principal(), jti, client, null);
            return active;
        } catch (AuthenticationException e) {
            audit.login(context.tenantId(), context.principal(), jti, client, e.getMessage());
            throw e;
        }
    }

    private TenantContext active(TenantContext context) throws AuthenticationException {
        TenantRecord tenant = directory.find(context.tenantId()).orElseThrow(() -> new AuthenticationException(
                "tenant '" + context.tenantId() + "' does not exist: an operator creates tenants (POST /admin/tenants)"));
        if (revocations != null && revocations.revoked(context)) {
            throw new AuthenticationException("this token was revoked; ask for a fresh one");
        }
        if (tenant.issuedBeforeIncarnation(context.issuedAt())) {
            throw new AuthenticationException("this token was issued for an earlier tenant named '" + tenant.name()
                    + "', deleted since; ask for a fresh one");
        }
        return switch (tenant.state()) {
            case ACTIVE -> context;
            case SUSPENDED -> throw new AuthenticationException("tenant '" + tenant.name()
                    + "' is suspended: its operator must resume it");
            case DELETED -> throw new AuthenticationException("tenant '" + tenant.name() + "' was deleted");
        };
    }
}
