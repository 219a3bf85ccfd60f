package io.strata.gateway.admin;

import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * Tenants, for operators ({@code /admin/tenants}; {@link OperatorAuthFilter} admits only operator tokens): create,
 * list, get, suspend, resume, delete. A tenant exists only once created here; a token for any other tenant opens
 * nothing. Deleting is final: the name stays taken. Errors are RFC 7807 problem documents
 * ({@link AdminProblems}).
 */
@Path("/admin/tenants")
@Produces(MediaType.APPLICATION_JSON)
public class TenantsResource {
    @Inject
    TenantDirectory tenants;

    @Inject
    io.strata.gateway.tenants.BlobRevocations revocations;

    /** The body of a revocation: one token by its id ({@code jti}), or every token of a subject issued so far. */
    public record NewRevocation(String tokenId, String subject) {}

    /** The body of a create request. */
    public record NewTenant(
            @NotNull(message = "name is required")
            @Pattern(regexp = "[a-z][a-z0-9_-]{0,47}",
                    message = "name must be 1 to 48 characters: a lowercase letter, then lowercase letters, digits, _ or -")
            String name) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull(message = "a JSON body {\"name\": ...} is required") NewTenant request) {
        TenantRecord created = tenants.create(request.name());
        return Response.created(URI.create("/admin/tenants/" + created.name())).entity(created).build();
    }

    @GET
    public List<TenantRecord> list() {
        return tenants.list();
    }

    @GET
    @Path("{name}")
    public TenantRecord get(@PathParam("name") String name) {
        return tenants.find(name).orElseThrow(() -> new TenantDirectoryException.NotFound(name));
    }

    @POST
    @Path("{name}/suspend")
    public TenantRecord suspend(@PathParam("name") String name) {
        return tenants.transition(name, TenantState.SUSPENDED);
    }

    @POST
    @Path("{name}/resume")
    public TenantRecord resume(@PathParam("name") String name) {
        return tenants.transition(name, TenantState.ACTIVE);
    }

    /**
     * Revokes a token or a subject's tokens: logins with them are refused at once on this node and within 2 s on
     * every node, and open connections are told at their next request to reconnect with a fresh token.
     */
    @POST
    @Path("{name}/revocations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response revoke(@PathParam("name") String name,
            @NotNull(message = "a JSON body {\"tokenId\": ...} or {\"subject\": ...} is required") NewRevocation request) {
        get(name);
        boolean token = request.tokenId() != null && !request.tokenId().isBlank();
        boolean subject = request.subject() != null && !request.subject().isBlank();
        if (token == subject) {
            throw new jakarta.ws.rs.WebApplicationException(AdminProblems.problem(400, "Bad Request",
                    "give exactly one of tokenId and subject"));
        }
        return Response.status(201).entity(revocations.revoke(name, token ? request.tokenId() : null,
                subject ? request.subject() : null)).build();
    }

    @GET
    @Path("{name}/revocations")
    public List<io.strata.tenancy.core.Revocation> revocations(@PathParam("name") String name) {
        get(name);
        return revocations.list(name);
    }

    @DELETE
    @Path("{name}")
    public TenantRecord delete(@PathParam("name") String name) {
        return tenants.transition(name, TenantState.DELETED);
    }
}
