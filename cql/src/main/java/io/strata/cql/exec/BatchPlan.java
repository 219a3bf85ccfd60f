package io.strata.cql.exec;

import io.strata.cql.ast.Batch;
import io.strata.cql.ast.Using;
import java.util.List;

/**
 * An analysed BEGIN BATCH ... APPLY BATCH sent as one QUERY: its statements' plans, applied atomically;
 * {@code timestamp} is the batch's USING TIMESTAMP (null: the statements' own or the server's).
 */
record BatchPlan(Batch statement, List<ModificationPlan> plans, Using using, ValueSource timestamp) {
    BatchPlan {
        plans = List.copyOf(plans);
    }
}
