package io.strata.gateway.admin;

import io.strata.cql.exec.ddl.Recovery;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A tenant's on-demand backups ({@code /admin/tenants/<t>/backups}), what Keyspaces does through AWS Backup: create one
 * of a table ({@code {"keyspace", "table", "name"}}; the table's schema is stored with it), list, describe (with the
 * columns it stored) and delete them, and restore one into a new table ({@code POST .../backups/<name>/restore} with
 * {@code {"keyspace", "table"}}; 202 with the restore's progress, then follow it in {@code .../restores}). Backups are
 * immutable (a name is never overwritten) and outlive the table. Operators and the tenant's own tenant admins
 * ({@link AdminAuthFilter}); errors are problem documents ({@link RecoveryViews#problem}).
 */
@Path("/admin/tenants/{name}/backups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "backups", description = "On-demand backups and restores from them")
public class BackupsResource {
    @Inject
    Recovery recovery;

    @Inject
    TenantDirectory tenants;

    /** A backup to take. */
    public record NewBackup(@NotBlank(message = "keyspace is required") String keyspace,
            @NotBlank(message = "table is required") String table,
            @NotNull(message = "name is required")
            @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "a backup name is 1 to 64 letters, digits, '_' or '-'")
            String name) {}

    /** Where a backup is restored: a new table. */
    public record RestoreTarget(@NotBlank(message = "keyspace is required") String keyspace,
            @NotBlank(message = "table is required") String table) {}

    private void exists(String tenant) {
        tenants.find(tenant).orElseThrow(() -> new TenantDirectoryException.NotFound(tenant));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Take an on-demand backup of a table")
    public Response create(@PathParam("name") String tenant,
            @Valid @NotNull(message = "a JSON body {\"keyspace\", \"table\", \"name\"} is required") NewBackup request) {
        exists(tenant);
        var b = RecoveryViews.await(recovery.backup(tenant, request.keyspace(), request.table(), request.name()));
        return Response.created(URI.create("/admin/tenants/" + tenant + "/backups/" + b.name()))
                .entity(RecoveryViews.backup(b, false)).build();
    }

    @GET
    @Operation(summary = "List the tenant's backups")
    public List<Map<String, Object>> list(@PathParam("name") String tenant) {
        exists(tenant);
        return RecoveryViews.await(recovery.backups(tenant)).stream().map(b -> RecoveryViews.backup(b, false)).toList();
    }

    @GET
    @Path("/{backup}")
    @Operation(summary = "Describe a backup, with the columns of the table it holds")
    public Map<String, Object> describe(@PathParam("name") String tenant, @PathParam("backup") String backup) {
        exists(tenant);
        return RecoveryViews.backup(RecoveryViews.await(recovery.backupNamed(tenant, backup)), true);
    }

    @DELETE
    @Path("/{backup}")
    @Operation(summary = "Delete a backup")
    public Response delete(@PathParam("name") String tenant, @PathParam("backup") String backup) {
        exists(tenant);
        RecoveryViews.await(recovery.deleteBackup(tenant, backup));
        return Response.noContent().build();
    }

    @POST
    @Path("/{backup}/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore a backup into a new table (asynchronous: follow it in .../restores)")
    public Response restore(@PathParam("name") String tenant, @PathParam("backup") String backup,
            @Valid @NotNull(message = "a JSON body {\"keyspace\", \"table\"} is required") RestoreTarget target) {
        exists(tenant);
        return Response.accepted(RecoveryViews.restore(RecoveryViews.await(
                recovery.restoreBackup(tenant, backup, target.keyspace(), target.table())))).build();
    }
}
