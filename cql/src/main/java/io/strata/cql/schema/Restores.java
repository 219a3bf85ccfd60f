package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import io.strata.cql.request.CqlException;
import io.strata.storage.spi.RestoreStatus;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.TableId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Follows restores into new tables from acceptance to the end: a table under restore is committed to the schema
 * RESTORING ({@link RestoreState}) before the engine is asked to restore into it; this then polls
 * {@link StorageEngine#restoreStatus} and, when the engine says ACTIVE, commits the table ACTIVE (and tells the
 * {@link Listener}, which bills the restored bytes), or, when it says FAILED (or knows nothing of the restore, after a
 * crash before it started), removes the table from the schema. Tables found RESTORING when a tenant's schema is
 * loaded are followed the same way, so a restore interrupted by a crash ends ACTIVE or removed.
 *
 * <p>Progress ({@link Progress}) is kept in memory: restores in flight, and the last finished ones per tenant.
 * Thread-safe: one daemon thread polls while restores are followed (it stops when none is left); schema changes go
 * through {@link SchemaService#apply}.
 */
public final class Restores {
    private static final Logger LOG = Logger.getLogger(Restores.class);
    /** Finished restores remembered per tenant, for the admin API. */
    private static final int FINISHED_KEPT = 50;

    /**
     * @param window how far back a point-in-time restore may reach (Keyspaces: 35 days)
     * @param maxConcurrent restores in progress at once per tenant (Keyspaces: 4 per account)
     * @param pollInterval how often the engine is asked how restores stand
     */
    public record Options(Duration window, int maxConcurrent, Duration pollInterval) {
        public static final Options DEFAULT = new Options(RestoreWindow.DEFAULT_WINDOW,
                RestoreWindow.DEFAULT_MAX_CONCURRENT, Duration.ofSeconds(1));

        public Options {
            requireNonNull(window, "window is null");
            requireNonNull(pollInterval, "pollInterval is null");
            if (maxConcurrent < 1) {
                throw new IllegalArgumentException("maxConcurrent < 1");
            }
        }
    }

    /** Told once per completed restore, after its table is ACTIVE in the schema (at most once: billing). */
    public interface Listener {
        void restored(TableId target, RestoreState restore, long bytes);
    }

    /**
     * How one restore stands. {@code status} is RESTORING, ACTIVE or FAILED; bytes are the engine's estimates;
     * {@code error} says why a restore failed; {@code finishedMillis} is 0 while it runs.
     */
    public record Progress(String tenant, String keyspace, String table, UUID id, String source, boolean backup,
            long atMillis, long startedMillis, String status, long bytesTotal, long bytesDone, int percent, String error,
            long finishedMillis) {}

    private final SchemaService schemas;
    private final StorageEngine engine;
    private final Clock clock;
    private final Options options;
    private final ConcurrentHashMap<UUID, Tracked> running = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, List<Progress>> finished = new ConcurrentHashMap<>();
    private volatile Listener listener = (target, restore, bytes) -> {};
    /** The polling thread while restores are followed (guarded by this). */
    private ScheduledExecutorService poller;

    /** A restore being followed; {@code ending} once its outcome is being committed. */
    private static final class Tracked {
        final String tenant;
        final TableMetadata table;
        final RestoreState restore;
        volatile RestoreStatus last;
        volatile boolean ending;

        Tracked(String tenant, TableMetadata table, RestoreState restore) {
            this.tenant = tenant;
            this.table = table;
            this.restore = restore;
        }
    }

    Restores(SchemaService schemas, StorageEngine engine, Clock clock, Options options) {
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.options = requireNonNull(options, "options is null");
    }

    public Options options() {
        return options;
    }

    /** Replaces who is told of completed restores (the gateway's billing). */
    public void listener(Listener l) {
        this.listener = requireNonNull(l, "listener is null");
    }

    /**
     * Starts the restore of {@code target}, already committed RESTORING: {@code start} asks the engine. If the engine
     * refuses, the table is removed from the schema again and the stage fails with an InvalidRequest giving the
     * engine's reason; otherwise the restore is followed until it ends.
     */
    public CompletionStage<Void> begin(String tenant, TableMetadata target, Supplier<CompletionStage<Void>> start) {
        RestoreState restore = RestoreState.of(target).orElseThrow(() -> new IllegalArgumentException(target + " is not restoring"));
        CompletionStage<Void> started;
        try {
            started = start.get();
        } catch (RuntimeException e) {
            started = CompletableFuture.failedFuture(e);
        }
        return started.handle((v, e) -> e).thenCompose(e -> {
            if (e == null) {
                follow(tenant, target, restore);
                return CompletableFuture.<Void>completedFuture(null);
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            remember(tenant, target, restore, "FAILED", null, reason);
            return remove(tenant, target).handle((x, ignored) -> null).thenCompose(x -> CompletableFuture.failedFuture(
                    CqlException.invalid("Restore of " + target.keyspace() + "." + target.name() + " from "
                            + restore.source() + " failed: " + reason)));
        });
    }

    /** Follows every table of a freshly loaded schema that is still RESTORING (a restart during restores). */
    void resume(String tenant, Schema schema) {
        schema.keyspaces().values().forEach(ks -> ks.tables().values().forEach(t ->
                RestoreState.of(t).ifPresent(r -> follow(tenant, t, r))));
    }

    private void follow(String tenant, TableMetadata table, RestoreState restore) {
        running.putIfAbsent(table.id(), new Tracked(tenant, table, restore));
        startPoller();
    }

    /** Starts the polling thread if it is not running; it stops itself once nothing is left to follow. */
    private synchronized void startPoller() {
        if (poller == null) {
            ScheduledExecutorService s = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "strata-restores");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, options.pollInterval().toMillis());
            s.scheduleWithFixedDelay(this::pollQuietly, every, every, TimeUnit.MILLISECONDS);
            poller = s;
        }
    }

    private synchronized void stopPollerIfIdle() {
        if (running.isEmpty() && poller != null) {
            poller.shutdown();
            poller = null;
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warnf(e, "polling restores failed; trying again");
        }
        stopPollerIfIdle();
    }

    /** One round: asks the engine about every restore followed and ends those that ended. */
    void poll() {
        for (Tracked t : running.values()) {
            if (t.ending) {
                continue;
            }
            TableId id = t.table.tableId(t.tenant);
            RestoreStatus status = engine.restoreStatus(id);
            if (status == null) {
                status = new RestoreStatus(RestoreStatus.State.FAILED, 0, 0,
                        "the storage engine knows no restore into this table (interrupted before it started)");
            }
            t.last = status;
            if (status.state() == RestoreStatus.State.CREATING) {
                continue;
            }
            t.ending = true;
            RestoreStatus outcome = status;
            CompletionStage<?> end = outcome.state() == RestoreStatus.State.ACTIVE ? activate(t.tenant, t.table)
                    : remove(t.tenant, t.table);
            end.whenComplete((v, e) -> {
                if (e != null) {
                    LOG.warnf(e, "ending the restore of %s failed; trying again", id);
                    t.ending = false;
                    return;
                }
                // remembered before it stops running, so a listing never misses it
                if (outcome.state() == RestoreStatus.State.ACTIVE) {
                    remember(t.tenant, t.table, t.restore, "ACTIVE", outcome, null);
                    running.remove(t.table.id(), t);
                    try {
                        listener.restored(id, t.restore, outcome.bytesTotal());
                    } catch (RuntimeException le) {
                        LOG.warnf(le, "the restore listener failed for %s", id);
                    }
                } else {
                    remember(t.tenant, t.table, t.restore, "FAILED", outcome, outcome.error());
                    running.remove(t.table.id(), t);
                }
            });
        }
    }

    /** Commits the table ACTIVE, if it is still the one restoring. */
    private CompletionStage<SchemaService.Applied> activate(String tenant, TableMetadata target) {
        return schemas.apply(tenant, s -> s.table(target.keyspace(), target.name())
                .filter(t -> t.id().equals(target.id()) && RestoreState.restoring(t))
                .map(t -> new SchemaService.Change(Optional.of(s.with(s.keyspace(t.keyspace()).orElseThrow()
                        .withTable(RestoreState.activate(t)), SchemaService.newSchemaVersion())),
                        SchemaEvent.table(SchemaEvent.Change.UPDATED, t.keyspace(), t.name())))
                .orElse(SchemaService.Change.none()));
    }

    /** Removes the table from the schema, if it is still the one restoring (its storage is the engine's to remove). */
    private CompletionStage<SchemaService.Applied> remove(String tenant, TableMetadata target) {
        return schemas.apply(tenant, s -> s.table(target.keyspace(), target.name())
                .filter(t -> t.id().equals(target.id()) && RestoreState.restoring(t))
                .map(t -> new SchemaService.Change(Optional.of(s.with(s.keyspace(t.keyspace()).orElseThrow()
                        .withoutTable(t.name()), SchemaService.newSchemaVersion())),
                        SchemaEvent.table(SchemaEvent.Change.DROPPED, t.keyspace(), t.name())))
                .orElse(SchemaService.Change.none()));
    }

    private void remember(String tenant, TableMetadata t, RestoreState r, String state, RestoreStatus status,
            String error) {
        Progress p = new Progress(tenant, t.keyspace(), t.name(), t.id(), r.source(), r.backup(), r.atMillis(),
                r.startedMillis(), state, status == null ? 0 : status.bytesTotal(),
                status == null ? 0 : status.bytesDone(), status == null ? 0 : status.percent(), error, clock.millis());
        finished.compute(tenant, (k, list) -> {
            List<Progress> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(p);
            return List.copyOf(next.size() > FINISHED_KEPT ? next.subList(next.size() - FINISHED_KEPT, next.size()) : next);
        });
    }

    /** The tenant's restores: those in flight (as the engine last said), then the finished ones; newest first. */
    public List<Progress> list(String tenant) {
        List<Progress> done = finished.getOrDefault(tenant, List.of());
        List<Progress> out = new ArrayList<>();
        for (Tracked t : running.values()) {
            if (!t.tenant.equals(tenant) || done.stream().anyMatch(p -> p.id().equals(t.table.id()))) {
                continue;
            }
            RestoreStatus s = t.last != null ? t.last : engine.restoreStatus(t.table.tableId(tenant));
            String state = t.ending && s != null ? shown(tenant, t.table, s) : "RESTORING";
            out.add(new Progress(tenant, t.table.keyspace(), t.table.name(), t.table.id(), t.restore.source(),
                    t.restore.backup(), t.restore.atMillis(), t.restore.startedMillis(), state,
                    s == null ? 0 : s.bytesTotal(), s == null ? 0 : s.bytesDone(),
                    state.equals("ACTIVE") ? 100 : s == null ? 0 : Math.min(99, s.percent()),
                    state.equals("FAILED") ? s.error() : null, 0));
        }
        out.addAll(done);
        out.sort(Comparator.comparingLong(Progress::startedMillis).reversed());
        return out;
    }

    /**
     * The state of a restore whose end is being committed, as the schema already shows it (so the listing never lags
     * behind {@code system_schema_mcs.tables.status}): ACTIVE once the table is, FAILED once it is gone.
     */
    private String shown(String tenant, TableMetadata table, RestoreStatus engineSays) {
        Schema s = schemas.cached(tenant);
        Optional<TableMetadata> now = s == null ? Optional.empty()
                : s.table(table.keyspace(), table.name()).filter(t -> t.id().equals(table.id()));
        if (engineSays.state() == RestoreStatus.State.ACTIVE && now.isPresent() && !RestoreState.restoring(now.get())) {
            return "ACTIVE";
        }
        if (engineSays.state() == RestoreStatus.State.FAILED && now.isEmpty()) {
            return "FAILED";
        }
        return "RESTORING";
    }

    /** The latest restore into {@code keyspace.table}, if one is known. */
    public Optional<Progress> status(String tenant, String keyspace, String table) {
        return list(tenant).stream().filter(p -> p.keyspace().equals(keyspace) && p.table().equals(table)).findFirst();
    }

    /** Tables of {@code schema} restoring now. */
    public static List<TableMetadata> restoring(Schema schema) {
        List<TableMetadata> out = new ArrayList<>();
        schema.keyspaces().values().forEach(ks -> ks.tables().values().forEach(t -> {
            if (RestoreState.restoring(t)) {
                out.add(t);
            }
        }));
        return out;
    }
}
