package io.strata.gateway.transport;

import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.Authenticator;
import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.TenantContext;
import io.vertx.core.Context;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts {@link #GOOD_PASSWORD} for any user (tenant "acme", or the tenant named by a password of
 * the form {@code good-password:<tenant>}; a user {@code scoped:<grants>} gets those grants) and refuses
 * anything else. Records whether it was ever
 * called on an event loop. Thread-safe.
 */
final class FakeAuthenticator implements Authenticator {
    static final String GOOD_PASSWORD = "good-password";
    static final String TENANT = "acme";
    /** A user named {@code scoped:<grant>[,<grant>...]} gets a token limited to those grants. */
    static final String SCOPED = "scoped:";

    final AtomicInteger calls = new AtomicInteger();
    final AtomicBoolean calledOnEventLoop = new AtomicBoolean();
    /** The client descriptions (audit sources) logins arrived with. */
    final java.util.List<String> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public TenantContext authenticate(String username, String password, String client) throws AuthenticationException {
        clients.add(String.valueOf(client));
        return authenticate(username, password);
    }

    @Override
    public TenantContext authenticate(String username, String password) throws AuthenticationException {
        calls.incrementAndGet();
        if (Context.isOnEventLoopThread()) {
            calledOnEventLoop.set(true);
        }
        if (GOOD_PASSWORD.equals(password) && username.startsWith(SCOPED)) {
            return new TenantContext(TENANT, username,
                    AccessPolicy.parse(List.of(username.substring(SCOPED.length()).split(","))));
        }
        if (GOOD_PASSWORD.equals(password)) {
            return new TenantContext(TENANT, username);
        }
        if (password.startsWith(GOOD_PASSWORD + ":")) {
            return new TenantContext(password.substring(GOOD_PASSWORD.length() + 1), username);
        }
        throw new AuthenticationException("Invalid token for user " + username);
    }
}
