package io.strata.gateway.billing;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.capacity.CapacityUnits;
import io.strata.cql.exec.PlanGuard;
import io.strata.cql.plan.Plan;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.WriteJournal;
import io.strata.gateway.capacity.CapacityGuard;
import io.strata.gateway.capacity.PlanTarget;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.tenancy.capacity.CapacityMode;
import java.util.List;

/**
 * Puts every request on a user table into the {@link UsageLedger}: a write through its {@link WriteJournal}, in
 * the same commit-log record as the write; a read, a throttle event or a write that failed before storage once it
 * ended. Refuses nothing. Thread-safe.
 */
public final class LedgerGuard implements PlanGuard {
    private final UsageLedger ledger;

    public LedgerGuard(UsageLedger ledger) {
        this.ledger = requireNonNull(ledger, "ledger is null");
    }

    /** One request's journal: remembers that it journaled, so that its usage is not recorded twice. */
    private final class RequestJournal implements WriteJournal {
        final UsageLedger.Table table;
        final CapacityMode mode;
        volatile boolean journaled;

        RequestJournal(UsageLedger.Table table, CapacityMode mode) {
            this.table = table;
            this.mode = mode;
        }

        @Override
        public List<PartitionUpdate> entries(RequestContext rc) {
            journaled = true;
            return ledger.journal(table, usage(rc.capacity(), mode));
        }
    }

    @Override
    public String name() {
        return "usage ledger";
    }

    @Override
    public Uni<Void> check(RequestContext rc, Plan plan) {
        PlanTarget target = PlanTarget.of(plan);
        if (target != null) {
            rc.journal(new RequestJournal(table(rc, target), CapacityGuard.mode(target.table())));
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public void completed(RequestContext rc, Plan plan, Throwable failure) {
        if (!(rc.journal() instanceof RequestJournal j)) {
            return;
        }
        String throttled = rc.attachment(RequestContext.THROTTLED).orElse(null);
        if (throttled != null) {
            boolean read = throttled.equals("read");
            ledger.record(j.table, new Usage(0, 0, 0, 0, 0, 0, read ? 1 : 0, read ? 0 : 1));
        } else if (!j.journaled) {
            Usage u = usage(rc.capacity(), j.mode);
            if (!u.equals(Usage.ZERO)) {
                ledger.record(j.table, u);
            }
        }
    }

    private static UsageLedger.Table table(RequestContext rc, PlanTarget target) {
        return new UsageLedger.Table(rc.tenant(), target.table().keyspace(), target.table().name(), target.table().id());
    }

    /** A request's units as ledger counters: on-demand units are billed per request, provisioned ones are not. */
    static Usage usage(CapacityUnits units, CapacityMode mode) {
        long read = Math.round(units.readUnits() * 1000);
        long write = units.writeUnits() * 1000;
        return mode instanceof CapacityMode.Provisioned ? new Usage(0, 0, read, write, 0, 0, 0, 0)
                : new Usage(read, write, 0, 0, 0, 0, 0, 0);
    }
}
