package io.strata.gateway.capacity;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.strata.cql.capacity.CapacityUnits;
import io.strata.cql.exec.PlanGuard;
import io.strata.cql.plan.Plan;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.ErrorCode;
import io.strata.cql.request.RequestContext;
import io.strata.cql.schema.TableMetadata;
import io.strata.tenancy.capacity.CapacityMode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keyspaces' CloudWatch metrics (namespace {@code AWS/Cassandra}) under the same names in Micrometer, so that
 * dashboards and alarms written for Keyspaces read Strata's {@code /q/metrics}: tagged by {@code tenant},
 * {@code keyspace} and {@code table} (and {@code operation} for latency). Recorded once each request ended
 * ({@link PlanGuard#completed}); refuses nothing. Meters are created once per table and kept in a map, so the hot
 * path is a map lookup and an increment. Thread-safe.
 *
 * <ul>
 *   <li>{@code ConsumedReadCapacityUnits}, {@code ConsumedWriteCapacityUnits}: counters of units
 *   <li>{@code ProvisionedReadCapacityUnits}, {@code ProvisionedWriteCapacityUnits}: gauges, provisioned tables
 *   <li>{@code ReadThrottleEvents}, {@code WriteThrottleEvents}, {@code StoragePartitionThroughputCapacityExceeded}
 *   <li>{@code SuccessfulRequestLatency}: a timer by operation (SELECT, INSERT, UPDATE, DELETE, BATCH, CONDITIONAL)
 *   <li>{@code UserErrors}, {@code SystemErrors}, {@code ConditionalCheckFailedRequests}: counters
 *   <li>{@code BillableTableSizeInBytes}: a gauge, the table's stored bytes
 * </ul>
 */
public final class TableMetrics implements PlanGuard {
    private final MeterRegistry registry;
    private final io.strata.storage.spi.StorageEngine engine;
    private final Map<java.util.UUID, Meters> tables = new ConcurrentHashMap<>();

    /** @param engine answers {@code BillableTableSizeInBytes} */
    public TableMetrics(MeterRegistry registry, io.strata.storage.spi.StorageEngine engine) {
        this.registry = requireNonNull(registry, "registry is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    /** One table's meters. */
    private final class Meters {
        final Counter consumedRead;
        final Counter consumedWrite;
        final Counter readThrottles;
        final Counter writeThrottles;
        final Counter partitionExceeded;
        final Counter userErrors;
        final Counter systemErrors;
        final Counter conditionFailed;
        final AtomicLong provisionedRead = new AtomicLong();
        final AtomicLong provisionedWrite = new AtomicLong();
        final Map<String, Timer> latency = new ConcurrentHashMap<>();
        final Tags tags;
        volatile boolean gauges;
        volatile CapacityMode mode;

        Meters(Tags tags, io.strata.storage.spi.TableId id) {
            this.tags = tags;
            registry.gauge("BillableTableSizeInBytes", tags, engine, e -> e.tableBytes(id));
            consumedRead = registry.counter("ConsumedReadCapacityUnits", tags);
            consumedWrite = registry.counter("ConsumedWriteCapacityUnits", tags);
            readThrottles = registry.counter("ReadThrottleEvents", tags);
            writeThrottles = registry.counter("WriteThrottleEvents", tags);
            partitionExceeded = registry.counter("StoragePartitionThroughputCapacityExceeded", tags);
            userErrors = registry.counter("UserErrors", tags);
            systemErrors = registry.counter("SystemErrors", tags);
            conditionFailed = registry.counter("ConditionalCheckFailedRequests", tags);
        }

        void provisioned(CapacityMode mode) {
            if (mode == this.mode) {
                return; // the same parsed mode (cached per table options): nothing to write on the hot path
            }
            this.mode = mode;
            if (mode instanceof CapacityMode.Provisioned p) {
                provisionedRead.set(p.readUnits());
                provisionedWrite.set(p.writeUnits());
                if (!gauges) {
                    gauges = true;
                    registry.gauge("ProvisionedReadCapacityUnits", tags, provisionedRead);
                    registry.gauge("ProvisionedWriteCapacityUnits", tags, provisionedWrite);
                }
            } else {
                provisionedRead.set(0);
                provisionedWrite.set(0);
            }
        }

        Timer latency(String operation) {
            return latency.computeIfAbsent(operation, op -> Timer.builder("SuccessfulRequestLatency")
                    .tags(tags).tag("operation", op).publishPercentiles(0.5, 0.99).register(registry));
        }
    }

    @Override
    public String name() {
        return "metrics";
    }

    @Override
    public Uni<Void> check(RequestContext context, Plan plan) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public void completed(RequestContext rc, Plan plan, Throwable failure) {
        PlanTarget target = PlanTarget.of(plan);
        if (target == null) {
            return;
        }
        TableMetadata t = target.table();
        Meters m = tables.get(t.id());
        if (m == null) {
            m = tables.computeIfAbsent(t.id(),
                k -> new Meters(Tags.of("tenant", rc.tenant(), "keyspace", t.keyspace(), "table", t.name()),
                        t.tableId(rc.tenant())));
        }
        m.provisioned(CapacityGuard.mode(t));
        String throttled = rc.attachment(RequestContext.THROTTLED).orElse(null);
        if (throttled != null) {
            (throttled.equals("read") ? m.readThrottles : m.writeThrottles).increment();
            if ("PARTITION".equals(rc.attachment(RequestContext.THROTTLE_SCOPE).orElse(null))) {
                m.partitionExceeded.increment();
            }
            return;
        }
        CapacityUnits units = rc.capacity();
        if (units.readUnits() > 0) {
            m.consumedRead.increment(units.readUnits());
        }
        if (units.writeUnits() > 0) {
            m.consumedWrite.increment(units.writeUnits());
        }
        if (failure == null) {
            m.latency(target.operation()).record(Duration.ofNanos(System.nanoTime() - rc.startedNanos()));
            if (rc.usage().isConditionFailed()) {
                m.conditionFailed.increment();
            }
        } else if (failure instanceof CqlException e && e.code() != ErrorCode.SERVER_ERROR) {
            m.userErrors.increment();
        } else {
            m.systemErrors.increment();
        }
    }


}
