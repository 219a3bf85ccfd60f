package io.strata.gateway.capacity;

import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.tenancy.capacity.CapacityMeter;
import io.strata.tenancy.capacity.CapacityMode;
import io.strata.tenancy.capacity.Operation;
import io.strata.tenancy.capacity.TargetTracking;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Auto scaling of provisioned tables with Keyspaces' {@code AUTOSCALING_SETTINGS}: every period it samples each
 * such table's consumed read and write units from the {@link CapacityMeter}, asks the table's
 * {@link TargetTracking} policy for the units to provision, and applies a change as an ALTER of the table's
 * capacity would (a schema change, announced to drivers, that the meter follows at once). Runs on one thread.
 */
public final class Autoscaler {
    private static final Logger LOG = Logger.getLogger(Autoscaler.class);

    private final TenantDirectory tenants;
    private final SchemaService schemas;
    private final CapacityMeter meter;
    private final Clock clock;
    private final Duration scaleInWindow;
    private final Map<String, Side> sides = new ConcurrentHashMap<>();

    /** What auto scaling remembers of one side of one table. */
    private static final class Side {
        long lastConsumed = -1;
        Instant lastSample;
        final Deque<double[]> rates = new ArrayDeque<>(); // {epochSecond, rate}
        Instant lastOut = Instant.MIN;
        Instant lastIn = Instant.MIN;
    }

    public Autoscaler(TenantDirectory tenants, SchemaService schemas, CapacityMeter meter, Clock clock,
            Duration scaleInWindow) {
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.meter = requireNonNull(meter, "meter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.scaleInWindow = requireNonNull(scaleInWindow, "scaleInWindow is null");
    }

    /** One period: every auto-scaled table of every tenant. */
    public void run() {
        for (TenantRecord tenant : tenants.list()) {
            if (tenant.state() == TenantState.DELETED) {
                continue;
            }
            Schema schema = schemas.cached(tenant.name());
            if (schema == null) {
                continue; // not loaded since start: no traffic to scale on yet
            }
            for (KeyspaceMetadata ks : schema.keyspaces().values()) {
                for (TableMetadata t : ks.tables().values()) {
                    try {
                        scale(tenant.name(), t);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "Auto scaling of %s.%s (tenant %s) failed; trying again next period", t.keyspace(),
                                t.name(), tenant.name());
                    }
                }
            }
        }
    }

    private void scale(String tenant, TableMetadata t) {
        if (!(t.options().get("autoscaling_settings") instanceof Map<?, ?> settings)
                || !(CapacityGuard.parse(t.options()) instanceof CapacityMode.Provisioned current)) {
            return;
        }
        Instant now = clock.instant();
        long read = next(tenant, t, Operation.READ, settings.get("provisioned_read_capacity_autoscaling_update"),
                current.readUnits(), now);
        long write = next(tenant, t, Operation.WRITE, settings.get("provisioned_write_capacity_autoscaling_update"),
                current.writeUnits(), now);
        if (read == current.readUnits() && write == current.writeUnits()) {
            return;
        }
        schemas.apply(tenant, s -> change(s, t, read, write)).toCompletableFuture().join();
        LOG.infof("Auto scaling %s.%s (tenant %s): read %d -> %d, write %d -> %d capacity units", t.keyspace(), t.name(),
                tenant, current.readUnits(), read, current.writeUnits(), write);
        note(tenant, t.id(), Operation.READ, current.readUnits(), read, now);
        note(tenant, t.id(), Operation.WRITE, current.writeUnits(), write, now);
    }

    private long next(String tenant, TableMetadata t, Operation op, Object side, long current, Instant now) {
        if (!(side instanceof Map<?, ?> m) || "true".equals(String.valueOf(m.get("autoscaling_disabled")))
                || m.get("minimum_units") == null) {
            return current;
        }
        TargetTracking policy = new TargetTracking(Long.parseLong(String.valueOf(m.get("minimum_units"))),
                Long.parseLong(String.valueOf(m.get("maximum_units"))),
                Double.parseDouble(String.valueOf(m.get("target_value"))),
                Duration.ofSeconds(Long.parseLong(String.valueOf(m.get("scale_in_cooldown")))),
                Duration.ofSeconds(Long.parseLong(String.valueOf(m.get("scale_out_cooldown")))),
                Boolean.parseBoolean(String.valueOf(m.get("disable_scale_in"))));
        Side s = sides.computeIfAbsent(tenant + "/" + t.id() + "/" + op, k -> new Side());
        long consumed = meter.consumedMilli(t.id(), op);
        if (s.lastConsumed < 0) {
            s.lastConsumed = consumed;
            s.lastSample = now;
            return current < policy.minimum() || current > policy.maximum() ? policy.decide(current, 0, 0, now,
                    s.lastOut, s.lastIn) : current;
        }
        double seconds = Math.max(0.001, Duration.between(s.lastSample, now).toMillis() / 1000.0);
        double rate = (consumed - s.lastConsumed) / 1000.0 / seconds;
        s.lastConsumed = consumed;
        s.lastSample = now;
        s.rates.addLast(new double[] {now.getEpochSecond(), rate});
        while (!s.rates.isEmpty() && s.rates.peekFirst()[0] < now.minus(scaleInWindow).getEpochSecond()) {
            s.rates.removeFirst();
        }
        double peak = s.rates.stream().mapToDouble(r -> r[1]).max().orElse(rate);
        return policy.decide(current, rate, peak, now, s.lastOut, s.lastIn);
    }

    private void note(String tenant, UUID id, Operation op, long before, long after, Instant now) {
        Side s = sides.get(tenant + "/" + id + "/" + op);
        if (s == null || before == after) {
            return;
        }
        if (after > before) {
            s.lastOut = now;
        } else {
            s.lastIn = now;
        }
    }

    /** The table with new provisioned units, if it is still the same table and still provisioned. */
    private static SchemaService.Change change(Schema s, TableMetadata was, long read, long write) {
        Optional<KeyspaceMetadata> ks = s.keyspace(was.keyspace());
        Optional<TableMetadata> now = ks.flatMap(k -> Optional.ofNullable(k.tables().get(was.name())));
        if (now.isEmpty() || !now.get().id().equals(was.id())
                || !(now.get().options().get("custom_properties") instanceof Map<?, ?> custom)
                || !(custom.get("capacity_mode") instanceof Map<?, ?> mode)
                || !"PROVISIONED".equals(String.valueOf(mode.get("throughput_mode")))) {
            return SchemaService.Change.none();
        }
        Map<String, Object> nextMode = new LinkedHashMap<>();
        mode.forEach((k, v) -> nextMode.put(String.valueOf(k), v));
        nextMode.put("read_capacity_units", Long.toString(read));
        nextMode.put("write_capacity_units", Long.toString(write));
        Map<String, Object> nextCustom = new LinkedHashMap<>();
        custom.forEach((k, v) -> nextCustom.put(String.valueOf(k), v));
        nextCustom.put("capacity_mode", nextMode);
        Map<String, Object> options = new LinkedHashMap<>(now.get().options());
        options.put("custom_properties", nextCustom);
        return new SchemaService.Change(Optional.of(s.with(ks.get().withTable(now.get().withOptions(options)),
                SchemaService.newSchemaVersion())), SchemaEvent.table(SchemaEvent.Change.UPDATED, was.keyspace(),
                was.name()));
    }
}
