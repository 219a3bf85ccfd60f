package io.strata.gateway.admin;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.strata.gateway.audit.AuditLog;
import io.strata.gateway.audit.TokenIds;
import io.strata.gateway.tenants.BlobRevocations;
import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.JwtAuthenticator;
import io.strata.tenancy.JwtAuthenticator.AdminCaller;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
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
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Decides who may reach {@code /admin/*}, before any resource runs. The request must carry
 * {@code Authorization: Bearer <token>} with either an operator token (everything) or a tenant token with the
 * tenant-admin role of an active tenant, which reaches only its own tenant:
 * {@code GET /admin/tenants/<own>}, {@code .../usage} (its bill), {@code /admin/tenants/<own>/tokens...} and
 * {@code .../revocations...} and {@code .../keys} (its customer-managed keys), {@code .../backups...} and
 * {@code .../restores...} (its backups and restores).
 * Everything else is operator-only (deny by default: a new endpoint is an operator's until listed here).
 * A missing or bad token is answered 401, a valid one without the right 403, both as RFC 7807 problem documents.
 * The caller is left in the request as {@link #CALLER} for resources that record who acted.
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
public class AdminAuthFilter implements ContainerRequestFilter, ContainerResponseFilter {
    /** The request property holding the verified {@link AdminCaller}. */
    public static final String CALLER = "strata.admin.caller";
    private static final Logger LOG = Logger.getLogger(AdminAuthFilter.class);
    private static final String BEARER = "Bearer ";
    static final String AUDIT_TOKEN_ID = "strata.audit.jti";
    /** What a tenant admin may reach: its tenant's record (GET), tokens, revocations, bill, keys, backups, restores. */
    private static final Pattern TENANT_ADMIN_PATH =
            Pattern.compile("/?admin/tenants/([^/]+)(/(tokens|revocations|usage|keys)(/[^/]+)?"
                    + "|/restores(/[^/]+)?"
                    + "|/backups(/[^/]+(/restore)?)?"
                    + ")?/?");

    @Inject
    Instance<AuditLog> audit;

    @Inject
    Instance<CurrentVertxRequest> vertxRequest;

    // looked up per request: filters are created at static init, before the runtime auth configuration exists
    @Inject
    Instance<JwtAuthenticator> tokens;

    @Inject
    Instance<TenantDirectory> tenants;

    @Inject
    Instance<BlobRevocations> revocations;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/admin") || path.startsWith("/admin/") || path.startsWith("admin"))) {
            return;
        }
        String method = request.getMethod();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            request.abortWith(problem(401, "Unauthorized", "the admin API needs an operator or tenant-admin token: "
                    + "Authorization: Bearer <token> (mint one with strata token operator)"));
            audit().admin(null, null, source(), method, path, "401 no bearer token");
            return;
        }
        String token = header.substring(BEARER.length()).strip();
        AdminCaller caller;
        try {
            caller = tokens.get().verifyAdmin(token);
        } catch (AuthenticationException.MissingRole e) {
            request.abortWith(problem(403, "Forbidden", e.getMessage()));
            // the token is valid, only the role is missing: its id is known
            audit().admin(null, TokenIds.jtiOf(token), source(), method, path, "403 " + e.getMessage());
            return;
        } catch (AuthenticationException e) {
            request.abortWith(problem(401, "Unauthorized", e.getMessage()));
            audit().admin(null, null, source(), method, path, "401 " + e.getMessage());
            return;
        }
        String jti = TokenIds.jtiOf(token);
        if (caller instanceof AdminCaller.TenantAdmin admin) {
            TenantContext context = admin.context();
            String refused = inactive(context);
            if (refused != null) {
                request.abortWith(problem(401, "Unauthorized", refused));
                audit().admin(context.tenantId(), context.principal(), jti, source(), method, path, "401 " + refused);
                return;
            }
            if (!tenantAdminMayReach(context.tenantId(), method, path)) {
                String detail = "a tenant admin of '" + context.tenantId() + "' may only read its tenant and its bill and manage"
                        + " its tokens and revocations (/admin/tenants/" + context.tenantId() + "/...); this needs an"
                        + " operator token";
                request.abortWith(problem(403, "Forbidden", detail));
                audit().admin(context.tenantId(), context.principal(), jti, source(), method, path, "403 " + detail);
                return;
            }
        }
        LOG.debugf("admin %s %s by %s", method, path, caller.subject());
        request.setProperty(CALLER, caller);
        request.setProperty(AUDIT_TOKEN_ID, jti);
        try {
            // where resources find it (they take the RoutingContext)
            vertxRequest.get().getCurrent().put(CALLER, caller);
            vertxRequest.get().getCurrent().put(AUDIT_TOKEN_ID, jti);
        } catch (RuntimeException notVertx) {
            LOG.debug("no Vert.x request to carry the admin caller", notVertx);
        }
    }

    static boolean tenantAdminMayReach(String tenant, String method, String path) {
        Matcher m = TENANT_ADMIN_PATH.matcher(path);
        if (!m.matches() || !m.group(1).equals(tenant)) {
            return false;
        }
        // the tenant record itself is read-only for its admin: suspending or deleting is the operator's
        return m.group(2) != null || method.equals("GET");
    }

    /** Why a tenant admin's token opens nothing now (its tenant is not active, or the token was revoked), or null. */
    private String inactive(TenantContext context) {
        Optional<TenantRecord> tenant = tenants.get().find(context.tenantId());
        if (tenant.isEmpty()) {
            return "tenant '" + context.tenantId() + "' does not exist";
        }
        if (tenant.get().state() != TenantState.ACTIVE) {
            return "tenant '" + context.tenantId() + "' is " + tenant.get().state().name().toLowerCase();
        }
        if (tenant.get().issuedBeforeIncarnation(context.issuedAt())) {
            return "this token was issued for an earlier tenant named '" + context.tenantId() + "'";
        }
        if (revocations.isResolvable() && revocations.get().revoked(context)) {
            return "this token was revoked; ask for a fresh one";
        }
        return null;
    }

    /** Records an authorised admin call with its status; refusals were recorded by {@link #filter(ContainerRequestContext)}. */
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CALLER) instanceof AdminCaller caller)) {
            return;
        }
        int status = response.getStatus();
        String tenant = caller instanceof AdminCaller.TenantAdmin admin ? admin.context().tenantId() : null;
        audit().admin(tenant, caller.subject(), (String) request.getProperty(AUDIT_TOKEN_ID), source(),
                request.getMethod(), request.getUriInfo().getPath(), status >= 400 ? "HTTP " + status : null);
    }

    private AuditLog audit() {
        return audit.isResolvable() ? audit.get() : AuditLog.disabled();
    }

    /** The client's address, or null when the request is not served by Vert.x HTTP (or it cannot be known). */
    String source() {
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
