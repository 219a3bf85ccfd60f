package io.strata.cql.analyze;

import io.strata.cql.ast.Term;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.expr.Arithmetic;
import io.strata.cql.expr.Functions;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The type a term has by itself, where the receiver does not decide it: a type hint's type, a literal's
 * natural type inside arithmetic ({@code 1} is an int, or a bigint or varint when it does not fit,
 * {@code 1.5} a double, {@code 'a'} text, {@code 1d} a duration), an operation's result type, a function's
 * return type. Stateless.
 */
final class TermTypes {
    private TermTypes() {}

    /** Whether the term's type can only come from its receiver (a bare literal, marker or collection literal). */
    static boolean needsReceiver(Term t) {
        return t instanceof Term.Literal || t instanceof Term.BindMarker || t instanceof Term.ListLiteral
                || t instanceof Term.SetLiteral || t instanceof Term.MapLiteral || t instanceof Term.TupleLiteral
                || t instanceof Term.UdtLiteral;
    }

    /** The term's own type, or null when it has none. */
    static DataType natural(Term t) {
        if (t instanceof Term.Cast c) {
            return hinted(c.type());
        }
        if (t instanceof Term.Literal l) {
            return switch (l.kind()) {
                case INTEGER -> integer(l.text());
                case FLOAT, NAN, INFINITY -> NativeType.DOUBLE;
                case STRING -> NativeType.TEXT;
                case BOOLEAN -> NativeType.BOOLEAN;
                case UUID -> NativeType.UUID;
                case HEX -> NativeType.BLOB;
                case DURATION -> NativeType.DURATION;
                case NULL -> null;
            };
        }
        if (t instanceof Term.Operation op) {
            DataType left = natural(op.left());
            DataType right = natural(op.right());
            return left == null || right == null ? null : Arithmetic.resultType(op.op(), left, right);
        }
        if (t instanceof Term.FunctionCall f) {
            List<Functions.Scalar> overloads = Functions.overloads(f.name().toLowerCase(Locale.ROOT));
            DataType found = null;
            for (Functions.Scalar s : overloads) {
                if (s.argTypes().size() != f.args().size() || !argsFit(s, f.args())) {
                    continue;
                }
                if (found != null && !found.equals(s.returnType())) {
                    return null;
                }
                found = s.returnType();
            }
            return found;
        }
        return null;
    }

    private static boolean argsFit(Functions.Scalar s, List<Term> args) {
        for (int i = 0; i < args.size(); i++) {
            if (!Variables.literalFits(args.get(i), s.argTypes().get(i))) {
                return false;
            }
        }
        return true;
    }

    private static DataType integer(String text) {
        try {
            BigInteger v = new BigInteger(text);
            if (v.bitLength() < 32) {
                return NativeType.INT;
            }
            return v.bitLength() < 64 ? NativeType.BIGINT : NativeType.VARINT;
        } catch (NumberFormatException e) {
            return NativeType.INT;
        }
    }

    /** The type of a hint: native types and collections or tuples of them (user types need a keyspace). */
    static DataType hinted(TypeRef ref) {
        if (ref instanceof TypeRef.Native n) {
            return NativeType.byName(n.name());
        }
        if (ref instanceof TypeRef.Frozen f) {
            DataType inner = hinted(f.inner());
            return inner instanceof CollectionType ct ? new CollectionType(ct.kind(), ct.keyOrElement(), ct.value(), true)
                    : inner;
        }
        if (ref instanceof TypeRef.Collection c) {
            List<DataType> args = new ArrayList<>();
            for (TypeRef a : c.arguments()) {
                DataType d = hinted(a);
                if (d == null) {
                    return null;
                }
                args.add(d);
            }
            CollectionType.Kind kind = CollectionType.Kind.valueOf(c.kind().name());
            return new CollectionType(kind, args.get(0), args.size() > 1 ? args.get(1) : null, false);
        }
        if (ref instanceof TypeRef.Tuple tu) {
            List<DataType> els = new ArrayList<>();
            for (TypeRef e : tu.elements()) {
                DataType d = hinted(e);
                if (d == null) {
                    return null;
                }
                els.add(d);
            }
            return new TupleType(els);
        }
        return null;
    }
}
