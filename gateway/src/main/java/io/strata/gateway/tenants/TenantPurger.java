package io.strata.gateway.tenants;

import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaService;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Removes a deleted tenant's data: its whole schema is dropped at once (nothing can reach it any more), which hands
 * every table's storage to the engine's garbage collection, which deletes it once the retention window has passed
 * (the same rule as for any dropped table, so the window that serves point-in-time recovery also bounds how long a
 * deleted tenant's data lingers). Idempotent: a sweep at start-up finishes what a crash interrupted. Thread-safe.
 */
public final class TenantPurger {
    private static final Logger LOG = Logger.getLogger(TenantPurger.class);

    private final TenantDirectory tenants;
    private final SchemaService schemas;

    public TenantPurger(TenantDirectory tenants, SchemaService schemas) {
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
    }

    /**
     * Drops every keyspace of {@code tenant}, which must be deleted.
     *
     * @return the number of keyspaces dropped (0 if there were none left)
     * @throws IllegalStateException (in the stage) if the tenant is not deleted
     */
    public CompletionStage<Integer> purge(String tenant) {
        Optional<TenantRecord> record = tenants.find(tenant);
        if (record.isEmpty() || record.get().state() != TenantState.DELETED) {
            return CompletableFuture.failedFuture(new IllegalStateException("tenant '" + tenant + "' is not deleted"));
        }
        int[] dropped = {0};
        return schemas.apply(tenant, s -> {
            dropped[0] = s.keyspaces().size();
            return s.keyspaces().isEmpty() ? SchemaService.Change.none()
                    : new SchemaService.Change(Optional.of(new Schema(s.version(), SchemaService.newSchemaVersion(),
                            Map.of())), null);
        }).thenApply(applied -> {
            if (dropped[0] > 0) {
                LOG.infof("Dropped %d keyspaces of deleted tenant '%s'; storage deletes their data after the"
                        + " retention window", dropped[0], tenant);
            }
            return dropped[0];
        });
    }

    /** Purges every deleted tenant that still has a schema (after a crash between deletion and purge). */
    public CompletionStage<Void> sweep() {
        CompletableFuture<?>[] all = tenants.list().stream()
                .filter(t -> t.state() == TenantState.DELETED)
                .map(t -> purge(t.name()).toCompletableFuture().exceptionally(e -> {
                    LOG.warnf(e, "Could not purge deleted tenant '%s'; the next start-up tries again", t.name());
                    return 0;
                }))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }
}
