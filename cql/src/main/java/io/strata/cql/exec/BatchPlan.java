package io.strata.cql.exec;

import io.strata.cql.ast.Batch;
import io.strata.cql.ast.Using;
import java.util.List;

/** An analysed BEGIN BATCH ... APPLY BATCH sent as one QUERY: its statements' plans, applied atomically. */
record BatchPlan(Batch statement, List<ModificationPlan> plans, Using using) {
    BatchPlan {
        plans = List.copyOf(plans);
    }
}
