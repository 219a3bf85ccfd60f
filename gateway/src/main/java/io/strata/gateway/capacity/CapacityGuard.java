package io.strata.gateway.capacity;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.capacity.CapacityUnits;
import io.strata.cql.exec.PlanGuard;
import io.strata.cql.plan.Plan;
import io.strata.cql.request.Consistency;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.ErrorCode;
import io.strata.cql.request.RequestContext;
import io.strata.cql.schema.TableMetadata;
import io.strata.storage.spi.TableId;
import io.strata.tenancy.capacity.Admission;
import io.strata.tenancy.capacity.CapacityMeter;
import io.strata.tenancy.capacity.CapacityMode;
import io.strata.tenancy.capacity.Operation;
import io.strata.tenancy.capacity.TableRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Capacity as Keyspaces enforces it, on every statement on a user table: before it runs, its table and account must
 * have capacity left ({@link CapacityMeter#admit}), and before it touches a partition, so must the partition (a
 * {@link io.strata.cql.request.PartitionGate}); a throttled request never touches storage and is answered as
 * Keyspaces answers it, WriteTimeout or ReadTimeout (received 0 of the replicas its consistency needs) with a
 * message naming the table, the limit and what to do, or OVERLOADED if so configured. After it ran, what it
 * consumed ({@link RequestContext#capacity()}, exact Keyspaces units) is charged to its table, partitions and
 * account. LWTs consume write units; a batch's units are charged to the table of its first statement (batches
 * over several tables are rare, and a request's units are not split by table yet). Thread-safe.
 */
public final class CapacityGuard implements PlanGuard {
    private final CapacityMeter meter;
    private final CapacityConfig.ThrottleResponse response;
    /** Parsed modes by table id, shared: every guard asks on every request. */
    private static final Map<java.util.UUID, Parsed> MODES = new ConcurrentHashMap<>();
    private final LongAdder readThrottles = new LongAdder();
    private final LongAdder writeThrottles = new LongAdder();

    private record Parsed(Map<String, Object> options, CapacityMode mode) {}


    public CapacityGuard(CapacityMeter meter, CapacityConfig.ThrottleResponse response) {
        this.meter = requireNonNull(meter, "meter is null");
        this.response = requireNonNull(response, "response is null");
    }

    @Override
    public String name() {
        return "capacity check";
    }

    @Override
    public Uni<Void> check(RequestContext rc, Plan plan) {
        PlanTarget target = PlanTarget.of(plan);
        if (target == null) {
            return Uni.createFrom().voidItem();
        }
        TableRef table = ref(target.table().tableId(rc.tenant()));
        CapacityMode mode = mode(target.table());
        Admission admission = meter.admit(table, mode, target.op());
        if (admission instanceof Admission.Throttled t) {
            return Uni.createFrom().failure(throttled(rc, t, target.writeType()));
        }
        rc.gate((id, token, write) -> {
            Operation op = write ? Operation.WRITE : Operation.READ;
            if (meter.admitPartition(ref(id), op, token) instanceof Admission.Throttled t) {
                throw throttled(rc, t, target.writeType());
            }
        });
        return Uni.createFrom().voidItem();
    }

    @Override
    public void completed(RequestContext rc, Plan plan, Throwable failure) {
        if (rc.attachment(RequestContext.THROTTLED).isPresent()) {
            return; // never charged
        }
        PlanTarget target = PlanTarget.of(plan);
        if (target == null) {
            return;
        }
        CapacityUnits units = rc.capacity();
        if (units.equals(CapacityUnits.NONE)) {
            return;
        }
        TableMetadata t = target.table();
        TableRef table = ref(t.tableId(rc.tenant()));
        CapacityMode mode = mode(t);
        if (units.writeUnits() > 0) {
            meter.charge(table, mode, Operation.WRITE, units.writeUnits() * CapacityMeter.MILLI);
        }
        if (units.readUnits() > 0) {
            meter.charge(table, mode, Operation.READ, Math.round(units.readUnits() * CapacityMeter.MILLI));
        }
        Consistency consistency = rc.consistency();
        rc.usage().forEachPartition((token, writeUnits, bytesRead) -> {
            meter.chargePartition(table, Operation.WRITE, token, writeUnits * CapacityMeter.MILLI);
            if (bytesRead > 0) {
                meter.chargePartition(table, Operation.READ, token,
                        Math.round(CapacityUnits.readUnits(bytesRead, consistency) * CapacityMeter.MILLI));
            }
        });
    }

    /** Throttle events so far, for metrics. */
    public long throttles(Operation op) {
        return (op == Operation.READ ? readThrottles : writeThrottles).sum();
    }

    private CqlException throttled(RequestContext rc, Admission.Throttled t, String writeType) {
        rc.attach(RequestContext.THROTTLED, t.op().word());
        rc.attach(RequestContext.THROTTLE_SCOPE, t.scope().name());
        (t.op() == Operation.READ ? readThrottles : writeThrottles).increment();
        if (response == CapacityConfig.ThrottleResponse.OVERLOADED) {
            return new CqlException(ErrorCode.OVERLOADED, t.message());
        }
        if (t.op() == Operation.READ) {
            Consistency c = rc.consistency();
            return new CqlException.ReadTimeout(t.message(), c, 0,
                    c == Consistency.ONE || c == Consistency.LOCAL_ONE ? 1 : 2, false);
        }
        // writes are always LOCAL_QUORUM here, as in Keyspaces: "received 0, required 2"
        return new CqlException.WriteTimeout(t.message(), Consistency.LOCAL_QUORUM, 0, 2, writeType);
    }

    private static TableRef ref(TableId id) {
        return new TableRef(id.tenant(), id.keyspace(), id.table(), id.id());
    }

    /** The table's capacity mode from its custom properties, parsed once per version of the table's options. */
    public static CapacityMode mode(TableMetadata t) {
        Parsed p = MODES.get(t.id());
        if (p != null && p.options() == t.options()) {
            return p.mode();
        }
        CapacityMode mode = parse(t.options());
        MODES.put(t.id(), new Parsed(t.options(), mode));
        return mode;
    }

    /** A table's capacity mode from its options (validated when the table was created or altered). */
    public static CapacityMode parse(Map<String, Object> options) {
        if (options.get("custom_properties") instanceof Map<?, ?> custom
                && custom.get("capacity_mode") instanceof Map<?, ?> m
                && "PROVISIONED".equals(String.valueOf(m.get("throughput_mode")))) {
            // validated when the table was created or altered
            return new CapacityMode.Provisioned(Long.parseLong(String.valueOf(m.get("read_capacity_units"))),
                    Long.parseLong(String.valueOf(m.get("write_capacity_units"))));
        }
        return CapacityMode.ON_DEMAND;
    }

}
