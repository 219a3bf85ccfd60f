package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code BEGIN [UNLOGGED|COUNTER] BATCH [USING TIMESTAMP t] stmt; ... APPLY BATCH}. Every statement is an
 * {@link Insert}, {@link Update} or {@link Delete}; bind markers are numbered across the whole batch.
 */
public record Batch(Type type, Using using, List<Statement> statements) implements Statement {
    public Batch {
        requireNonNull(type, "type is null");
        requireNonNull(using, "using is null");
        statements = List.copyOf(requireNonNull(statements, "statements is null"));
        for (Statement s : statements) {
            if (!(s instanceof Insert || s instanceof Update || s instanceof Delete)) {
                throw new IllegalArgumentException("a batch holds only INSERT, UPDATE and DELETE: " + s);
            }
        }
    }

    /** The batch kind. */
    public enum Type { LOGGED, UNLOGGED, COUNTER }
}
