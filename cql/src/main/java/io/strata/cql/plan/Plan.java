package io.strata.cql.plan;

/**
 * What an analysed statement will do: a closed set of immutable records, one per kind of statement,
 * produced by the analyzer and run by the executors. Executors dispatch with {@link #accept} (a visitor),
 * never by testing types, so adding a kind of plan fails to compile until every executor handles it.
 */
public sealed interface Plan permits SelectPlan, VirtualSelectPlan, ModificationPlan, BatchPlan, ConditionalPlan,
        SchemaChangePlan, UsePlan, TruncatePlan, DescribePlan {

    <R> R accept(Visitor<R> visitor);

    /** How the request's consistency levels apply to this plan. */
    Access access();

    /** Whether the plan reads, writes, writes conditionally, or neither (DDL, USE, DESCRIBE). */
    enum Access { READ, WRITE, CONDITIONAL_WRITE, NONE }

    /** One method per plan kind. */
    interface Visitor<R> {
        R select(SelectPlan plan);

        R virtualSelect(VirtualSelectPlan plan);

        R modification(ModificationPlan plan);

        R batch(BatchPlan plan);

        R conditional(ConditionalPlan plan);

        R schemaChange(SchemaChangePlan plan);

        R use(UsePlan plan);

        R truncate(TruncatePlan plan);

        R describe(DescribePlan plan);
    }
}
