package io.strata.gateway.admin;

import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.JwtAuthenticator;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
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
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class OperatorAuthFilter implements ContainerRequestFilter {
    private static final Logger LOG = Logger.getLogger(OperatorAuthFilter.class);
    private static final String BEARER = "Bearer ";

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
                    + "Authorization: Bearer <token> (mint one with TokenTool operator)"));
            return;
        }
        try {
            JwtAuthenticator.Operator operator = tokens.get().verifyOperator(header.substring(BEARER.length()).strip());
            LOG.debugf("admin %s %s by operator %s", request.getMethod(), path, operator.subject());
        } catch (AuthenticationException.MissingRole e) {
            request.abortWith(problem(403, "Forbidden", e.getMessage()));
        } catch (AuthenticationException e) {
            request.abortWith(problem(401, "Unauthorized", e.getMessage()));
        }
    }

    private static Response problem(int status, String title, String detail) {
        Response r = AdminProblems.problem(status, title, detail);
        return status == 401 ? Response.fromResponse(r).header(HttpHeaders.WWW_AUTHENTICATE,
                "Bearer realm=\"strata-admin\"").build() : r;
    }
}
