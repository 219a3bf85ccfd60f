package io.strata.cql.exec;

import io.strata.cql.ast.Selector;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.DataType;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.Values;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Murmur3;
import io.strata.storage.spi.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The expressions of a SELECT list on a stored table: columns, {@code writetime(c)}, {@code ttl(c)},
 * {@code token(pk...)}, native scalar functions, {@code CAST(x AS type)} and constants. Analysed once,
 * evaluated per result row. Immutable, thread-safe.
 */
final class Selection {
    private Selection() {}

    /** What a row's expressions are evaluated against. */
    record RowView(byte[] partitionKey, List<byte[]> pk, List<byte[]> ck, Row staticRow, Row row, Bindings bindings,
            ExecutionContext ctx) {}

    /** One expression with its result type. */
    sealed interface Expr {
        DataType type();

        byte[] eval(RowView r);
    }

    record ColumnExpr(ColumnMetadata column) implements Expr {
        @Override
        public DataType type() {
            return column.type();
        }

        @Override
        public byte[] eval(RowView r) {
            return switch (column.kind()) {
                case PARTITION_KEY -> r.pk().get(column.position());
                case CLUSTERING -> r.ck() == null || column.position() >= r.ck().size() ? null : r.ck().get(column.position());
                case STATIC -> Cells.value(r.staticRow(), column.name(), column.type());
                case REGULAR -> Cells.value(r.row(), column.name(), column.type());
            };
        }
    }

    /** writetime(c) (micros, bigint) or ttl(c) (remaining seconds, int): null when the cell has none. */
    record CellMeta(ColumnMetadata column, boolean writetime) implements Expr {
        @Override
        public DataType type() {
            return writetime ? NativeType.BIGINT : NativeType.INT;
        }

        @Override
        public byte[] eval(RowView r) {
            Cell c = Cells.simple(column.isStatic() ? r.staticRow() : r.row(), column.name());
            if (c == null) {
                return null;
            }
            if (writetime) {
                return Values.ofLong(c.timestamp());
            }
            if (!c.isExpiring()) {
                return null;
            }
            return Values.ofInt(Math.max(0, c.localDeletionTime() - r.ctx().nowInSeconds()));
        }
    }

    /** token(pk...): the Murmur3 token of the partition key. */
    record TokenExpr() implements Expr {
        @Override
        public DataType type() {
            return NativeType.BIGINT;
        }

        @Override
        public byte[] eval(RowView r) {
            return Values.ofLong(Murmur3.token(r.partitionKey()));
        }
    }

    record Call(Functions.Scalar function, List<Expr> args) implements Expr {
        @Override
        public DataType type() {
            return function.returnType();
        }

        @Override
        public byte[] eval(RowView r) {
            List<byte[]> values = new ArrayList<>(args.size());
            for (Expr a : args) {
                values.add(a.eval(r));
            }
            return function.call(values, r.ctx());
        }
    }

    record CastExpr(Expr inner, NativeType target) implements Expr {
        @Override
        public DataType type() {
            return target;
        }

        @Override
        public byte[] eval(RowView r) {
            byte[] v = inner.eval(r);
            return v == null ? null : cast((NativeType) inner.type(), target, v);
        }
    }

    /** {@code toJson(x)}: the JSON text of any value (text; "null" for null, as in Cassandra). */
    record ToJsonExpr(Expr inner) implements Expr {
        @Override
        public DataType type() {
            return NativeType.TEXT;
        }

        @Override
        public byte[] eval(RowView r) {
            return JsonCodec.toJson(inner.type(), inner.eval(r)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** {@code udt.field}: one field of a UDT value (null when the UDT or the field is null). */
    record FieldExpr(Expr inner, int index, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            byte[] v = inner.eval(r);
            if (v == null) {
                return null;
            }
            return io.strata.cql.types.TypedValues.field((io.strata.cql.types.UserType) inner.type(), v, index);
        }
    }

    /** {@code map[key]}, {@code list[index]} or {@code set[element]} (Cassandra 4.0): null when absent. */
    record ElementExpr(Expr inner, ValueSource key, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            byte[] v = inner.eval(r);
            byte[] k = key.resolve(r.bindings(), r.ctx());
            if (v == null || k == null || Bindings.isUnset(k)) {
                return null;
            }
            return io.strata.cql.types.TypedValues.element((CollectionType) inner.type(), v, k);
        }
    }

    /** The type of an aggregate output; its value comes from {@link Aggregation}, never from this. */
    record AggregateResult(DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            throw new IllegalStateException("aggregate results are computed by Aggregation");
        }
    }

    record Constant(ValueSource source, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            return source.resolve(r.bindings(), r.ctx());
        }
    }

    /** Analyses one selector; {@code fetched} collects the stored columns it reads. */
    static Expr analyze(Selector s, TableMetadata t, Variables vars, Set<String> fetched) {
        if (s instanceof Selector.ColumnRef ref) {
            ColumnMetadata c = ModificationPlan.column(t, ref.name());
            if (!c.isPrimaryKey()) {
                fetched.add(c.name());
            }
            return new ColumnExpr(c);
        }
        if (s instanceof Selector.Cast cast) {
            Expr inner = analyze(cast.selector(), t, vars, fetched);
            NativeType target = cast.type() instanceof TypeRef.Native n ? NativeType.byName(n.name()) : null;
            if (target == null || !(inner.type() instanceof NativeType from) || !castable(from, target)) {
                throw CqlException.invalid("Cannot cast " + describe(cast.selector()) + " of type " + inner.type().cql()
                        + " to " + cast.type());
            }
            return new CastExpr(inner, target);
        }
        if (s instanceof Selector.TermSelector term) {
            throw CqlException.invalid("Terms in the selection are not supported yet: " + term.term());
        }
        if (s instanceof Selector.FieldAccess fa) {
            Expr inner = analyze(fa.selector(), t, vars, fetched);
            if (!(inner.type() instanceof io.strata.cql.types.UserType ut)) {
                throw CqlException.invalid("Invalid field selection: " + describe(fa.selector()) + " of type "
                        + inner.type().cql() + " is not a user type");
            }
            int idx = ut.fieldNames().indexOf(fa.field());
            if (idx < 0) {
                throw CqlException.invalid(ut.name() + " has no field " + fa.field());
            }
            return new FieldExpr(inner, idx, ut.fieldTypes().get(idx));
        }
        if (s instanceof Selector.ElementAccess ea) {
            Expr inner = analyze(ea.selector(), t, vars, fetched);
            if (!(inner.type() instanceof CollectionType ct)) {
                throw CqlException.invalid("Element selection is only allowed on sets, lists and maps, but "
                        + describe(ea.selector()) + " is a " + inner.type().cql());
            }
            DataType keyType = ct.kind() == CollectionType.Kind.LIST ? NativeType.INT : ct.keyOrElement();
            DataType resultType = ct.kind() == CollectionType.Kind.MAP ? ct.value() : ct.keyOrElement();
            return new ElementExpr(inner, vars.source(ea.key(), keyType, describe(s)), resultType);
        }
        if (!(s instanceof Selector.FunctionCall f)) {
            throw CqlException.invalid("This selector is not supported yet: " + s);
        }
        String name = f.name().toLowerCase(Locale.ROOT);
        if (name.equals("tojson")) {
            if (f.args().size() != 1) {
                throw CqlException.invalid("toJson() takes exactly one argument");
            }
            return new ToJsonExpr(analyze(f.args().get(0), t, vars, fetched));
        }
        switch (name) {
            case "writetime", "ttl" -> {
                if (f.args().size() != 1 || !(f.args().get(0) instanceof Selector.ColumnRef ref)) {
                    throw CqlException.invalid(name + " takes exactly one column argument");
                }
                ColumnMetadata c = ModificationPlan.column(t, ref.name());
                if (c.isPrimaryKey()) {
                    throw CqlException.invalid("Cannot use selection function " + (name.equals("ttl") ? "ttl" : "writeTime")
                            + " on PRIMARY KEY part " + c.name());
                }
                if (!c.type().isFrozen()) {
                    throw CqlException.invalid("Cannot use selection function " + (name.equals("ttl") ? "ttl" : "writeTime")
                            + " on non-frozen " + (c.type() instanceof io.strata.cql.types.UserType ? "UDT" : "collection")
                            + " " + c.name());
                }
                if (c.type() == NativeType.COUNTER) {
                    throw CqlException.invalid("Cannot use selection function " + name + " on counter column " + c.name());
                }
                fetched.add(c.name());
                return new CellMeta(c, name.equals("writetime"));
            }
            case "token" -> {
                List<String> pk = t.partitionKey().stream().map(ColumnMetadata::name).toList();
                List<String> args = new ArrayList<>();
                for (Selector a : f.args()) {
                    args.add(a instanceof Selector.ColumnRef ref ? ref.name() : "?");
                }
                if (!args.equals(pk)) {
                    throw CqlException.invalid("Invalid call to function token: its arguments must be the partition key "
                            + "columns in order (" + String.join(", ", pk) + ")");
                }
                return new TokenExpr();
            }
            case "count", "min", "max", "sum", "avg" -> throw CqlException.invalid("Aggregate function " + name
                    + " is not supported yet");
            case "tojson", "fromjson" -> throw CqlException.invalid("Function " + name + " is not supported yet");
            default -> {
                List<Expr> args = new ArrayList<>();
                List<DataType> types = new ArrayList<>();
                for (Selector a : f.args()) {
                    Expr e = analyze(a, t, vars, fetched);
                    args.add(e);
                    types.add(e.type());
                }
                return new Call(Functions.resolve(name, types), args);
            }
        }
    }

    /** The column label Cassandra gives a selector without an alias. */
    static String describe(Selector s) {
        if (s instanceof Selector.ColumnRef ref) {
            return ref.name();
        }
        if (s instanceof Selector.Cast c) {
            return "cast(" + describe(c.selector()) + " as " + typeName(c.type()) + ")";
        }
        if (s instanceof Selector.FieldAccess fa) {
            return describe(fa.selector()) + "." + fa.field();
        }
        if (s instanceof Selector.ElementAccess ea) {
            String key = ea.key() instanceof io.strata.cql.ast.Term.Literal l
                    ? (l.kind() == io.strata.cql.ast.Term.Literal.Kind.STRING ? "'" + l.text().replace("'", "''") + "'" : l.text())
                    : "?";
            return describe(ea.selector()) + "[" + key + "]";
        }
        if (s instanceof Selector.FunctionCall f) {
            String name = f.name().toLowerCase(Locale.ROOT);
            List<String> args = f.args().stream().map(Selection::describe).toList();
            String prefix = name.equals("writetime") || name.equals("ttl") ? "" : "system.";
            return prefix + name + "(" + String.join(", ", args) + ")";
        }
        return s.toString();
    }

    private static String typeName(TypeRef t) {
        return t instanceof TypeRef.Native n ? n.name().toLowerCase(Locale.ROOT) : t.toString();
    }

    private static boolean isNumeric(NativeType t) {
        return switch (t) {
            case TINYINT, SMALLINT, INT, BIGINT, COUNTER, VARINT, FLOAT, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    static boolean castable(NativeType from, NativeType to) {
        if (from == to || to == NativeType.TEXT || to == NativeType.ASCII) {
            return true;
        }
        if (isNumeric(from) && isNumeric(to) && to != NativeType.COUNTER) {
            return true;
        }
        return switch (to) {
            case TIMESTAMP -> from == NativeType.DATE || from == NativeType.TIMEUUID;
            case DATE -> from == NativeType.TIMESTAMP || from == NativeType.TIMEUUID;
            default -> false;
        };
    }

    static byte[] cast(NativeType from, NativeType to, byte[] v) {
        if (from == to) {
            return v;
        }
        if (to == NativeType.TEXT || to == NativeType.ASCII) {
            String text = from == NativeType.TEXT || from == NativeType.ASCII ? new String(v, StandardCharsets.UTF_8)
                    : stripQuotes(TypedValues.toCql(from, v));
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (to == NativeType.TIMESTAMP || to == NativeType.DATE) {
            String fn = to == NativeType.TIMESTAMP ? "totimestamp" : "todate";
            return Functions.resolve(fn, List.of(from)).call(List.of(v), null);
        }
        BigDecimal n = switch (from) {
            case TINYINT -> BigDecimal.valueOf(v[0]);
            case SMALLINT -> BigDecimal.valueOf(ByteBuffer.wrap(v).getShort());
            case INT -> BigDecimal.valueOf(ByteBuffer.wrap(v).getInt());
            case BIGINT, COUNTER -> BigDecimal.valueOf(ByteBuffer.wrap(v).getLong());
            case VARINT -> new BigDecimal(new BigInteger(v));
            case FLOAT -> new BigDecimal(Float.toString(ByteBuffer.wrap(v).getFloat()));
            case DOUBLE -> new BigDecimal(Double.toString(ByteBuffer.wrap(v).getDouble()));
            case DECIMAL -> Values.decimal(v);
            default -> throw CqlException.invalid("Cannot cast " + from.cql() + " to " + to.cql());
        };
        return switch (to) {
            case TINYINT -> new byte[] {n.byteValue()};
            case SMALLINT -> ByteBuffer.allocate(2).putShort(n.shortValue()).array();
            case INT -> Values.ofInt(n.intValue());
            case BIGINT -> Values.ofLong(n.longValue());
            case VARINT -> n.toBigInteger().toByteArray();
            case FLOAT -> ByteBuffer.allocate(4).putFloat(n.floatValue()).array();
            case DOUBLE -> ByteBuffer.allocate(8).putDouble(n.doubleValue()).array();
            case DECIMAL -> Values.decimal(n);
            default -> throw CqlException.invalid("Cannot cast " + from.cql() + " to " + to.cql());
        };
    }

    private static String stripQuotes(String s) {
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }
}
