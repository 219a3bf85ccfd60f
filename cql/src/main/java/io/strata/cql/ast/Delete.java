package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code DELETE [targets] FROM t [USING TIMESTAMP t] WHERE ... [IF EXISTS | IF cond AND ...]};
 * empty {@code targets} deletes whole rows.
 */
public record Delete(
        QualifiedName table,
        List<DeleteTarget> targets,
        Using using,
        List<Relation> where,
        List<Condition> conditions,
        boolean ifExists) implements Statement {
    public Delete {
        requireNonNull(table, "table is null");
        targets = List.copyOf(requireNonNull(targets, "targets is null"));
        requireNonNull(using, "using is null");
        where = List.copyOf(requireNonNull(where, "where is null"));
        conditions = List.copyOf(requireNonNull(conditions, "conditions is null"));
    }
}
