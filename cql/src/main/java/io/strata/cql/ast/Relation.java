package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One restriction of a {@code WHERE} clause (restrictions are AND-ed). Immutable. */
public sealed interface Relation {

    /** Relation and condition operators. {@code IS_NOT} is {@code IS NOT NULL} (the value is a null literal). */
    enum Operator {
        EQ("="), NEQ("!="), LT("<"), LTE("<="), GT(">"), GTE(">="), IN("IN"), CONTAINS("CONTAINS"),
        CONTAINS_KEY("CONTAINS KEY"), LIKE("LIKE"), IS_NOT("IS NOT");

        private final String cql;

        Operator(String cql) {
            this.cql = cql;
        }

        /** The operator as written in CQL. */
        public String cql() {
            return cql;
        }
    }

    /**
     * {@code c op value}. For IN the value is a {@link Term.InValues} or a bind marker ({@code c IN ?});
     * for IS NOT NULL it is {@link Term.Literal#NULL}.
     */
    record SingleColumn(String column, Operator op, Term value) implements Relation {
        public SingleColumn {
            requireNonNull(column, "column is null");
            requireNonNull(op, "op is null");
            requireNonNull(value, "value is null");
        }
    }

    /**
     * {@code (a, b) op value}: the value is a {@link Term.TupleLiteral}, a bind marker, or for IN an
     * {@link Term.InValues} of tuples/markers or a single marker.
     */
    record MultiColumn(List<String> columns, Operator op, Term value) implements Relation {
        public MultiColumn {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            requireNonNull(op, "op is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code token(a, b) op value}; value is typically {@code token(?, ?)} (a function-call term) or a marker. */
    record Token(List<String> columns, Operator op, Term value) implements Relation {
        public Token {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            requireNonNull(op, "op is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code c[key] op value} on a map element. */
    record ElementOf(String column, Term key, Operator op, Term value) implements Relation {
        public ElementOf {
            requireNonNull(column, "column is null");
            requireNonNull(key, "key is null");
            requireNonNull(op, "op is null");
            requireNonNull(value, "value is null");
        }
    }
}
