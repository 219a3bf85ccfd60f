package io.strata.gateway.capacity;

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
import io.strata.cql.schema.TableMetadata;
import io.strata.tenancy.capacity.Operation;

/**
 * The user table a statement consumes capacity of, for metering, billing and metrics: a SELECT reads its table;
 * INSERT, UPDATE, DELETE, batches and LWTs write theirs (a batch's first statement's table). System tables, DDL,
 * USE, TRUNCATE and DESCRIBE consume none ({@link #of} answers null).
 *
 * @param writeType the write type a throttled write reports (SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, CAS)
 * @param operation the operation metrics name (SELECT, INSERT, UPDATE, DELETE, BATCH, CONDITIONAL)
 */
public record PlanTarget(TableMetadata table, Operation op, String writeType, String operation) {
    /** The plan's target, or null for plans that consume no capacity. */
    public static PlanTarget of(Plan plan) {
        return plan.accept(VISITOR);
    }

    private static final Plan.Visitor<PlanTarget> VISITOR = new Plan.Visitor<>() {
        @Override
        public PlanTarget select(SelectPlan plan) {
            return new PlanTarget(plan.table(), Operation.READ, null, "SELECT");
        }

        @Override
        public PlanTarget virtualSelect(VirtualSelectPlan plan) {
            return null;
        }

        @Override
        public PlanTarget modification(ModificationPlan plan) {
            return new PlanTarget(plan.table(), Operation.WRITE, ModificationPlan.isCounterTable(plan.table())
                    ? "COUNTER" : "SIMPLE", plan.kind().name());
        }

        @Override
        public PlanTarget batch(BatchPlan plan) {
            String type = switch (plan.type()) {
                case LOGGED -> "BATCH";
                case UNLOGGED -> "UNLOGGED_BATCH";
                case COUNTER -> "COUNTER";
            };
            return plan.statements().isEmpty() ? null
                    : new PlanTarget(plan.statements().get(0).table(), Operation.WRITE, type, "BATCH");
        }

        @Override
        public PlanTarget conditional(ConditionalPlan plan) {
            return new PlanTarget(plan.table(), Operation.WRITE, "CAS", "CONDITIONAL");
        }

        @Override
        public PlanTarget schemaChange(SchemaChangePlan plan) {
            return null;
        }

        @Override
        public PlanTarget use(UsePlan plan) {
            return null;
        }

        @Override
        public PlanTarget truncate(TruncatePlan plan) {
            return null;
        }

        @Override
        public PlanTarget describe(DescribePlan plan) {
            return null;
        }
    };
}
