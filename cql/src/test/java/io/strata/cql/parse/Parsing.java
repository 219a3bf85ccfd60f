package io.strata.cql.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.ast.Statement;
import io.strata.cql.ast.Term;

/** Shorthands shared by the parser tests. */
final class Parsing {
    private Parsing() {}

    static <T extends Statement> T parse(String cql, Class<T> type) {
        Statement statement = CqlParser.parse(cql).statement();
        assertThat(statement).as("statement of %s", cql).isInstanceOf(type);
        return type.cast(statement);
    }

    static Term.Literal literal(Term.Literal.Kind kind, String text) {
        return new Term.Literal(kind, text);
    }

    static Term.Literal integer(String text) {
        return literal(Term.Literal.Kind.INTEGER, text);
    }

    static Term.Literal string(String text) {
        return literal(Term.Literal.Kind.STRING, text);
    }

    static Term.BindMarker marker(int index) {
        return new Term.BindMarker(index, null);
    }
}
