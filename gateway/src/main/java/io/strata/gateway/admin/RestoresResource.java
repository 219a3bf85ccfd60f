package io.strata.gateway.admin;

import io.strata.cql.exec.ddl.Recovery;
import io.strata.cql.schema.RestoreState;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A tenant's restores ({@code GET /admin/tenants/<t>/restores}): those in progress (source or backup, target, instant,
 * status RESTORING, percent and bytes as the engine estimates them) and the last finished ones (ACTIVE, or FAILED with
 * the reason), newest first; {@code GET .../restores/<ks>.<table>} for one target. Restores start with CQL's RESTORE
 * TABLE or {@code POST .../backups/<name>/restore}. Progress is this gateway's memory: after a restart, restores still
 * running are found again when the tenant's schema loads (which this listing triggers), finished ones are not listed.
 */
@Path("/admin/tenants/{name}/restores")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "restores", description = "Point-in-time and backup restores in progress")
public class RestoresResource {
    @Inject
    Recovery recovery;

    @Inject
    TenantDirectory tenants;

    @GET
    @Operation(summary = "List the tenant's restores, in progress and recently finished")
    public List<Map<String, Object>> list(@PathParam("name") String tenant) {
        tenants.find(tenant).orElseThrow(() -> new TenantDirectoryException.NotFound(tenant));
        // loading the schema picks up restores a restart interrupted
        RecoveryViews.await(recovery.schemas().schema(tenant));
        return recovery.restores().list(tenant).stream().map(RecoveryViews::restore).toList();
    }

    @GET
    @Path("/{table}")
    @Operation(summary = "The latest restore into one table (keyspace.table)")
    public Map<String, Object> one(@PathParam("name") String tenant, @PathParam("table") String table) {
        tenants.find(tenant).orElseThrow(() -> new TenantDirectoryException.NotFound(tenant));
        int dot = table.indexOf('.');
        if (dot <= 0 || dot == table.length() - 1) {
            throw RecoveryViews.problem(new IllegalArgumentException("name the table as keyspace.table, not '" + table + "'"));
        }
        String ks = table.substring(0, dot);
        String name = table.substring(dot + 1);
        var schema = RecoveryViews.await(recovery.schemas().schema(tenant));
        return recovery.restores().status(tenant, ks, name)
                .map(RecoveryViews::restore)
                .orElseGet(() -> {
                    // restores finished before a restart are not remembered: say what the schema says
                    var t = schema.table(ks, name).orElseThrow(() -> RecoveryViews.problem(
                            new java.util.NoSuchElementException("No restore into " + table + " is known")));
                    if (RestoreState.restoring(t)) {
                        return Map.<String, Object>of("keyspace", ks, "table", name, "status", "RESTORING", "percent", 0);
                    }
                    throw RecoveryViews.problem(new java.util.NoSuchElementException("No restore into " + table
                            + " is known (it is ACTIVE)"));
                });
    }
}
