package io.strata.cql.analyze;

import io.strata.cql.ast.Selector;
import io.strata.cql.ast.Term;
import io.strata.cql.ast.TypeRef;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The column labels Cassandra gives selectors without an alias, and the text of terms in them: columns
 * by name, {@code system.f(args)} for native functions, {@code cast(x as t)}, operators with single spaces
 * and written parentheses kept, literals as written ({@code (int)1}, {@code [1, 2]}). Stateless.
 */
final class Labels {
    private Labels() {}

    static String of(Selector s) {
        if (s instanceof Selector.ColumnRef ref) {
            return ref.name();
        }
        if (s instanceof Selector.Cast c) {
            return "cast(" + of(c.selector()) + " as " + type(c.type()) + ")";
        }
        if (s instanceof Selector.FieldAccess fa) {
            return of(fa.selector()) + "." + fa.field();
        }
        if (s instanceof Selector.ElementAccess ea) {
            return of(ea.selector()) + "[" + term(ea.key()) + "]";
        }
        if (s instanceof Selector.SliceAccess sa) {
            return of(sa.selector()) + "[" + (sa.from() == null ? "" : term(sa.from())) + ".."
                    + (sa.to() == null ? "" : term(sa.to())) + "]";
        }
        if (s instanceof Selector.FunctionCall f) {
            String name = f.name().toLowerCase(Locale.ROOT);
            if (name.equals("count") && f.args().size() == 1 && isStar(f.args().get(0))) {
                return "count";
            }
            String args = f.args().stream().map(Labels::of).collect(Collectors.joining(", "));
            String prefix = name.equals("writetime") || name.equals("ttl") || name.equals("maxwritetime") ? "" : "system.";
            return prefix + name + "(" + args + ")";
        }
        if (s instanceof Selector.Operation op) {
            return of(op.left()) + " " + op.op().symbol() + " " + of(op.right());
        }
        if (s instanceof Selector.Parenthesized p) {
            return "(" + of(p.selector()) + ")";
        }
        if (s instanceof Selector.Negation n) {
            return "-(" + of(n.selector()) + ")";
        }
        if (s instanceof Selector.TermSelector ts) {
            return term(ts.term());
        }
        return "*";
    }

    /** {@code *}, or the literal 1 that Cassandra's grammar reads as {@code *} in {@code count(1)}. */
    static boolean isStar(Selector arg) {
        return arg instanceof Selector.Star || arg instanceof Selector.TermSelector ts
                && ts.term() instanceof Term.Literal l && l.kind() == Term.Literal.Kind.INTEGER && l.text().equals("1");
    }

    static String term(Term t) {
        if (t instanceof Term.Literal l) {
            return l.kind() == Term.Literal.Kind.STRING ? "'" + l.text().replace("'", "''") + "'"
                    : l.kind() == Term.Literal.Kind.HEX ? "0x" + l.text() : l.text();
        }
        if (t instanceof Term.BindMarker m) {
            return m.name() == null ? "?" : ":" + m.name();
        }
        if (t instanceof Term.Cast c) {
            return "(" + type(c.type()) + ")" + term(c.term());
        }
        if (t instanceof Term.ListLiteral l) {
            return "[" + join(l.elements()) + "]";
        }
        if (t instanceof Term.SetLiteral l) {
            return "{" + join(l.elements()) + "}";
        }
        if (t instanceof Term.TupleLiteral l) {
            return "(" + join(l.elements()) + ")";
        }
        if (t instanceof Term.MapLiteral m) {
            return "{" + m.entries().stream().map(e -> term(e.getKey()) + ": " + term(e.getValue()))
                    .collect(Collectors.joining(", ")) + "}";
        }
        if (t instanceof Term.UdtLiteral u) {
            return "{" + u.fields().entrySet().stream().map(e -> e.getKey() + ": " + term(e.getValue()))
                    .collect(Collectors.joining(", ")) + "}";
        }
        if (t instanceof Term.FunctionCall f) {
            return "system." + f.name().toLowerCase(Locale.ROOT) + "(" + join(f.args()) + ")";
        }
        if (t instanceof Term.Operation op) {
            return term(op.left()) + " " + op.op().symbol() + " " + term(op.right());
        }
        if (t instanceof Term.InValues in) {
            return "(" + join(in.values()) + ")";
        }
        return t.toString();
    }

    private static String join(List<Term> terms) {
        return terms.stream().map(Labels::term).collect(Collectors.joining(", "));
    }

    static String type(TypeRef t) {
        if (t instanceof TypeRef.Native n) {
            return n.name().toLowerCase(Locale.ROOT);
        }
        if (t instanceof TypeRef.Frozen f) {
            return "frozen<" + type(f.inner()) + ">";
        }
        if (t instanceof TypeRef.Collection c) {
            return c.kind().name().toLowerCase(Locale.ROOT) + "<" + c.arguments().stream().map(Labels::type)
                    .collect(Collectors.joining(", ")) + ">";
        }
        if (t instanceof TypeRef.Tuple tu) {
            return "tuple<" + tu.elements().stream().map(Labels::type).collect(Collectors.joining(", ")) + ">";
        }
        if (t instanceof TypeRef.UserType u) {
            return u.name().name();
        }
        return t.toString();
    }
}
