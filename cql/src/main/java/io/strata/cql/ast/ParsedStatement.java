package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of parsing one CQL statement: the statement and every bind marker it contains, in order of
 * appearance (so {@code bindMarkers().get(i).index() == i}). Immutable.
 */
public record ParsedStatement(Statement statement, List<Term.BindMarker> bindMarkers) {
    public ParsedStatement {
        requireNonNull(statement, "statement is null");
        bindMarkers = List.copyOf(requireNonNull(bindMarkers, "bindMarkers is null"));
    }
}
