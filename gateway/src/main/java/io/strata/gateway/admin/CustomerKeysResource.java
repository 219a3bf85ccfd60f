package io.strata.gateway.admin;

import io.strata.gateway.storage.StorageAssembly;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A tenant's customer-managed keys in the built-in key provider ({@code CUSTOMER_MANAGED_KMS_KEY} tables name them
 * in {@code kms_key_identifier}): {@code POST /admin/tenants/<t>/keys} with {@code {"name": ...}} creates one,
 * {@code GET} lists them. Operators and the tenant's own tenant admins ({@link AdminAuthFilter}). Key material never
 * leaves the server; with an external KMS, keys are made there and this answers 409.
 */
@Path("/admin/tenants/{name}/keys")
@Tag(name = "keys", description = "Customer managed keys for encryption at rest")
public class CustomerKeysResource {
    @Inject
    StorageAssembly storage;

    @Inject
    TenantDirectory tenants;

    /** A key to create. */
    public record NewKey(@NotNull(message = "name is required")
            @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "a key name is 1 to 64 letters, digits, '_' or '-'")
            String name) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a customer managed key for the tenant's tables")
    public Response create(@PathParam("name") String tenant,
            @Valid @NotNull(message = "a JSON body {\"name\": ...} is required") NewKey request) {
        tenants.find(tenant).orElseThrow(() -> new TenantDirectoryException.NotFound(tenant));
        try {
            String id = storage.createCustomerKey(tenant, request.name());
            return Response.created(URI.create("/admin/tenants/" + tenant + "/keys/" + id))
                    .entity(Map.of("tenant", tenant, "name", id, "kmsKeyIdentifier", id)).build();
        } catch (IllegalStateException e) {
            throw new WebApplicationException(AdminProblems.problem(409, "Conflict", e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new WebApplicationException(AdminProblems.problem(409, "Conflict", e.getMessage()));
        }
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the tenant's customer managed keys")
    public List<Map<String, String>> list(@PathParam("name") String tenant) {
        tenants.find(tenant).orElseThrow(() -> new TenantDirectoryException.NotFound(tenant));
        try {
            return storage.customerKeys(tenant).stream().map(k -> Map.of("name", k, "kmsKeyIdentifier", k)).toList();
        } catch (IllegalStateException e) {
            throw new WebApplicationException(AdminProblems.problem(409, "Conflict", e.getMessage()));
        }
    }
}
