package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import io.strata.cql.request.CqlException;
import io.strata.storage.spi.CatalogStore;
import io.strata.storage.spi.CommitConflictException;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Owns every tenant's schema: loads it from the catalog on first use, keeps the current snapshot in
 * memory for lock-free reads, and applies DDL by compare-and-set on the tenant's catalog document.
 *
 * <p>DDL of one tenant is serialised in this process (a per-tenant chain of stages); a conflict with
 * another process (a later multi-gateway deployment) reloads and retries. Table storage is created before
 * the schema that names it is committed, and dropped after the schema that forgets it is committed, so a
 * table in a committed schema always has storage (a table RESTORING gets its storage from the engine's restore,
 * {@link Restores}). Every commit also advances the tenant's {@link SchemaHistory} (stamped by the injected clock),
 * in the same document. Thread-safe.
 */
public final class SchemaService {
    private static final Logger LOG = Logger.getLogger(SchemaService.class);
    private static final int MAX_ATTEMPTS = 10;

    private final StorageEngine engine;
    private final CatalogStore catalog;
    private final SchemaEvents events;
    private final Clock clock;
    private final Restores restores;
    private final ConcurrentHashMap<String, Schema> current = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Schema>> loading = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<?>> ddlChains = new ConcurrentHashMap<>();

    public SchemaService(StorageEngine engine, SchemaEvents events) {
        this(engine, events, Clock.systemUTC(), Restores.Options.DEFAULT);
    }

    /**
     * @param clock the time of schema changes, as the schema history records them (what restores look up)
     * @param restoreOptions the recovery window, the limit of concurrent restores and how often they are polled
     */
    public SchemaService(StorageEngine engine, SchemaEvents events, Clock clock, Restores.Options restoreOptions) {
        this.engine = requireNonNull(engine, "engine is null");
        this.catalog = engine.catalog();
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.restores = new Restores(this, engine, clock, restoreOptions);
    }

    /** The restores into this service's tables (progress, and who is told when one completes). */
    public Restores restores() {
        return restores;
    }

    public StorageEngine engine() {
        return engine;
    }

    public Clock clock() {
        return clock;
    }

    /** What a DDL statement decided: the new schema (or empty for a no-op) and the event to announce. */
    public record Change(Optional<Schema> next, SchemaEvent event) {
        public static Change none() {
            return new Change(Optional.empty(), null);
        }
    }

    /** Outcome of {@link #apply}: the schema now in force and the event if something changed. */
    public record Applied(Schema schema, SchemaEvent event) {}

    public static String documentName(String tenant) {
        return "schema/" + tenant;
    }

    /** The tenant's schema if it is already loaded (the fast path of every request), else null. */
    public Schema cached(String tenant) {
        return current.get(tenant);
    }

    public CompletionStage<Schema> schema(String tenant) {
        Schema s = current.get(tenant);
        if (s != null) {
            return CompletableFuture.completedFuture(s);
        }
        CompletableFuture<Schema> load = loading.computeIfAbsent(tenant, t -> load(t).toCompletableFuture());
        return load.whenComplete((loaded, e) -> {
            if (e != null) {
                // a failed load (storage unavailable) must not be remembered: the next request tries again
                loading.remove(tenant, load);
            }
        }).thenApply(loaded -> {
            if (current.putIfAbsent(tenant, loaded) == null) {
                restores.resume(tenant, loaded); // restores a crash interrupted: finish or remove them
            }
            return current.get(tenant);
        });
    }

    private CompletionStage<Schema> load(String tenant) {
        return catalog.load(documentName(tenant)).thenCompose(doc -> {
            Schema s = doc.map(d -> SchemaCodec.decode(d.version(), d.content())).orElse(Schema.EMPTY);
            // Engines create storage idempotently; this makes sure every table in the schema has storage
            // (but a restoring table's storage is the engine's restore to create, or to remove)
            CompletableFuture<?>[] creates = s.keyspaces().values().stream()
                    .flatMap(ks -> ks.tables().values().stream())
                    .filter(t -> !RestoreState.restoring(t))
                    .map(t -> engine.createTable(t.tableId(tenant)).toCompletableFuture())
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(creates).thenCompose(v -> configure(tenant, s)).thenApply(v -> s);
        });
    }

    /** Tells the engine each table's storage settings (gc_grace_seconds), on every load and change. */
    private CompletableFuture<Void> configure(String tenant, Schema s) {
        CompletableFuture<?>[] configured = s.keyspaces().values().stream()
                .flatMap(ks -> ks.tables().values().stream())
                .filter(t -> !RestoreState.restoring(t))
                .map(t -> engine.configureTable(t.tableId(tenant), storageSettings(t)).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(configured);
    }

    public static io.strata.storage.spi.TableSettings storageSettings(TableMetadata t) {
        Object grace = t.options().get("gc_grace_seconds");
        return new io.strata.storage.spi.TableSettings(grace == null
                ? io.strata.storage.spi.TableSettings.DEFAULT.gcGraceSeconds()
                : (int) Double.parseDouble(String.valueOf(grace)), customerKey(t), RestoreWindow.pitrEnabled(t));
    }

    /**
     * The customer-managed key the table's {@code encryption_specification} names ({@code CUSTOMER_MANAGED_KMS_KEY},
     * validated when the DDL was parsed), or null for the service's key.
     */
    public static String customerKey(TableMetadata t) {
        if (t.options().get("custom_properties") instanceof Map<?, ?> custom
                && custom.get("encryption_specification") instanceof Map<?, ?> spec
                && "CUSTOMER_MANAGED_KMS_KEY".equals(spec.get("encryption_type")) && spec.get("kms_key_identifier") != null) {
            return String.valueOf(spec.get("kms_key_identifier"));
        }
        return null;
    }

    /**
     * Checks with storage every customer key that {@code next} names and {@code base} did not (for the same table),
     * so a schema never names a key the tenant cannot use; fails with an InvalidRequest saying why.
     */
    private CompletableFuture<Void> checkNewKeys(String tenant, Schema base, Schema next) {
        CompletableFuture<?>[] checks = next.keyspaces().values().stream()
                .flatMap(ks -> ks.tables().values().stream())
                .filter(t -> customerKey(t) != null && !customerKey(t).equals(base.table(t.keyspace(), t.name())
                        .filter(o -> o.id().equals(t.id())).map(SchemaService::customerKey).orElse(null)))
                .map(t -> engine.checkCustomerKey(tenant, customerKey(t)).toCompletableFuture()
                        .exceptionallyCompose(e -> {
                            Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                    ? e.getCause() : e;
                            return CompletableFuture.failedFuture(c instanceof KeyUnavailableException
                                    ? CqlException.invalid("kms_key_identifier '" + customerKey(t) + "' of "
                                            + t.keyspace() + "." + t.name() + " cannot be used: " + c.getMessage())
                                    : c);
                        }))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(checks);
    }

    /**
     * Applies a DDL change computed from the current schema by {@code decide}, which may throw a
     * {@link CqlException} (e.g. AlreadyExists) or return a change with an empty {@code next} (no-op, e.g.
     * IF NOT EXISTS on an existing table). Tables to create or drop are derived by comparing schemas.
     */
    public CompletionStage<Applied> apply(String tenant, Function<Schema, Change> decide) {
        CompletableFuture<Applied> result = new CompletableFuture<>();
        ddlChains.compute(tenant, (t, prev) -> {
            CompletableFuture<?> start = prev == null ? CompletableFuture.completedFuture(null) : prev;
            CompletableFuture<Applied> next = start.handle((x, e) -> null)
                    .thenCompose(x -> attempt(tenant, decide, 1)).toCompletableFuture();
            next.whenComplete((a, e) -> {
                if (e != null) {
                    result.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
                } else {
                    result.complete(a);
                }
            });
            return next;
        });
        return result;
    }

    private CompletionStage<Applied> attempt(String tenant, Function<Schema, Change> decide, int attempt) {
        return schema(tenant).thenCompose(base -> {
            Change change = decide.apply(base);
            if (change.next().isEmpty()) {
                return CompletableFuture.completedFuture(new Applied(base, null));
            }
            // the history commits with the change it records (restores look tables up in it)
            Schema next = change.next().get().withHistory(base.history()
                    .advance(base, change.next().get(), clock.millis(), restores.options().window()));
            List<TableMetadata> created = tablesOnlyIn(next, base).stream()
                    .filter(t -> !RestoreState.restoring(t)).toList();
            List<TableMetadata> dropped = tablesOnlyIn(base, next);
            return checkNewKeys(tenant, base, next)
                    .thenCompose(v -> CompletableFuture.allOf(created.stream()
                            .map(t -> engine.createTable(t.tableId(tenant)).toCompletableFuture())
                            .toArray(CompletableFuture[]::new)))
                    .thenCompose(v -> catalog.commit(documentName(tenant), base.version(), SchemaCodec.encode(next)))
                    .thenCompose(newVersion -> {
                        Schema committed = next.withVersion(newVersion);
                        current.put(tenant, committed);
                        // awaited: a write right after CREATE/ALTER must already use the table's key
                        return configure(tenant, committed).thenApply(v -> committed);
                    })
                    .thenCompose(committed -> {
                        CompletableFuture<?>[] drops = dropped.stream()
                                .map(t -> engine.dropTable(t.tableId(tenant)).toCompletableFuture()
                                        .exceptionally(e -> {
                                            LOG.warnf(e, "dropping storage of %s failed; it will be retried by gc", t);
                                            return null;
                                        }))
                                .toArray(CompletableFuture[]::new);
                        return CompletableFuture.allOf(drops).thenApply(v -> {
                            if (change.event() != null) {
                                events.publish(tenant, change.event());
                            }
                            return new Applied(committed, change.event());
                        });
                    })
                    .exceptionallyCompose(e -> {
                        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                        if (cause instanceof CommitConflictException && attempt < MAX_ATTEMPTS) {
                            current.remove(tenant);
                            loading.remove(tenant);
                            return attempt(tenant, decide, attempt + 1);
                        }
                        return CompletableFuture.failedFuture(cause);
                    });
        });
    }

    private static List<TableMetadata> tablesOnlyIn(Schema a, Schema b) {
        return a.keyspaces().values().stream()
                .flatMap(ks -> ks.tables().values().stream())
                .filter(t -> b.table(t.keyspace(), t.name()).map(o -> !o.id().equals(t.id())).orElse(true))
                .toList();
    }

    public static UUID newSchemaVersion() {
        return UUID.randomUUID();
    }

    public static KeyspaceMetadata requireKeyspace(Schema s, String keyspace) {
        return s.keyspace(keyspace).orElseThrow(() -> CqlException.invalid("Keyspace '" + keyspace + "' does not exist"));
    }
}
