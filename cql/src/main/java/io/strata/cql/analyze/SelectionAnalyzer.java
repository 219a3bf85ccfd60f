package io.strata.cql.analyze;

import io.strata.cql.ast.Selector;
import io.strata.cql.ast.Term;
import io.strata.cql.expr.Arithmetic;
import io.strata.cql.expr.Casts;
import io.strata.cql.expr.Expr;
import io.strata.cql.expr.Functions;
import io.strata.cql.plan.Aggregation;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the selectors of a SELECT on a stored table into typed {@link Expr}s: columns, {@code writetime},
 * {@code ttl}, {@code token}, native functions (with column or term arguments), casts, arithmetic, UDT
 * fields, map and set elements and slices, type-hinted terms, and aggregates (collected as calls the
 * aggregation computes per group). Records the stored columns the read must fetch. One instance per
 * analysis; not thread-safe.
 */
final class SelectionAnalyzer {
    static final Set<String> AGGREGATES = Set.of("count", "min", "max", "sum", "avg");

    private final TableMetadata table;
    private final Variables vars;
    private final Set<String> fetched;
    /** The aggregate calls found so far, or null when aggregates are not allowed. */
    private final List<Aggregation.Item> aggregates;
    private boolean insideAggregate;

    SelectionAnalyzer(TableMetadata table, Variables vars, Set<String> fetched, List<Aggregation.Item> aggregates) {
        this.table = table;
        this.vars = vars;
        this.fetched = fetched;
        this.aggregates = aggregates;
    }

    /** Whether a selector calls an aggregate function anywhere. */
    static boolean hasAggregate(Selector s) {
        if (s instanceof Selector.FunctionCall f) {
            return AGGREGATES.contains(f.name().toLowerCase(Locale.ROOT)) || f.args().stream().anyMatch(SelectionAnalyzer::hasAggregate);
        }
        if (s instanceof Selector.Operation op) {
            return hasAggregate(op.left()) || hasAggregate(op.right());
        }
        if (s instanceof Selector.Parenthesized p) {
            return hasAggregate(p.selector());
        }
        if (s instanceof Selector.Negation n) {
            return hasAggregate(n.selector());
        }
        if (s instanceof Selector.Cast c) {
            return hasAggregate(c.selector());
        }
        if (s instanceof Selector.FieldAccess fa) {
            return hasAggregate(fa.selector());
        }
        if (s instanceof Selector.ElementAccess ea) {
            return hasAggregate(ea.selector());
        }
        if (s instanceof Selector.SliceAccess sa) {
            return hasAggregate(sa.selector());
        }
        return false;
    }

    /** A top-level selector: a parenthesized non-arithmetic selector is a term Cassandra cannot type. */
    Expr top(Selector s) {
        if (s instanceof Selector.Parenthesized p && !(p.selector() instanceof Selector.Operation)
                && !(p.selector() instanceof Selector.Negation)) {
            throw cannotInfer(Labels.of(s));
        }
        return analyze(s);
    }

    private static CqlException cannotInfer(String text) {
        return CqlException.invalid("Cannot infer type for term " + text + " in selection clause (try using a cast to "
                + "force a type)");
    }

    Expr analyze(Selector s) {
        if (s instanceof Selector.ColumnRef ref) {
            ColumnMetadata c = Analysis.column(table, ref.name());
            if (!c.isPrimaryKey()) {
                fetched.add(c.name());
            }
            return new Expr.ColumnExpr(c);
        }
        if (s instanceof Selector.Cast cast) {
            Expr inner = analyze(cast.selector());
            NativeType target = cast.type() instanceof io.strata.cql.ast.TypeRef.Native n ? NativeType.byName(n.name()) : null;
            if (target == null || !(inner.type() instanceof NativeType from) || !Casts.castable(from, target)) {
                throw CqlException.invalid("Invalid call to function system.cast_as_" + Labels.type(cast.type())
                        + ", none of its type signatures match");
            }
            return new Expr.CastExpr(inner, target);
        }
        if (s instanceof Selector.TermSelector ts) {
            return term(ts.term(), Labels.of(s));
        }
        if (s instanceof Selector.Parenthesized p) {
            return analyze(p.selector());
        }
        if (s instanceof Selector.Negation n) {
            Expr inner = analyze(n.selector());
            if (!Arithmetic.isNumeric(inner.type())) {
                throw CqlException.invalid("the '-' operation is not supported on " + Labels.of(n.selector()) + " of type "
                        + inner.type().cql());
            }
            return new Expr.Negation(inner);
        }
        if (s instanceof Selector.Operation op) {
            return operation(op);
        }
        if (s instanceof Selector.FieldAccess fa) {
            Expr inner = analyze(fa.selector());
            if (!(inner.type() instanceof UserType ut)) {
                throw CqlException.invalid("Invalid field selection: " + Labels.of(fa.selector()) + " of type "
                        + inner.type().cql() + " is not a user type");
            }
            int idx = ut.fieldNames().indexOf(fa.field());
            if (idx < 0) {
                throw CqlException.invalid(ut.name() + " has no field " + fa.field());
            }
            return new Expr.FieldExpr(inner, idx, ut.fieldTypes().get(idx));
        }
        if (s instanceof Selector.ElementAccess ea) {
            Expr inner = analyze(ea.selector());
            CollectionType ct = setOrMap(inner, ea.selector(), "Element");
            DataType resultType = ct.kind() == CollectionType.Kind.MAP ? ct.value() : ct.keyOrElement();
            return new Expr.ElementExpr(inner, vars.source(ea.key(), ct.keyOrElement(), Labels.of(s)), resultType);
        }
        if (s instanceof Selector.SliceAccess sa) {
            Expr inner = analyze(sa.selector());
            CollectionType ct = setOrMap(inner, sa.selector(), "Slice");
            return new Expr.SliceExpr(inner, sa.from() == null ? null : vars.source(sa.from(), ct.keyOrElement(), Labels.of(s)),
                    sa.to() == null ? null : vars.source(sa.to(), ct.keyOrElement(), Labels.of(s)));
        }
        if (s instanceof Selector.FunctionCall f) {
            return function(f);
        }
        throw CqlException.invalid("This selector is not supported here: " + Labels.of(s));
    }

    private static CollectionType setOrMap(Expr inner, Selector of, String what) {
        if (!(inner.type() instanceof CollectionType ct) || ct.kind() == CollectionType.Kind.LIST) {
            throw CqlException.invalid(what + " selection is only allowed on sets and maps, but " + Labels.of(of) + " is a "
                    + (inner.type() instanceof CollectionType ? "list" : inner.type().cql()));
        }
        return ct;
    }

    /** A term in the selection: typed by its hint or, for arithmetic on literals, by the literals. */
    private Expr term(Term t, String label) {
        DataType type = TermTypes.needsReceiver(t) ? null : TermTypes.natural(t);
        if (type == null) {
            throw cannotInfer(label);
        }
        return new Expr.Constant(vars.source(t, type, label), type);
    }

    private Expr operation(Selector.Operation op) {
        Expr left = operand(op.left());
        Expr right = operand(op.right());
        DataType type = Arithmetic.resultType(op.op(), left.type(), right.type());
        if (type == null) {
            throw CqlException.invalid("the '" + op.op().symbol() + "' operation is not supported between "
                    + Labels.of(op.left()) + " and " + Labels.of(op.right()));
        }
        return new Expr.Operation(op.op(), left, right, type);
    }

    /** An operand: a bare literal takes its natural type ({@code 1} int, {@code 1.5} double, {@code 'a'} text). */
    private Expr operand(Selector s) {
        if (s instanceof Selector.TermSelector ts) {
            DataType type = TermTypes.natural(ts.term());
            if (type == null) {
                throw cannotInfer(Labels.of(s));
            }
            return new Expr.Constant(vars.source(ts.term(), type, Labels.of(s)), type);
        }
        return analyze(s);
    }

    private Expr function(Selector.FunctionCall f) {
        String name = f.name().toLowerCase(Locale.ROOT);
        if (AGGREGATES.contains(name)) {
            return aggregate(f, name);
        }
        switch (name) {
            case "tojson" -> {
                if (f.args().size() != 1) {
                    throw CqlException.invalid("toJson() takes exactly one argument");
                }
                return new Expr.ToJsonExpr(analyze(f.args().get(0)));
            }
            case "writetime", "ttl" -> {
                if (f.args().size() != 1 || !(f.args().get(0) instanceof Selector.ColumnRef ref)) {
                    throw CqlException.invalid(name + " takes exactly one column argument");
                }
                ColumnMetadata c = Analysis.column(table, ref.name());
                String fn = name.equals("ttl") ? "ttl" : "writeTime";
                if (c.isPrimaryKey()) {
                    throw CqlException.invalid("Cannot use selection function " + fn + " on PRIMARY KEY part " + c.name());
                }
                if (!c.type().isFrozen()) {
                    throw CqlException.invalid("Cannot use selection function " + fn + " on non-frozen "
                            + (c.type() instanceof UserType ? "UDT" : "collection") + " " + c.name());
                }
                if (c.type() == NativeType.COUNTER) {
                    throw CqlException.invalid("Cannot use selection function " + name + " on counter column " + c.name());
                }
                fetched.add(c.name());
                return new Expr.CellMeta(c, name.equals("writetime"));
            }
            case "token" -> {
                List<String> pk = table.partitionKey().stream().map(ColumnMetadata::name).toList();
                List<String> args = new ArrayList<>();
                for (Selector a : f.args()) {
                    args.add(a instanceof Selector.ColumnRef ref ? ref.name() : "?");
                }
                if (!args.equals(pk)) {
                    throw CqlException.invalid("Invalid call to function token: its arguments must be the partition key "
                            + "columns in order (" + String.join(", ", pk) + ")");
                }
                return new Expr.TokenExpr();
            }
            case "fromjson" -> throw CqlException.invalid("fromJson() cannot be used in the selection clause of a SELECT "
                    + "statement");
            default -> {
                return scalar(f, name);
            }
        }
    }

    /** A native scalar function: column arguments fix their types; term arguments take the overload's. */
    private Expr scalar(Selector.FunctionCall f, String name) {
        List<Functions.Scalar> overloads = Functions.overloads(name);
        if (overloads.isEmpty()) {
            throw CqlException.invalid("Unknown function '" + f.name() + "'");
        }
        List<Expr> fixed = new ArrayList<>();
        for (Selector a : f.args()) {
            fixed.add(a instanceof Selector.TermSelector ts && TermTypes.needsReceiver(ts.term()) ? null : operandOrNull(a));
        }
        Functions.Scalar chosen = null;
        for (Functions.Scalar s : overloads) {
            if (s.argTypes().size() == f.args().size() && fits(s, f.args(), fixed)) {
                chosen = s;
                break;
            }
        }
        if (chosen == null) {
            throw CqlException.invalid("Invalid call to function " + name + ", none of its type signatures match");
        }
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < f.args().size(); i++) {
            if (fixed.get(i) != null) {
                args.add(fixed.get(i));
            } else {
                Term t = ((Selector.TermSelector) f.args().get(i)).term();
                DataType want = chosen.argTypes().get(i);
                args.add(new Expr.Constant(vars.source(t, want, chosen.name() + "(" + i + ")"), want));
            }
        }
        return new Expr.Call(chosen, args);
    }

    private Expr operandOrNull(Selector s) {
        return s instanceof Selector.TermSelector ts ? operand(ts) : analyze(s);
    }

    private static boolean fits(Functions.Scalar s, List<Selector> args, List<Expr> fixed) {
        for (int i = 0; i < args.size(); i++) {
            DataType want = s.argTypes().get(i);
            if (fixed.get(i) != null) {
                // As Cassandra: every type's bytes are a valid blob, so blob parameters take any argument.
                if (want != NativeType.BLOB && !Variables.compatible(fixed.get(i).type(), want)) {
                    return false;
                }
            } else if (!Variables.literalFits(((Selector.TermSelector) args.get(i)).term(), want)) {
                return false;
            }
        }
        return true;
    }

    private Expr aggregate(Selector.FunctionCall f, String name) {
        if (aggregates == null) {
            throw CqlException.invalid("Aggregate function " + name + " is not allowed here");
        }
        if (insideAggregate) {
            throw CqlException.invalid("Aggregate functions cannot be used as arguments of aggregate functions");
        }
        if (f.args().size() != 1) {
            throw CqlException.invalid("Invalid number of arguments in call to function " + name + ": 1 required but "
                    + f.args().size() + " provided");
        }
        Selector argSel = f.args().get(0);
        if (argSel instanceof Selector.Star || name.equals("count") && Labels.isStar(argSel)) {
            if (!name.equals("count")) {
                throw CqlException.invalid("Only count(*) accepts * as its argument");
            }
            return register(new Aggregation.Item(Aggregation.Kind.COUNT_ROWS, null, NativeType.BIGINT));
        }
        insideAggregate = true;
        Expr arg;
        try {
            arg = analyze(argSel);
        } finally {
            insideAggregate = false;
        }
        Aggregation.Kind kind = Aggregation.Kind.valueOf(name.toUpperCase(Locale.ROOT));
        if ((kind == Aggregation.Kind.SUM || kind == Aggregation.Kind.AVG) && !Arithmetic.isNumeric(arg.type())) {
            throw CqlException.invalid("Invalid call to function " + name + ": argument of type " + arg.type().cql()
                    + " is not numeric");
        }
        if ((kind == Aggregation.Kind.MIN || kind == Aggregation.Kind.MAX) && arg.type() == NativeType.DURATION) {
            throw CqlException.invalid("Invalid call to function " + name + ": duration values cannot be ordered");
        }
        // As Cassandra: count is a bigint; the other aggregates keep their argument's type, counters included.
        DataType type = kind == Aggregation.Kind.COUNT ? NativeType.BIGINT : arg.type();
        return register(new Aggregation.Item(kind, arg, type));
    }

    private Expr register(Aggregation.Item item) {
        aggregates.add(item);
        return new Expr.AggregateRef(aggregates.size() - 1, item.type());
    }
}
