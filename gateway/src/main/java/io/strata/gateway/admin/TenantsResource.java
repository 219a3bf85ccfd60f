package io.strata.gateway.admin;

import io.strata.gateway.audit.AuditLog;
import io.strata.gateway.config.ServiceProducers.TokenMint;
import io.strata.gateway.tenants.BlobRevocations;
import io.strata.gateway.tenants.TenantPurger;
import io.strata.tenancy.JwtAuthenticator.AdminCaller;
import io.strata.tenancy.TokenIssuer;
import io.strata.tenancy.core.IssuedToken;
import io.strata.tenancy.core.Revocation;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
import io.strata.tenancy.core.TokenRegistry;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tenants and their tokens ({@code /admin/tenants}). Operators create, list, get, suspend, resume and delete tenants;
 * operators and a tenant's own tenant admins ({@link AdminAuthFilter} decides who reaches what) issue, list and
 * revoke its tokens. A tenant exists only once created here; a token for any other tenant opens nothing. Deleting
 * drops the tenant's schema at once and storage deletes the data after the retention window; the name stays taken
 * until then. Errors are RFC 7807 problem documents ({@link AdminProblems}). Issued tokens are returned once and
 * never stored: the registry keeps only their ids and claims.
 */
@Path("/admin/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tenants", description = "Tenants, their tokens and revocations")
public class TenantsResource {
    @Inject
    TenantDirectory tenants;

    @Inject
    BlobRevocations revocations;

    @Inject
    TokenRegistry registry;

    @Inject
    TokenMint mint;

    @Inject
    TenantPurger purger;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    /** The body of a revocation: one token by its id ({@code jti}), or every token of a subject issued so far. */
    public record NewRevocation(@Size(max = 256, message = "tokenId is at most 256 characters") String tokenId,
            @Size(max = 256, message = "subject is at most 256 characters") String subject) {}

    /** The body of a create request. */
    public record NewTenant(
            @NotNull(message = "name is required")
            @Pattern(regexp = "[a-z][a-z0-9_-]{0,47}",
                    message = "name must be 1 to 48 characters: a lowercase letter, then lowercase letters, digits, _ or -")
            String name) {}

    /**
     * The body of a token request.
     *
     * @param lifetime an ISO-8601 duration ({@code PT12H}, {@code P30D}); default 1 day, at most the maximum token
     *     lifetime
     * @param permissions grants {@code ACTION[|ACTION]:RESOURCE}; absent for everything in the tenant
     */
    public record NewToken(
            @NotBlank(message = "subject is required")
            @Size(max = 256, message = "subject is at most 256 characters")
            String subject,
            @Size(max = 32, message = "lifetime is an ISO-8601 duration such as PT12H or P30D") String lifetime,
            @Size(max = 256, message = "at most 256 permissions") List<@NotBlank(message = "a permission is blank")
                    @Size(max = 512, message = "a permission is at most 512 characters") String> permissions,
            Boolean tenantAdmin) {}

    /** A token as issued (with the token, shown once) or listed (without it, with whether it is revoked). */
    public record TokenView(String tokenId, String tenant, String subject, List<String> permissions, boolean tenantAdmin,
            Instant issuedAt, Instant expiresAt, String issuedBy, Boolean revoked, String token) {
        static TokenView of(IssuedToken t, Boolean revoked, String token) {
            return new TokenView(t.tokenId(), t.tenant(), t.subject(), t.permissions(), t.tenantAdmin(), t.issuedAt(),
                    t.expiresAt(), t.issuedBy(), revoked, token);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a tenant (operators)")
    public Response create(@Valid @NotNull(message = "a JSON body {\"name\": ...} is required") NewTenant request) {
        TenantRecord created = tenants.create(request.name());
        return Response.created(URI.create("/admin/tenants/" + created.name())).entity(created).build();
    }

    @GET
    @Operation(summary = "List tenants (operators)")
    public List<TenantRecord> list() {
        return tenants.list();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Get a tenant (operators, or its tenant admins)")
    public TenantRecord get(@PathParam("name") String name) {
        return tenants.find(name).orElseThrow(() -> new TenantDirectoryException.NotFound(name));
    }

    @POST
    @Path("{name}/suspend")
    @Operation(summary = "Suspend a tenant: logins refused, open connections closed at their next request")
    public TenantRecord suspend(@PathParam("name") String name) {
        return tenants.transition(name, TenantState.SUSPENDED);
    }

    @POST
    @Path("{name}/resume")
    @Operation(summary = "Resume a suspended tenant")
    public TenantRecord resume(@PathParam("name") String name) {
        return tenants.transition(name, TenantState.ACTIVE);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a tenant: final; its data is removed after the retention window")
    public TenantRecord delete(@PathParam("name") String name) {
        TenantRecord deleted = tenants.transition(name, TenantState.DELETED);
        // a failure is logged by the purger and retried by the next start-up's sweep
        purger.purge(name);
        return deleted;
    }

    @POST
    @Path("{name}/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a token of the tenant (returned once, never stored)")
    public Response issue(@PathParam("name") String name,
            @Valid @NotNull(message = "a JSON body {\"subject\": ...} is required") NewToken request,
            RoutingContext http) {
        TenantRecord tenant = get(name);
        if (tenant.state() != TenantState.ACTIVE) {
            throw new WebApplicationException(AdminProblems.problem(409, "Conflict",
                    "tenant '" + name + "' is " + tenant.state().name().toLowerCase() + ": it gets no new tokens"));
        }
        TokenIssuer issuer = mint.issuer();
        if (issuer == null) {
            throw new WebApplicationException(AdminProblems.problem(409, "Conflict", "this gateway holds no signing key"
                    + " (strata.auth.public-key or external issuers only): tokens come from your identity provider"));
        }
        Duration lifetime = lifetime(request.lifetime());
        boolean admin = Boolean.TRUE.equals(request.tenantAdmin());
        TokenIssuer.Minted minted;
        try {
            minted = issuer.issue(name, request.subject(), lifetime, request.permissions(), admin);
        } catch (IllegalArgumentException e) {
            throw new WebApplicationException(AdminProblems.problem(400, "Bad Request", e.getMessage()));
        }
        AdminCaller caller = caller(http);
        IssuedToken issued = new IssuedToken(minted.tokenId(), name, request.subject(), request.permissions(), admin,
                minted.issuedAt(), minted.expiresAt(), caller.subject());
        registry.record(issued);
        audit.tokenIssued(name, request.subject(), minted.tokenId(), caller.subject(), source(http));
        return Response.created(URI.create("/admin/tenants/" + name + "/tokens/" + minted.tokenId()))
                .entity(TokenView.of(issued, null, minted.token())).build();
    }

    @GET
    @Path("{name}/tokens")
    @Operation(summary = "List the tenant's unexpired tokens issued through this API")
    public List<TokenView> tokens(@PathParam("name") String name) {
        get(name);
        List<Revocation> revoked = revocations.list(name);
        Set<String> revokedIds = revoked.stream().map(Revocation::tokenId).filter(id -> !id.isEmpty())
                .collect(Collectors.toSet());
        List<Revocation> bySubject = revoked.stream().filter(r -> !r.subject().isEmpty()).toList();
        return registry.list(name, clock.instant()).stream()
                .map(t -> TokenView.of(t, revokedIds.contains(t.tokenId()) || bySubject.stream().anyMatch(r ->
                        r.subject().equals(t.subject()) && !t.issuedAt().isAfter(r.at())), null))
                .toList();
    }

    @GET
    @Path("{name}/tokens/{id}")
    @Operation(summary = "Get one issued token (without the token itself)")
    public TokenView token(@PathParam("name") String name, @PathParam("id") String id) {
        get(name);
        return tokens(name).stream().filter(t -> t.tokenId().equals(id)).findFirst()
                .orElseThrow(() -> new WebApplicationException(AdminProblems.problem(404, "Not Found",
                        "tenant '" + name + "' has no unexpired token '" + id + "' issued through this API")));
    }

    @DELETE
    @Path("{name}/tokens/{id}")
    @Operation(summary = "Revoke one token by its id (jti)")
    public Revocation revokeToken(@PathParam("name") String name, @PathParam("id") String id, RoutingContext http) {
        get(name);
        if (id.length() > 256) {
            throw new WebApplicationException(AdminProblems.problem(400, "Bad Request", "token id is at most 256 characters"));
        }
        String subject = registry.find(name, id).map(IssuedToken::subject).orElse(null);
        Revocation r = revocations.revoke(name, id, null);
        audit.tokenRevoked(name, subject, id, caller(http).subject(), source(http));
        return r;
    }

    /**
     * Revokes a token or a subject's tokens: logins with them are refused at once on this node and within 2 s on
     * every node, and open connections are told at their next request to reconnect with a fresh token.
     */
    @POST
    @Path("{name}/revocations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke a token (tokenId) or every token of a subject issued so far")
    public Response revoke(@PathParam("name") String name,
            @Valid @NotNull(message = "a JSON body {\"tokenId\": ...} or {\"subject\": ...} is required")
            NewRevocation request, RoutingContext http) {
        get(name);
        boolean token = request.tokenId() != null && !request.tokenId().isBlank();
        boolean subject = request.subject() != null && !request.subject().isBlank();
        if (token == subject) {
            throw new WebApplicationException(AdminProblems.problem(400, "Bad Request",
                    "give exactly one of tokenId and subject"));
        }
        Revocation r = revocations.revoke(name, token ? request.tokenId() : null, subject ? request.subject() : null);
        audit.tokenRevoked(name, subject ? request.subject() : null, token ? request.tokenId() : null,
                caller(http).subject(), source(http));
        return Response.status(201).entity(r).build();
    }

    @GET
    @Path("{name}/revocations")
    @Operation(summary = "List the tenant's revocations")
    public List<Revocation> revocations(@PathParam("name") String name) {
        get(name);
        return revocations.list(name);
    }

    private static Duration lifetime(String written) {
        if (written == null || written.isBlank()) {
            return Duration.ofDays(1);
        }
        try {
            return Duration.parse(written.strip());
        } catch (DateTimeParseException e) {
            throw new WebApplicationException(AdminProblems.problem(400, "Bad Request",
                    "lifetime must be an ISO-8601 duration such as PT12H or P30D: " + written));
        }
    }

    private static AdminCaller caller(RoutingContext http) {
        Object c = http == null ? null : http.get(AdminAuthFilter.CALLER);
        if (c instanceof AdminCaller caller) {
            return caller;
        }
        // the filter admits no request without a caller; reaching here is a wiring bug, not a client error
        throw new IllegalStateException("admin request without a verified caller");
    }

    private static String source(RoutingContext http) {
        try {
            return http.request().remoteAddress().toString();
        } catch (RuntimeException unknown) {
            return null;
        }
    }
}
