package io.strata.cql.analyze;

import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.BatchPlan;
import io.strata.cql.plan.ConditionalPlan;
import io.strata.cql.plan.Plan;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.TableMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch rules, in one place for both ways a batch arrives (BEGIN BATCH text and the protocol's BATCH
 * message): Keyspaces' statement limits, Cassandra's counter rules, and for batches with conditions one
 * table, no IN on the partition key and no custom batch timestamp (one partition is checked when keys are
 * bound). Returns a {@link BatchPlan}, or a {@link ConditionalPlan} when any statement has a condition.
 * Stateless.
 */
public final class BatchAnalyzer {
    /** Keyspaces' batch limits. */
    public static final int MAX_LOGGED_BATCH = 100;
    public static final int MAX_UNLOGGED_BATCH = 30;

    private BatchAnalyzer() {}

    public static void checkSize(BatchPlan.Type type, int size) {
        boolean unlogged = type == BatchPlan.Type.UNLOGGED;
        int max = unlogged ? MAX_UNLOGGED_BATCH : MAX_LOGGED_BATCH;
        if (size > max) {
            throw CqlException.invalid("Batch too large: " + (unlogged ? "unlogged" : "logged") + " batches may contain at "
                    + "most " + max + " statements, got " + size);
        }
    }

    public static Plan plan(BatchPlan.Type type, List<ConditionalPlan.Statement> children, ValueSource timestamp) {
        checkSize(type, children.size());
        boolean counters = false;
        boolean others = false;
        boolean conditional = false;
        for (ConditionalPlan.Statement c : children) {
            boolean counter = c.write().isCounter();
            counters |= counter;
            others |= !counter;
            conditional |= c.condition() != null;
        }
        if (type == BatchPlan.Type.COUNTER && others) {
            throw CqlException.invalid("Cannot include non-counter statement in a counter batch");
        }
        if (type == BatchPlan.Type.LOGGED && counters) {
            throw CqlException.invalid("Cannot include a counter statement in a logged batch");
        }
        if (counters && others) {
            throw CqlException.invalid("Counter and non-counter mutations cannot exist in the same batch");
        }
        if (timestamp != null && children.stream().anyMatch(c -> c.write().timestamp() != null)) {
            throw CqlException.invalid("Timestamp must be set either on BATCH or individual statements");
        }
        if (!conditional) {
            return new BatchPlan(type, children.stream().map(ConditionalPlan.Statement::write).toList(), timestamp);
        }
        if (timestamp != null) {
            throw CqlException.invalid("Cannot provide custom timestamp for conditional BATCH");
        }
        TableMetadata table = children.get(0).write().table();
        List<ConditionalPlan.Statement> statements = new ArrayList<>();
        for (ConditionalPlan.Statement c : children) {
            TableMetadata t = c.write().table();
            if (t != table && !t.id().equals(table.id())) {
                throw CqlException.invalid("Batch with conditions cannot span multiple tables");
            }
            if (!c.write().partitionKeys().single()) {
                throw CqlException.invalid("Batch with conditions cannot span multiple partitions (you cannot use IN on "
                        + "the partition key)");
            }
            if (c.write().where().clustering().hasIn()) {
                throw CqlException.invalid("IN on the clustering key columns is not supported with conditional updates");
            }
            statements.add(c);
        }
        return new ConditionalPlan(table, statements, true);
    }
}
