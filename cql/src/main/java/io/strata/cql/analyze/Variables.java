package io.strata.cql.analyze;

import io.strata.cql.ast.Term;
import io.strata.cql.expr.Arithmetic;
import io.strata.cql.expr.Functions;
import io.strata.cql.expr.JsonCodec;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.InvalidValueException;
import io.strata.cql.types.Literals;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Collects the bind variables of a statement while it is analysed: each marker gets the receiver it
 * binds to (a column, or a pseudo-column like {@code [limit]}), which becomes the PREPARED result's
 * variables metadata. Also turns terms into {@link ValueSource}s. Not thread-safe (one per analysis).
 */
final class Variables {
    private final ResultColumn[] specs;
    private final String keyspace;
    private final String table;

    Variables(int count, String keyspace, String table) {
        this.specs = new ResultColumn[count];
        this.keyspace = keyspace;
        this.table = table;
    }

    List<ResultColumn> specs() {
        List<ResultColumn> out = new ArrayList<>(specs.length);
        for (int i = 0; i < specs.length; i++) {
            if (specs[i] == null) {
                throw CqlException.invalid("Bind variable " + (i + 1) + " is used in a position whose type cannot be inferred");
            }
            out.add(specs[i]);
        }
        return out;
    }

    int count() {
        return specs.length;
    }

    ValueSource source(Term term, DataType type, String receiver) {
        if (term instanceof Term.BindMarker m) {
            String name = m.name() != null ? m.name() : receiver;
            // A BATCH's markers have no single table: the spec still needs names (empty, as the protocol allows).
            specs[m.index()] = new ResultColumn(keyspace == null ? "" : keyspace, table == null ? "" : table, name, type);
            return new ValueSource.Bind(m.index(), name, type);
        }
        if (term instanceof Term.Literal l) {
            if (l.kind() == Term.Literal.Kind.NULL) {
                return new ValueSource.Constant(null);
            }
            if (!(type instanceof NativeType nt)) {
                throw CqlException.invalid("Invalid " + l.kind() + " constant (" + l.text() + ") for \"" + receiver
                        + "\" of type " + type.cql());
            }
            try {
                return new ValueSource.Constant(Literals.parse(nt, Literals.Kind.valueOf(l.kind().name()), l.text()));
            } catch (InvalidValueException e) {
                if (e.getMessage().startsWith("TimeUUID")) {
                    throw CqlException.invalid(e.getMessage());
                }
                throw CqlException.invalid("Invalid " + l.kind() + " constant (" + l.text() + ") for \"" + receiver
                        + "\" of type " + type.cql());
            } catch (IllegalArgumentException e) {
                throw CqlException.invalid("Invalid " + l.kind() + " constant (" + l.text() + ") for \"" + receiver
                        + "\" of type " + type.cql());
            }
        }
        if (term instanceof Term.FunctionCall f && f.name().equalsIgnoreCase("fromjson")) {
            // fromJson(text) takes its result type from the receiver, as in Cassandra
            if (f.args().size() != 1) {
                throw CqlException.invalid("Invalid number of arguments in call to function system.fromjson: 1 required but "
                        + f.args().size() + " provided");
            }
            ValueSource text = source(f.args().get(0), NativeType.TEXT, "fromjson(" + receiver + ")");
            Functions.Scalar fromJson = new Functions.Scalar("fromjson", List.of(NativeType.TEXT), type, false,
                    (args, ctx) -> fromJson(type, args.get(0), receiver));
            return new ValueSource.Call(fromJson, List.of(text));
        }
        if (term instanceof Term.FunctionCall f) {
            return call(f, type, receiver);
        }
        if (term instanceof Term.Operation op) {
            return operation(op, type, receiver);
        }
        if (term instanceof Term.Cast c) {
            DataType hinted = TermTypes.hinted(c.type());
            if (hinted == null) {
                throw CqlException.invalid("Type hints are only supported with native types and collections of them, got "
                        + Labels.type(c.type()));
            }
            if (!compatible(hinted, type)) {
                throw CqlException.invalid("Type error: " + c.type() + " cannot be assigned to \"" + receiver
                        + "\" of type " + type.cql());
            }
            return source(c.term(), hinted, receiver);
        }
        if (term instanceof Term.MapLiteral m && m.entries().isEmpty() && type instanceof CollectionType ct
                && ct.kind() == CollectionType.Kind.SET) {
            return new ValueSource.Constant(CollectionCodec.list(List.of()));
        }
        List<ValueSource> parts = new ArrayList<>();
        if (term instanceof Term.ListLiteral l && isCollection(type, CollectionType.Kind.LIST)) {
            DataType e = ((CollectionType) type).keyOrElement();
            for (Term t : l.elements()) {
                parts.add(source(t, e, "value(" + receiver + ")"));
            }
        } else if (term instanceof Term.SetLiteral l && isCollection(type, CollectionType.Kind.SET)) {
            DataType e = ((CollectionType) type).keyOrElement();
            for (Term t : l.elements()) {
                parts.add(source(t, e, "value(" + receiver + ")"));
            }
        } else if (term instanceof Term.MapLiteral m && isCollection(type, CollectionType.Kind.MAP)) {
            CollectionType ct = (CollectionType) type;
            for (Map.Entry<Term, Term> e : m.entries()) {
                parts.add(source(e.getKey(), ct.keyOrElement(), "key(" + receiver + ")"));
                parts.add(source(e.getValue(), ct.value(), "value(" + receiver + ")"));
            }
        } else if (term instanceof Term.TupleLiteral t && type instanceof TupleType tt) {
            if (t.elements().size() > tt.elements().size()) {
                throw CqlException.invalid("Invalid tuple literal for " + receiver + ": too many elements. Type "
                        + type.cql() + " expects " + tt.elements().size() + " but got " + t.elements().size());
            }
            for (int i = 0; i < t.elements().size(); i++) {
                parts.add(source(t.elements().get(i), tt.elements().get(i), receiver + "[" + i + "]"));
            }
        } else if (term instanceof Term.UdtLiteral u && type instanceof UserType ut) {
            for (String f : u.fields().keySet()) {
                if (!ut.fieldNames().contains(f)) {
                    throw CqlException.invalid("Unknown field '" + f + "' in value of user defined type " + ut.name());
                }
            }
            for (int i = 0; i < ut.fieldNames().size(); i++) {
                Term t = u.fields().get(ut.fieldNames().get(i));
                parts.add(t == null ? new ValueSource.Constant(null)
                        : source(t, ut.fieldTypes().get(i), receiver + "." + ut.fieldNames().get(i)));
            }
        } else {
            throw CqlException.invalid("Invalid " + literalName(term) + " literal for " + receiver + " of type " + type.cql());
        }
        boolean constant = parts.stream().allMatch(p -> p instanceof ValueSource.Constant);
        if (!constant) {
            return new ValueSource.Composite(type, parts);
        }
        List<byte[]> values = new ArrayList<>(parts.size());
        for (ValueSource p : parts) {
            values.add(((ValueSource.Constant) p).value());
        }
        return new ValueSource.Constant(ValueSource.Composite.build(type, values));
    }

    private ValueSource call(Term.FunctionCall f, DataType type, String receiver) {
        String fn = f.name().toLowerCase(Locale.ROOT);
        if (fn.equals("token")) {
            throw CqlException.invalid("The token function is only allowed in the WHERE clause restrictions on the "
                    + "partition key (token(...) op ...) and in the selection");
        }
        List<Functions.Scalar> overloads = Functions.overloads(fn);
        if (overloads.isEmpty()) {
            throw CqlException.invalid("Unknown function '" + f.name() + "'");
        }
        Functions.Scalar chosen = null;
        for (Functions.Scalar s : overloads) {
            if (s.argTypes().size() == f.args().size() && argsFit(s, f.args())) {
                chosen = s;
                break;
            }
        }
        if (chosen == null) {
            throw CqlException.invalid("Invalid call to function " + fn + ", none of its type signatures match");
        }
        if (!compatible(chosen.returnType(), type)) {
            throw CqlException.invalid("Type error: cannot assign result of function " + chosen.signature() + " (type "
                    + chosen.returnType().cql() + ") to " + receiver + " (type " + type.cql() + ")");
        }
        List<ValueSource> args = new ArrayList<>();
        for (int i = 0; i < f.args().size(); i++) {
            args.add(source(f.args().get(i), chosen.argTypes().get(i), chosen.name() + "(" + i + ")"));
        }
        if (chosen.pure() && args.stream().allMatch(a -> a instanceof ValueSource.Constant)) {
            List<byte[]> values = new ArrayList<>();
            for (ValueSource a : args) {
                values.add(((ValueSource.Constant) a).value());
            }
            return new ValueSource.Constant(chosen.call(values, null));
        }
        return new ValueSource.Call(chosen, args);
    }

    /**
     * {@code fromJson(text)}: a document that does not parse or does not fit the receiver fails the function
     * (FUNCTION_FAILURE), as in Cassandra.
     */
    private static byte[] fromJson(DataType type, byte[] text, String receiver) {
        String doc = new String(text, java.nio.charset.StandardCharsets.UTF_8);
        try {
            return JsonCodec.fromJson(type, JsonCodec.parse(doc), receiver);
        } catch (CqlException e) {
            String detail = e.getMessage().replaceFirst("^Error decoding JSON value for [^:]*: ", "");
            throw new CqlException.FunctionFailure("system", "fromjson", List.of("text"),
                    "execution of 'system.fromjson[text]' failed: " + detail);
        }
    }

    /**
     * {@code a op b}: operands typed by themselves where they can be (hints, functions, operations), else by
     * the receiver (a literal or marker next to a typed operand, or both when neither is typed).
     */
    private ValueSource operation(Term.Operation op, DataType type, String receiver) {
        DataType left = TermTypes.needsReceiver(op.left()) ? null : TermTypes.natural(op.left());
        DataType right = TermTypes.needsReceiver(op.right()) ? null : TermTypes.natural(op.right());
        if (right == null && op.right() instanceof Term.Literal l && l.kind() == Term.Literal.Kind.DURATION) {
            right = NativeType.DURATION;
        }
        if (left == null) {
            left = right != null && right != NativeType.DURATION ? Arithmetic.isNumeric(type) ? type : right : type;
        }
        if (right == null) {
            right = Arithmetic.isNumeric(left) && Arithmetic.isNumeric(type) ? type : left;
        }
        DataType result = Arithmetic.resultType(op.op(), left, right);
        if (result == null) {
            throw CqlException.invalid("the '" + op.op().symbol() + "' operation is not supported between "
                    + Labels.term(op.left()) + " and " + Labels.term(op.right()));
        }
        if (!compatible(result, type)) {
            throw CqlException.invalid("Type error: " + Labels.term(op) + " of type " + result.cql()
                    + " cannot be assigned to " + receiver + " of type " + type.cql());
        }
        ValueSource a = source(op.left(), left, receiver);
        ValueSource b = source(op.right(), right, receiver);
        DataType lt = left;
        DataType rt = right;
        Functions.Scalar fn = new Functions.Scalar("_" + op.op().name().toLowerCase(Locale.ROOT), List.of(left, right),
                result, true, (args, ctx) -> Arithmetic.apply(op.op(), lt, args.get(0), rt, args.get(1), result));
        if (a instanceof ValueSource.Constant ca && b instanceof ValueSource.Constant cb) {
            byte[] va = ca.value();
            byte[] vb = cb.value();
            return new ValueSource.Constant(va == null || vb == null ? null : fn.call(List.of(va, vb), null));
        }
        return new ValueSource.Call(fn, List.of(a, b));
    }

    /** Whether a written function argument can be typed as {@code want} (overload resolution). */
    static boolean literalFits(Term a, DataType want) {
        return argsFit(List.of(want), List.of(a));
    }

    /** Whether the written arguments can be typed as the overload's parameters (overload resolution). */
    private static boolean argsFit(Functions.Scalar s, List<Term> args) {
        return argsFit(s.argTypes(), args);
    }

    private static boolean argsFit(List<DataType> types, List<Term> args) {
        for (int i = 0; i < args.size(); i++) {
            Term a = args.get(i);
            DataType want = types.get(i);
            if (a instanceof Term.FunctionCall inner) {
                boolean any = false;
                for (Functions.Scalar o : Functions.overloads(inner.name())) {
                    if (o.argTypes().size() == inner.args().size() && compatible(o.returnType(), want) && argsFit(o, inner.args())) {
                        any = true;
                        break;
                    }
                }
                if (!any) {
                    return false;
                }
            } else if (a instanceof Term.Literal l && l.kind() != Term.Literal.Kind.NULL) {
                if (!(want instanceof NativeType nt)) {
                    return false;
                }
                try {
                    Literals.parse(nt, Literals.Kind.valueOf(l.kind().name()), l.text());
                } catch (RuntimeException e) {
                    return false;
                }
            } else if (a instanceof Term.Cast c) {
                if (!compatible(TermTypes.hinted(c.type()), want)) {
                    return false;
                }
            } else if (a instanceof Term.Operation op) {
                DataType natural = TermTypes.natural(op);
                if (natural != null && !compatible(natural, want)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether a value of type {@code from} may be written where {@code to} is expected (text and ascii share bytes). */
    static boolean compatible(DataType from, DataType to) {
        if (from == null) {
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        if (to == NativeType.TEXT && from == NativeType.ASCII) {
            return true;
        }
        if (to == NativeType.UUID && from == NativeType.TIMEUUID) {
            return true; // a timeuuid is a uuid (not the other way round)
        }
        if (to instanceof CollectionType a && from instanceof CollectionType b) {
            return a.kind() == b.kind() && a.keyOrElement().equals(b.keyOrElement()) && java.util.Objects.equals(a.value(), b.value());
        }
        if (to instanceof UserType a && from instanceof UserType b) {
            return a.keyspace().equals(b.keyspace()) && a.name().equals(b.name());
        }
        return false;
    }

    private static boolean isCollection(DataType t, CollectionType.Kind kind) {
        return t instanceof CollectionType ct && ct.kind() == kind;
    }

    private static String literalName(Term t) {
        if (t instanceof Term.ListLiteral) {
            return "list";
        }
        if (t instanceof Term.SetLiteral) {
            return "set";
        }
        if (t instanceof Term.MapLiteral) {
            return "map";
        }
        if (t instanceof Term.TupleLiteral) {
            return "tuple";
        }
        if (t instanceof Term.UdtLiteral) {
            return "user type";
        }
        return t.getClass().getSimpleName();
    }

}
