package io.strata.gateway.tenants;

import static java.util.Objects.requireNonNull;

import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.Authenticator;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantRecord;

/**
 * A token is not enough: its tenant must exist and be active in the {@link TenantDirectory}. A valid token of an
 * unknown, suspended or deleted tenant is refused with a message saying which. Thread-safe.
 */
public final class DirectoryAuthenticator implements Authenticator {
    private final Authenticator tokens;
    private final TenantDirectory directory;

    public DirectoryAuthenticator(Authenticator tokens, TenantDirectory directory) {
        this.tokens = requireNonNull(tokens, "tokens is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    @Override
    public TenantContext authenticate(String username, String password) throws AuthenticationException {
        TenantContext context = tokens.authenticate(username, password);
        TenantRecord tenant = directory.find(context.tenantId()).orElseThrow(() -> new AuthenticationException(
                "tenant '" + context.tenantId() + "' does not exist: an operator creates tenants (POST /admin/tenants)"));
        return switch (tenant.state()) {
            case ACTIVE -> context;
            case SUSPENDED -> throw new AuthenticationException("tenant '" + tenant.name()
                    + "' is suspended: its operator must resume it");
            case DELETED -> throw new AuthenticationException("tenant '" + tenant.name() + "' was deleted");
        };
    }
}
