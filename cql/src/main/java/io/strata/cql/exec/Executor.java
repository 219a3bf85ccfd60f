package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.exec.ddl.SchemaChangeExecutor;
import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.TimeUuids;
import io.strata.cql.plan.BatchPlan;
import io.strata.cql.plan.ConditionalPlan;
import io.strata.cql.plan.DescribePlan;
import io.strata.cql.plan.ModificationPlan;
import io.strata.cql.plan.Plan;
import io.strata.cql.plan.SchemaChangePlan;
import io.strata.cql.plan.SelectPlan;
import io.strata.cql.plan.TruncatePlan;
import io.strata.cql.plan.UsePlan;
import io.strata.cql.plan.VirtualSelectPlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.Result;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.SchemaVisibility;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.storage.spi.StorageEngine;
import java.time.Clock;
import java.util.Collections;
import java.util.List;

/**
 * The execution step of the request path: checks the consistency levels a plan may run at, runs the
 * {@link PlanGuard}s, and hands the plan to its executor (reads and paging, writes, lightweight
 * transactions, DDL, system tables, DESCRIBE). Every stage is a Mutiny {@link Uni}; storage calls are
 * adapted from the SPI's stages, never blocked on. Thread-safe.
 */
public final class Executor {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Executor.class);
    private final StorageEngine engine;
    private final SchemaService schemas;
    private final SystemKeyspaces system;
    private final TimeUuids time;
    private final List<PlanGuard> guards;
    private final ReadExecutor reads;
    private final WriteExecutor writes;
    private final LwtExecutor lwt;
    private final VirtualTableExecutor virtualTables;
    private final SchemaChangeExecutor ddl;

    public Executor(StorageEngine engine, SchemaService schemas, SystemKeyspaces system, Clock clock, List<PlanGuard> guards) {
        this(engine, schemas, system, clock, guards, java.time.Duration.ofHours(24));
    }

    /** @param capacitySwitchWait how long a table waits between switches back to on-demand capacity (24 h) */
    public Executor(StorageEngine engine, SchemaService schemas, SystemKeyspaces system, Clock clock, List<PlanGuard> guards,
            java.time.Duration capacitySwitchWait) {
        this.engine = requireNonNull(engine, "engine is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.system = requireNonNull(system, "system is null");
        this.time = new TimeUuids(requireNonNull(clock, "clock is null"));
        this.guards = List.copyOf(guards);
        this.reads = new ReadExecutor(engine);
        this.writes = new WriteExecutor(engine);
        this.lwt = new LwtExecutor(engine);
        this.virtualTables = new VirtualTableExecutor(system);
        this.ddl = new SchemaChangeExecutor(schemas, system::node, time::nextTimestampMicros, capacitySwitchWait);
    }

    /** Runs a plan with one set of bound values (a batch from BEGIN BATCH text shares them). */
    public Uni<Result> execute(RequestContext rc, Plan plan, Bindings bindings) {
        return run(rc, plan, null, bindings);
    }

    /** Runs a batch plan from a protocol BATCH message: each statement has its own bound values. */
    public Uni<Result> executeBatch(RequestContext rc, Plan plan, List<Bindings> perStatement) {
        return run(rc, plan, perStatement, null);
    }

    private Uni<Result> run(RequestContext rc, Plan plan, List<Bindings> perStatement, Bindings shared) {
        checkConsistency(rc, plan);
        EvalContext ctx = context(rc.defaultTimestamp());
        if (guards.isEmpty()) {
            return plan.accept(new Dispatch(rc, ctx, perStatement, shared));
        }
        Uni<Void> checked = Uni.createFrom().voidItem();
        for (PlanGuard g : guards) {
            checked = checked.chain(() -> {
                if (rc.trace().enabled()) {
                    rc.trace().event("Running the " + g.name());
                }
                return g.check(rc, plan);
            });
        }
        return checked.chain(() -> plan.accept(new Dispatch(rc, ctx, perStatement, shared)))
                .onItemOrFailure().invoke((result, failure) -> completed(rc, plan, failure));
    }

    private void completed(RequestContext rc, Plan plan, Throwable failure) {
        for (PlanGuard g : guards) {
            try {
                g.completed(rc, plan, failure);
            } catch (RuntimeException e) {
                LOG.warnf(e, "the %s failed to observe a completed request", g.name());
            }
        }
    }

    private EvalContext context(long defaultTimestamp) {
        long ts = defaultTimestamp != RequestContext.NO_TIMESTAMP ? defaultTimestamp : time.nextTimestampMicros();
        return new EvalContext(ts, time.nowMillis(), time);
    }

    /** The consistency policy (design note 0006) applied to what the plan does. */
    private static void checkConsistency(RequestContext rc, Plan plan) {
        switch (plan.access()) {
            case READ -> ConsistencyPolicy.checkRead(rc.consistency());
            case WRITE -> ConsistencyPolicy.checkWrite(rc.consistency());
            case CONDITIONAL_WRITE -> {
                ConsistencyPolicy.checkWrite(rc.consistency());
                ConsistencyPolicy.checkSerial(rc.serialConsistency());
            }
            case NONE -> {
            }
        }
    }

    /** One execution's dispatch: the visitor that sends each plan kind to its executor. */
    private final class Dispatch implements Plan.Visitor<Uni<Result>> {
        private final RequestContext rc;
        private final EvalContext ctx;
        private final List<Bindings> perStatement;
        private final Bindings shared;

        Dispatch(RequestContext rc, EvalContext ctx, List<Bindings> perStatement, Bindings shared) {
            this.rc = rc;
            this.ctx = ctx;
            this.perStatement = perStatement;
            this.shared = shared;
        }

        private Bindings one() {
            if (shared == null) {
                throw CqlException.invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
            }
            return shared;
        }

        private List<Bindings> each(int statements) {
            return perStatement != null ? perStatement : Collections.nCopies(statements, shared);
        }

        /**
         * The tenant's schema as the caller's token sees it: what system tables, DESCRIBE and USE work from, so
         * that rows are filtered once, before filters, LIMIT and paging apply.
         */
        private Uni<Schema> visibleSchema() {
            return Uni.createFrom().completionStage(() -> schemas.schema(rc.tenant()))
                    .map(schema -> SchemaVisibility.visible(schema, rc.caller().policy()));
        }

        @Override
        public Uni<Result> select(SelectPlan plan) {
            return reads.select(rc, plan, one(), ctx);
        }

        @Override
        public Uni<Result> virtualSelect(VirtualSelectPlan plan) {
            Bindings b = one();
            return visibleSchema().map(schema -> virtualTables.select(rc, plan, schema, b, ctx));
        }

        @Override
        public Uni<Result> modification(ModificationPlan plan) {
            return writes.modification(rc, plan, one(), ctx);
        }

        @Override
        public Uni<Result> batch(BatchPlan plan) {
            return writes.batch(rc, plan, each(plan.statements().size()), ctx);
        }

        @Override
        public Uni<Result> conditional(ConditionalPlan plan) {
            return lwt.run(rc, plan, each(plan.statements().size()), ctx);
        }

        @Override
        public Uni<Result> schemaChange(SchemaChangePlan plan) {
            return ddl.execute(rc, plan);
        }

        @Override
        public Uni<Result> use(UsePlan plan) {
            // a keyspace the token cannot see does not exist for it
            return visibleSchema().map(schema -> {
                if (schema.keyspace(plan.keyspace()).isEmpty() && !SystemKeyspaces.isSystemKeyspace(plan.keyspace())) {
                    throw CqlException.invalid("Keyspace '" + plan.keyspace() + "' does not exist");
                }
                return new Result.SetKeyspace(plan.keyspace());
            });
        }

        @Override
        public Uni<Result> truncate(TruncatePlan plan) {
            if (rc.trace().enabled()) {
                rc.trace().event("Truncating " + plan.table());
            }
            return Uni.createFrom().completionStage(() -> engine.truncate(plan.table().tableId(rc.tenant())))
                    .map(v -> Result.VOID);
        }

        @Override
        public Uni<Result> describe(DescribePlan plan) {
            return visibleSchema().map(schema -> DescribeExecutor.describe(plan.statement(), schema, plan.keyspace(), system.node()));
        }
    }
}
