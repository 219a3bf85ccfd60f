package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** {@code UPDATE t [USING ...] SET ... WHERE ... [IF EXISTS | IF cond AND ...]}. */
public record Update(
        QualifiedName table,
        Using using,
        List<Assignment> assignments,
        List<Relation> where,
        List<Condition> conditions,
        boolean ifExists) implements Statement {
    public Update {
        requireNonNull(table, "table is null");
        requireNonNull(using, "using is null");
        assignments = List.copyOf(requireNonNull(assignments, "assignments is null"));
        where = List.copyOf(requireNonNull(where, "where is null"));
        conditions = List.copyOf(requireNonNull(conditions, "conditions is null"));
    }
}
