package io.strata.cql.exec;

import io.strata.cql.ast.Select;
import io.strata.cql.ast.SelectItem;
import io.strata.cql.ast.Selector;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Aggregates of a SELECT ({@code count(*)}, {@code count(x)}, {@code min}, {@code max}, {@code sum},
 * {@code avg}) and {@code GROUP BY} on a primary-key prefix. Rows arrive in primary-key order, so a group
 * ends when its key changes. Plain selectors next to aggregates take the group's first row, as in
 * Cassandra. Without GROUP BY there is exactly one result row, even over no rows (count 0, sum 0, min
 * null). The plan is immutable; an {@link Aggregator} is one execution's state and not thread-safe.
 */
final class Aggregation {
    enum Kind { COUNT_ROWS, COUNT, MIN, MAX, SUM, AVG, FIRST }

    record Item(Kind kind, Selection.Expr arg, DataType type) {}

    private static final Set<String> AGGREGATES = Set.of("count", "min", "max", "sum", "avg");

    private final List<Item> items;
    private final List<ColumnMetadata> groupBy;

    private Aggregation(List<Item> items, List<ColumnMetadata> groupBy) {
        this.items = List.copyOf(items);
        this.groupBy = List.copyOf(groupBy);
    }

    static boolean isAggregate(List<SelectItem> selection) {
        for (SelectItem item : selection) {
            if (item.selector() instanceof Selector.FunctionCall f && AGGREGATES.contains(f.name().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    static String label(Selector s) {
        if (s instanceof Selector.FunctionCall f && f.name().equalsIgnoreCase("count") && f.args().size() == 1
                && isStar(f.args().get(0))) {
            return "count";
        }
        return Selection.describe(s);
    }

    /** {@code *}, or the literal 1 that Cassandra's grammar reads as {@code *} in {@code count(1)}. */
    private static boolean isStar(Selector arg) {
        return arg instanceof Selector.Star || arg instanceof Selector.TermSelector ts
                && ts.term() instanceof io.strata.cql.ast.Term.Literal l
                && l.kind() == io.strata.cql.ast.Term.Literal.Kind.INTEGER && l.text().equals("1");
    }

    static Aggregation analyze(Select s, TableMetadata t, Variables vars, Set<String> fetched) {
        List<ColumnMetadata> groupBy = new ArrayList<>();
        List<ColumnMetadata> pkOrder = new ArrayList<>(t.partitionKey());
        pkOrder.addAll(t.clustering());
        // As in Cassandra, primary key columns restricted by equality may be left out of GROUP BY: they are
        // constant, so they join the grouping without changing it.
        Set<String> fixed = new java.util.HashSet<>();
        for (io.strata.cql.ast.Relation r : s.where()) {
            if (r instanceof io.strata.cql.ast.Relation.SingleColumn sc && sc.op() == io.strata.cql.ast.Relation.Operator.EQ) {
                fixed.add(sc.column());
            }
        }
        int next = 0;
        for (int i = 0; i < s.groupBy().size(); i++) {
            ColumnMetadata c = ModificationPlan.column(t, s.groupBy().get(i));
            if (!c.isPrimaryKey()) {
                throw CqlException.invalid("Group by is currently only supported on the columns of the PRIMARY KEY, got " + c.name());
            }
            while (next < pkOrder.size() && !pkOrder.get(next).equals(c) && fixed.contains(pkOrder.get(next).name())) {
                groupBy.add(pkOrder.get(next++));
            }
            if (next >= pkOrder.size() || !pkOrder.get(next).equals(c)) {
                throw CqlException.invalid("Group by currently only support groups of columns following their declared order "
                        + "in the PRIMARY KEY");
            }
            groupBy.add(c);
            next++;
        }
        if (!groupBy.isEmpty() && groupBy.size() < t.partitionKey().size()) {
            throw CqlException.invalid("Group by currently only support groups of columns following their declared order "
                    + "in the PRIMARY KEY");
        }
        List<Item> items = new ArrayList<>();
        for (SelectItem item : s.selection()) {
            Selector sel = item.selector();
            if (sel instanceof Selector.FunctionCall f && AGGREGATES.contains(f.name().toLowerCase(Locale.ROOT))) {
                String name = f.name().toLowerCase(Locale.ROOT);
                if (f.args().size() != 1) {
                    throw CqlException.invalid("Invalid number of arguments in call to function " + name + ": 1 required but "
                            + f.args().size() + " provided");
                }
                if (f.args().get(0) instanceof Selector.Star || name.equals("count") && isStar(f.args().get(0))) {
                    if (!name.equals("count")) {
                        throw CqlException.invalid("Only count(*) accepts * as its argument");
                    }
                    items.add(new Item(Kind.COUNT_ROWS, null, NativeType.BIGINT));
                    continue;
                }
                Selection.Expr arg = Selection.analyze(f.args().get(0), t, vars, fetched);
                Kind kind = Kind.valueOf(name.toUpperCase(Locale.ROOT));
                if ((kind == Kind.SUM || kind == Kind.AVG) && !isNumeric(arg.type())) {
                    throw CqlException.invalid("Invalid call to function " + name + ": argument of type " + arg.type().cql()
                            + " is not numeric");
                }
                if ((kind == Kind.MIN || kind == Kind.MAX) && arg.type() == NativeType.DURATION) {
                    throw CqlException.invalid("Invalid call to function " + name + ": duration values cannot be ordered");
                }
                DataType type = kind == Kind.COUNT ? NativeType.BIGINT : arg.type() == NativeType.COUNTER ? NativeType.BIGINT
                        : arg.type();
                items.add(new Item(kind, arg, type));
            } else {
                Selection.Expr e = Selection.analyze(sel, t, vars, fetched);
                items.add(new Item(Kind.FIRST, e, e.type()));
            }
        }
        return new Aggregation(items, groupBy);
    }

    private static boolean isNumeric(DataType t) {
        return t == NativeType.TINYINT || t == NativeType.SMALLINT || t == NativeType.INT || t == NativeType.BIGINT
                || t == NativeType.COUNTER || t == NativeType.VARINT || t == NativeType.FLOAT || t == NativeType.DOUBLE
                || t == NativeType.DECIMAL;
    }

    Selection.Expr typeOf(int i) {
        return new Selection.AggregateResult(items.get(i).type());
    }

    boolean grouped() {
        return !groupBy.isEmpty();
    }

    Aggregator start() {
        return new Aggregator();
    }

    /** One execution's running groups. */
    final class Aggregator {
        private final List<List<ByteBuffer>> results = new ArrayList<>();
        private byte[][] groupKey;
        private State[] states;
        private boolean sawRow;

        void add(Selection.RowView row) {
            byte[][] key = new byte[groupBy.size()][];
            for (int i = 0; i < key.length; i++) {
                key[i] = new Selection.ColumnExpr(groupBy.get(i)).eval(row);
            }
            if (states == null || !Arrays.deepEquals(key, groupKey)) {
                flush();
                groupKey = key;
                states = new State[items.size()];
                for (int i = 0; i < states.length; i++) {
                    states[i] = new State(items.get(i));
                }
            }
            sawRow = true;
            for (State s : states) {
                s.add(row);
            }
        }

        private void flush() {
            if (states == null) {
                return;
            }
            List<ByteBuffer> out = new ArrayList<>(states.length);
            for (State s : states) {
                byte[] v = s.result();
                out.add(v == null ? null : ByteBuffer.wrap(v));
            }
            results.add(out);
            states = null;
        }

        /** The result rows; without GROUP BY, one row even when no row was read. */
        List<List<ByteBuffer>> finish() {
            if (!sawRow && groupBy.isEmpty()) {
                states = new State[items.size()];
                for (int i = 0; i < states.length; i++) {
                    states[i] = new State(items.get(i));
                }
            }
            flush();
            return results;
        }
    }

    /** The accumulator of one item in one group. */
    private static final class State {
        private final Item item;
        private long count;
        private byte[] value;
        private BigDecimal sum = BigDecimal.ZERO;
        private double fsum;
        private boolean first = true;

        State(Item item) {
            this.item = item;
        }

        void add(Selection.RowView row) {
            if (item.kind() == Kind.COUNT_ROWS) {
                count++;
                return;
            }
            byte[] v = item.arg().eval(row);
            if (item.kind() == Kind.FIRST) {
                if (first) {
                    value = v;
                    first = false;
                }
                return;
            }
            if (v == null || v.length == 0 && item.arg().type() != NativeType.TEXT && item.arg().type() != NativeType.ASCII
                    && item.arg().type() != NativeType.BLOB) {
                return;
            }
            count++;
            switch (item.kind()) {
                case MIN, MAX -> {
                    Comparator<byte[]> order = TypedValues.comparator(item.arg().type());
                    if (value == null || (item.kind() == Kind.MIN ? order.compare(v, value) < 0 : order.compare(v, value) > 0)) {
                        value = v;
                    }
                }
                case SUM, AVG -> {
                    DataType t = item.arg().type();
                    if (t == NativeType.FLOAT || t == NativeType.DOUBLE) {
                        fsum += t == NativeType.FLOAT ? ByteBuffer.wrap(v).getFloat() : ByteBuffer.wrap(v).getDouble();
                    } else {
                        sum = sum.add(decimal(t, v));
                    }
                }
                default -> {
                }
            }
        }

        byte[] result() {
            DataType t = item.type();
            return switch (item.kind()) {
                case COUNT_ROWS, COUNT -> Values.ofLong(count);
                case FIRST, MIN, MAX -> value;
                case SUM -> number(t, sum, fsum);
                case AVG -> count == 0 ? number(t, BigDecimal.ZERO, 0)
                        : number(t, t == NativeType.DECIMAL ? sum.divide(BigDecimal.valueOf(count), java.math.MathContext.DECIMAL128)
                                : sum.divide(BigDecimal.valueOf(count), 0, RoundingMode.DOWN), fsum / count);
            };
        }

        private static BigDecimal decimal(DataType t, byte[] v) {
            ByteBuffer b = ByteBuffer.wrap(v);
            if (t == NativeType.TINYINT) {
                return BigDecimal.valueOf(b.get());
            }
            if (t == NativeType.SMALLINT) {
                return BigDecimal.valueOf(b.getShort());
            }
            if (t == NativeType.INT) {
                return BigDecimal.valueOf(b.getInt());
            }
            if (t == NativeType.BIGINT || t == NativeType.COUNTER) {
                return BigDecimal.valueOf(b.getLong());
            }
            if (t == NativeType.VARINT) {
                return new BigDecimal(new BigInteger(v));
            }
            return Values.decimal(v);
        }

        /** Integer results wrap on overflow, as Cassandra's native sums do. */
        private static byte[] number(DataType t, BigDecimal n, double f) {
            if (t == NativeType.FLOAT) {
                return ByteBuffer.allocate(4).putFloat((float) f).array();
            }
            if (t == NativeType.DOUBLE) {
                return ByteBuffer.allocate(8).putDouble(f).array();
            }
            if (t == NativeType.TINYINT) {
                return new byte[] {n.toBigInteger().byteValue()};
            }
            if (t == NativeType.SMALLINT) {
                return ByteBuffer.allocate(2).putShort(n.toBigInteger().shortValue()).array();
            }
            if (t == NativeType.INT) {
                return Values.ofInt(n.toBigInteger().intValue());
            }
            if (t == NativeType.BIGINT || t == NativeType.COUNTER) {
                return Values.ofLong(n.toBigInteger().longValue());
            }
            if (t == NativeType.VARINT) {
                return n.toBigInteger().toByteArray();
            }
            return Values.decimal(n);
        }
    }
}
