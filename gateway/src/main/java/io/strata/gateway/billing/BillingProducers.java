package io.strata.gateway.billing;

import io.quarkus.runtime.ShutdownEvent;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.gateway.capacity.CapacityGuard;
import io.strata.gateway.config.StorageConfig;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.capacity.CapacityMode;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Wires the usage ledger: opened over the storage engine at start (resuming this node's totals), flushed every
 * {@code strata.billing.flush-interval} by one daemon thread, which also accrues provisioned tables' capacity-time,
 * and once more at shutdown.
 */
@Singleton
public class BillingProducers {
    private static final Logger LOG = Logger.getLogger(BillingProducers.class);

    private ScheduledExecutorService flusher;
    private UsageLedger opened;

    @Produces
    @Singleton
    UsageLedger ledger(StorageEngine engine, StorageConfig storage, Clock clock, BillingConfig billing,
            TenantDirectory tenants, SchemaService schemas) {
        // the node id: stable across restarts of the same data directory, as system.local's host id
        String node = UUID.nameUUIDFromBytes(storage.local().path().toAbsolutePath().normalize().toString()
                .getBytes(StandardCharsets.UTF_8)).toString();
        UsageLedger ledger = new UsageLedger(engine, node, clock);
        ledger.open();
        opened = ledger;
        engine.expiryListener(new TtlDeletes(ledger, schemas));
        // a completed restore is billed by the bytes restored, never through the table's capacity (recorded at the
        // next flush: a crash in between loses at most one flush interval of it, as of reads)
        schemas.restores().listener((target, restore, bytes) -> ledger.record(new UsageLedger.Table(target.tenant(),
                target.keyspace(), target.table(), target.id()), Usage.restored(bytes)));
        if (billing.enabled()) {
            long every = Math.max(100, billing.flushInterval().toMillis());
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "strata-ledger");
                t.setDaemon(true);
                return t;
            });
            long[] last = {clock.millis()};
            flusher.scheduleWithFixedDelay(() -> {
                try {
                    long now = clock.millis();
                    if (billing.accrueProvisioned()) {
                        accrueHeld(ledger, tenants, schemas, engine, now - last[0]);
                    }
                    last[0] = now;
                    ledger.flush();
                } catch (RuntimeException e) {
                    UsageLedger.logFailure(e);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        return ledger;
    }

    /**
     * What tables hold while they exist, used or not, per tick: a provisioned table's capacity (unit-milliseconds)
     * and every table's stored bytes and point-in-time history bytes (byte-milliseconds).
     */
    static void accrueHeld(UsageLedger ledger, TenantDirectory tenants, SchemaService schemas, StorageEngine engine,
            long millis) {
        if (millis <= 0) {
            return;
        }
        for (TenantRecord tenant : tenants.list()) {
            if (tenant.state() == TenantState.DELETED) {
                continue;
            }
            Schema schema = schemas.cached(tenant.name());
            if (schema == null) {
                schema = schemas.schema(tenant.name()).toCompletableFuture().join();
            }
            for (var ks : schema.keyspaces().values()) {
                for (TableMetadata t : ks.tables().values()) {
                    long bytes = engine.tableBytes(t.tableId(tenant.name()));
                    long history = engine.historyBytes(t.tableId(tenant.name()));
                    CapacityMode mode = CapacityGuard.parse(t.options());
                    long read = mode instanceof CapacityMode.Provisioned p ? p.readUnits() * millis : 0;
                    long write = mode instanceof CapacityMode.Provisioned p ? p.writeUnits() * millis : 0;
                    if (read + write + bytes + history > 0) {
                        ledger.record(new UsageLedger.Table(tenant.name(), t.keyspace(), t.name(), t.id()),
                                new Usage(0, 0, 0, 0, read, write, 0, 0, bytes * millis, 0, 0, history * millis));
                    }
                }
            }
            // a dropped table stays restorable for the window, and its history is billed meanwhile (as Keyspaces)
            for (var gone : schema.history().tables()) {
                if (gone.dropped()) {
                    long history = engine.historyBytes(new io.strata.storage.spi.TableId(tenant.name(), gone.keyspace(),
                            gone.name(), gone.id()));
                    if (history > 0) {
                        ledger.record(new UsageLedger.Table(tenant.name(), gone.keyspace(), gone.name(), gone.id()),
                                new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, history * millis));
                    }
                }
            }
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        if (opened != null) {
            try {
                opened.flush();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not write the usage ledger at shutdown; the last seconds of reads are lost");
            }
        }
    }
}
