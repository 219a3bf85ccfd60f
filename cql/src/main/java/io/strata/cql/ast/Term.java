package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value expression as written: a literal, a bind marker, a collection/tuple/UDT literal, a function call
 * or a cast. Types are not known at parse time; the analyzer interprets terms against a receiver type
 * (for instance an empty {@link MapLiteral} may become an empty set). Immutable.
 */
public sealed interface Term {

    /**
     * A constant. {@code text} is the literal without decoration: STRING unescaped, HEX without
     * {@code 0x}, INTEGER/FLOAT/DURATION/NAN/INFINITY with their leading '-' if negative, BOOLEAN as
     * {@code true}/{@code false}, NULL as {@code null}, UUID as written.
     */
    record Literal(Kind kind, String text) implements Term {
        public Literal {
            requireNonNull(kind, "kind is null");
            requireNonNull(text, "text is null");
        }

        public static final Literal NULL = new Literal(Kind.NULL, "null");

        /** The lexical kind of the constant. */
        public enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, UUID, HEX, DURATION, NULL, NAN, INFINITY }
    }

    /** {@code ?} (name null) or {@code :name}; {@code index} is its position among all markers of the statement. */
    record BindMarker(int index, String name) implements Term {
        public BindMarker {
            if (index < 0) {
                throw new IllegalArgumentException("index is negative: " + index);
            }
        }
    }

    /** {@code [a, b]}. */
    record ListLiteral(List<Term> elements) implements Term {
        public ListLiteral {
            elements = List.copyOf(requireNonNull(elements, "elements is null"));
        }
    }

    /** {@code {a, b}} (non-empty; {@code {}} parses as an empty {@link MapLiteral}). */
    record SetLiteral(List<Term> elements) implements Term {
        public SetLiteral {
            elements = List.copyOf(requireNonNull(elements, "elements is null"));
        }
    }

    /** {@code {k: v, ...}} with term keys, or {@code {}}; entries in written order. */
    record MapLiteral(List<Map.Entry<Term, Term>> entries) implements Term {
        public MapLiteral {
            entries = requireNonNull(entries, "entries is null").stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue()))
                    .toList();
        }
    }

    /** {@code (a, b, ...)}. */
    record TupleLiteral(List<Term> elements) implements Term {
        public TupleLiteral {
            elements = List.copyOf(requireNonNull(elements, "elements is null"));
        }
    }

    /** {@code {field: value, ...}} with identifier keys; fields in written order. */
    record UdtLiteral(Map<String, Term> fields) implements Term {
        public UdtLiteral {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(fields, "fields is null")));
        }
    }

    /** {@code [ks.]name(args)}, e.g. {@code now()}, {@code token(?)}, {@code system.uuid()}. */
    record FunctionCall(String keyspace, String name, List<Term> args) implements Term {
        public FunctionCall {
            requireNonNull(name, "name is null");
            args = List.copyOf(requireNonNull(args, "args is null"));
        }
    }

    /** {@code (type) term}: a type hint. */
    record Cast(TypeRef type, Term term) implements Term {
        public Cast {
            requireNonNull(type, "type is null");
            requireNonNull(term, "term is null");
        }
    }

    /** The right side of {@code IN (a, b, ...)}; for multi-column IN the elements are tuples or markers. */
    record InValues(List<Term> values) implements Term {
        public InValues {
            values = List.copyOf(requireNonNull(values, "values is null"));
        }
    }

    /** {@code left op right} on terms, e.g. {@code VALUES (1 + 2)} (Cassandra 4 arithmetic). */
    record Operation(ArithmeticOperator op, Term left, Term right) implements Term {
        public Operation {
            requireNonNull(op, "op is null");
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }
}
