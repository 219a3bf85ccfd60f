package io.strata.cql.expr;

import io.strata.cql.ast.ArithmeticOperator;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.UserType;
import io.strata.cql.types.Values;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Murmur3;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A typed expression evaluated per result row: columns, {@code writetime}/{@code ttl}, {@code token},
 * functions, casts, arithmetic, UDT fields, collection elements and slices, constants. Built once by the
 * analyzer, evaluated by executors. Values are serialized; null is CQL null. Immutable, thread-safe.
 */
public sealed interface Expr {
    DataType type();

    byte[] eval(RowView r);

    record ColumnExpr(ColumnMetadata column) implements Expr {
        @Override
        public DataType type() {
            return column.type();
        }

        @Override
        public byte[] eval(RowView r) {
            return switch (column.kind()) {
                case PARTITION_KEY -> r.pk() == null ? null : r.pk().get(column.position());
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
            return r.partitionKey() == null ? null : Values.ofLong(Murmur3.token(r.partitionKey()));
        }
    }

    record Call(Functions.Scalar function, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

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
            return v == null ? null : Casts.cast((NativeType) inner.type(), target, v);
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
            return JsonCodec.toJson(inner.type(), inner.eval(r)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code udt.field}: one field of a UDT value (null when the UDT or the field is null). */
    record FieldExpr(Expr inner, int index, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            byte[] v = inner.eval(r);
            return v == null ? null : TypedValues.field((UserType) inner.type(), v, index);
        }
    }

    /** {@code map[key]} or {@code set[element]} (Cassandra 4.0): null when absent. */
    record ElementExpr(Expr inner, ValueSource key, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            byte[] v = inner.eval(r);
            byte[] k = key.resolve(r.bindings(), r.ctx());
            if (v == null || k == null || Bindings.isUnset(k)) {
                return null;
            }
            return TypedValues.element((CollectionType) inner.type(), v, k);
        }
    }

    /**
     * {@code map[from..to]} or {@code set[from..to]} (Cassandra 4.0): the entries whose key lies in the
     * inclusive range; an absent bound is open. Null when nothing is left, as an empty collection is null.
     */
    record SliceExpr(Expr inner, ValueSource from, ValueSource to) implements Expr {
        @Override
        public DataType type() {
            return inner.type();
        }

        @Override
        public byte[] eval(RowView r) {
            byte[] v = inner.eval(r);
            if (v == null) {
                return null;
            }
            CollectionType ct = (CollectionType) inner.type();
            byte[] lo = from == null ? null : from.resolve(r.bindings(), r.ctx());
            byte[] hi = to == null ? null : to.resolve(r.bindings(), r.ctx());
            if (Bindings.isUnset(lo)) {
                lo = null;
            }
            if (Bindings.isUnset(hi)) {
                hi = null;
            }
            Comparator<byte[]> order = TypedValues.comparator(ct.keyOrElement());
            boolean map = ct.kind() == CollectionType.Kind.MAP;
            List<byte[]> parts = CollectionCodec.elements(v, map);
            List<byte[]> kept = new ArrayList<>();
            Map<byte[], byte[]> keptMap = new LinkedHashMap<>();
            for (int i = 0; i < parts.size(); i += map ? 2 : 1) {
                byte[] key = parts.get(i);
                if (lo != null && order.compare(key, lo) < 0 || hi != null && order.compare(key, hi) > 0) {
                    continue;
                }
                if (map) {
                    keptMap.put(key, parts.get(i + 1));
                } else {
                    kept.add(key);
                }
            }
            if (map) {
                return keptMap.isEmpty() ? null : CollectionCodec.map(keptMap);
            }
            return kept.isEmpty() ? null : CollectionCodec.list(kept);
        }
    }

    /** {@code a + b}, {@code a - b}, {@code a * b}, {@code a / b}, {@code a % b}: see {@link Arithmetic}. */
    record Operation(ArithmeticOperator op, Expr left, Expr right, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            byte[] a = left.eval(r);
            byte[] b = right.eval(r);
            if (a == null || b == null) {
                return null;
            }
            return Arithmetic.apply(op, left.type(), a, right.type(), b, type);
        }
    }

    /** The result of aggregate call {@code slot} of the row's group (see {@link RowView#aggregates()}). */
    record AggregateRef(int slot, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            return r.aggregates()[slot];
        }
    }

    /** {@code -(x)} on a number. */
    record Negation(Expr inner) implements Expr {
        @Override
        public DataType type() {
            return inner.type();
        }

        @Override
        public byte[] eval(RowView r) {
            byte[] v = inner.eval(r);
            return v == null ? null : Arithmetic.negate(inner.type(), v);
        }
    }

    /** A term: a constant, a bound value, or a function of those, the same for every row. */
    record Constant(ValueSource source, DataType type) implements Expr {
        @Override
        public byte[] eval(RowView r) {
            byte[] v = source.resolve(r.bindings(), r.ctx());
            if (Bindings.isUnset(v)) {
                throw CqlException.invalid("Invalid unset value in the selection");
            }
            return v;
        }
    }
}
