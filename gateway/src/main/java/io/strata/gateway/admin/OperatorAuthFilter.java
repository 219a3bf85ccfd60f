package io.strata.gateway.admin;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.strata.gateway.audit.AuditLog;
import io.strata.gateway.audit.TokenIds;
import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.JwtAuthenticator;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Lets only operators reach {@code /admin/*}: the request must carry {@code Authorization: Bearer <token>} with an
 * operator token ({@link JwtAuthenticator#verifyOperator}); otherwise it is answered 401 (no or a bad token) or
 * 403 (a valid token without the operator role) as an RFC 7807 problem document, before any resource runs.
 *
 * <p>Why this also stops cross-site requests: browsers never attach a bearer token on their own (unlike cookies),
 * and a page on another origin cannot add the header without a CORS preflight, which the gateway does not grant
 * (Quarkus' CORS filter is off). Thread-safe: stateless.
 *
 * <p>Every admin call goes to the {@link AuditLog}: a refused one here, an authorised one when its response is
 * sent (outcome refused with the HTTP status for 4xx and 5xx answers).
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class OperatorAuthFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final Logger LOG = Logger.getLogger(OperatorAuthFilter.class);
    private static final String BEARER = "Bearer ";
    private static final String AUDIT_OPERATOR = "strata.audit.operator";
    private static final String AUDIT_TOKEN_ID = "strata.audit.jti";

    @Inject
    Instance<AuditLog> audit;

    @Inject
    Instance<CurrentVertxRequest> vertxRequest;

    // looked up per request: filters are created at static init, before the runtime auth configuration exists
    @Inject
    Instance<JwtAuthenticator> tokens;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/admin") || path.startsWith("/admin/") || path.startsWith("admin"))) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            request.abortWith(problem(401, "Unauthorized", "the admin API needs an operator token: "
                    + "Authorization: Bearer <token> (mint one with strata token operator)"));
            audit().admin(null, null, source(), request.getMethod(), path, "401 no bearer token");
            return;
        }
        String token = header.substring(BEARER.length()).strip();
        try {
            JwtAuthenticator.Operator operator = tokens.get().verifyOperator(token);
            LOG.debugf("admin %s %s by operator %s", request.getMethod(), path, operator.subject());
            request.setProperty(AUDIT_OPERATOR, operator.subject());
            request.setProperty(AUDIT_TOKEN_ID, TokenIds.jtiOf(token));
        } catch (AuthenticationException.MissingRole e) {
            request.abortWith(problem(403, "Forbidden", e.getMessage()));
            // the token is valid, only the role is missing: its id is known
            audit().admin(null, TokenIds.jtiOf(token), source(), request.getMethod(), path, "403 " + e.getMessage());
        } catch (AuthenticationException e) {
            request.abortWith(problem(401, "Unauthorized", e.getMessage()));
            audit().admin(null, null, source(), request.getMethod(), path, "401 " + e.getMessage());
        }
    }

    /** Records an authorised admin call with its status; refusals were recorded by {@link #filter(ContainerRequestContext)}. */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object operator = request.getProperty(AUDIT_OPERATOR);
        if (operator == null) {
            return;
        }
        int status = response.getStatus();
        audit().admin(operator.toString(), (String) request.getProperty(AUDIT_TOKEN_ID), source(), request.getMethod(),
                request.getUriInfo().getPath(), status >= 400 ? "HTTP " + status : null);
    }

    private AuditLog audit() {
        return audit.isResolvable() ? audit.get() : AuditLog.disabled();
    }

    /** The client's address, or null when the request is not served by Vert.x HTTP (or it cannot be known). */
    private String source() {
        try {
            return vertxRequest.get().getCurrent().request().remoteAddress().toString();
        } catch (RuntimeException unknown) {
            return null;
        }
    }

    private static Response problem(int status, String title, String detail) {
        Response r = AdminProblems.problem(status, title, detail);
        return status == 401 ? Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE,
                "Bearer realm=\"strata-admin\"").build() : r;
    }
}
