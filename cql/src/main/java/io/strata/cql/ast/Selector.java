package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One expression of a {@code SELECT} list. Immutable. */
public sealed interface Selector {

    /** A column. */
    record ColumnRef(String name) implements Selector {
        public ColumnRef {
            requireNonNull(name, "name is null");
        }
    }

    /**
     * A function or aggregate: {@code count(*)} (args {@code [Star]}), {@code writetime(c)}, {@code ttl(c)},
     * {@code token(a, b)}, {@code toJson(c)}, {@code now()}, ... Names are lower-cased unless quoted;
     * {@code keyspace} is null unless written ({@code system.now()}).
     */
    record FunctionCall(String keyspace, String name, List<Selector> args) implements Selector {
        public FunctionCall {
            requireNonNull(name, "name is null");
            args = List.copyOf(requireNonNull(args, "args is null"));
        }

        public FunctionCall(String name, List<Selector> args) {
            this(null, name, args);
        }
    }

    /** {@code *} as the argument of {@code count(*)}. */
    record Star() implements Selector {
        public static final Star INSTANCE = new Star();
    }

    /** {@code CAST(selector AS type)}. */
    record Cast(Selector selector, TypeRef type) implements Selector {
        public Cast {
            requireNonNull(selector, "selector is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A literal, bind marker or other term in the select list. */
    record TermSelector(Term term) implements Selector {
        public TermSelector {
            requireNonNull(term, "term is null");
        }
    }

    /** {@code selector.field} on a UDT value. */
    record FieldAccess(Selector selector, String field) implements Selector {
        public FieldAccess {
            requireNonNull(selector, "selector is null");
            requireNonNull(field, "field is null");
        }
    }

    /** {@code selector[key]}: one element of a map or set (Cassandra 4). */
    record ElementAccess(Selector selector, Term key) implements Selector {
        public ElementAccess {
            requireNonNull(selector, "selector is null");
            requireNonNull(key, "key is null");
        }
    }

    /** {@code selector[from..to]}, either bound optional (null): a slice of a map or set (Cassandra 4). */
    record SliceAccess(Selector selector, Term from, Term to) implements Selector {
        public SliceAccess {
            requireNonNull(selector, "selector is null");
        }
    }

    /** {@code left op right} (Cassandra 4 arithmetic). */
    record Operation(ArithmeticOperator op, Selector left, Selector right) implements Selector {
        public Operation {
            requireNonNull(op, "op is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }

    /** {@code -(selector)}. */
    record Negation(Selector selector) implements Selector {
        public Negation {
            requireNonNull(selector, "selector is null");
        }
    }

    /** {@code (selector)} written around an operand: kept so result labels show it as written. */
    record Parenthesized(Selector selector) implements Selector {
        public Parenthesized {
            requireNonNull(selector, "selector is null");
        }
    }
}
