package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.TableMetadata;
import java.util.List;

/**
 * A lightweight transaction: one conditional statement, or a batch with conditions. Every statement writes
 * the same partition of {@code table} (checked at execution, once keys are bound); the partition is read
 * under its compare-and-set lock, every condition is evaluated against its own row, and all statements
 * apply or none. Immutable.
 *
 * @param batch whether this came from a BATCH (its result lists one row per conditional row)
 */
public record ConditionalPlan(TableMetadata table, List<Statement> statements, boolean batch) implements Plan {
    /** One statement of the transaction and its condition (null for an unconditional batch member). */
    public record Statement(ModificationPlan write, Condition condition) {
        public Statement {
            requireNonNull(write, "write is null");
        }
    }

    public ConditionalPlan {
        requireNonNull(table, "table is null");
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("no statement");
        }
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.conditional(this);
    }

    @Override
    public Access access() {
        return Access.CONDITIONAL_WRITE;
    }
}
