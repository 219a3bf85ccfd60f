package io.strata.cql.exec;

import io.strata.cql.expr.Expr;
import io.strata.cql.expr.RowView;
import io.strata.cql.plan.Aggregation;
import io.strata.cql.plan.SelectPlan;
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

/**
 * One execution's aggregation state. Rows arrive in primary-key order, so a group ends when its GROUP BY
 * key changes; at the end of a group the outputs are evaluated on the group's first row with the group's
 * aggregate results. Without GROUP BY there is one group, and one result row even over no rows (count 0,
 * sum 0, min null). With PER PARTITION LIMIT, groups past the limit in a partition are skipped. Not
 * thread-safe.
 */
final class Aggregator {
    private final Aggregation spec;
    private final List<SelectPlan.Output> outputs;
    private final int groupsPerPartition;
    private final List<List<ByteBuffer>> results = new ArrayList<>();
    private byte[][] groupKey;
    private byte[] groupPartition;
    private RowView first;
    private State[] states;
    private boolean sawRow;
    private int groupsInPartition;
    private final byte[] resumePartition;
    private final int resumeGroups;

    /**
     * @param resumePartition the partition an earlier page stopped in (null for the first page)
     * @param resumeGroups groups of {@code resumePartition} earlier pages returned (PER PARTITION LIMIT)
     */
    Aggregator(Aggregation spec, List<SelectPlan.Output> outputs, int groupsPerPartition, byte[] resumePartition,
            int resumeGroups) {
        this.spec = spec;
        this.outputs = outputs;
        this.groupsPerPartition = groupsPerPartition;
        this.resumePartition = resumePartition;
        this.resumeGroups = resumeGroups;
    }

    /** Whether adding {@code row} would complete the current group and open another (a pager stops there). */
    boolean startsGroup(RowView row) {
        return groupKey == null || !Arrays.deepEquals(key(row), groupKey);
    }

    /** Whether a group that will be returned is open (not skipped by PER PARTITION LIMIT). */
    boolean hasOpenGroup() {
        return states != null;
    }

    void add(RowView row) {
        byte[][] key = key(row);
        if (groupKey == null || !Arrays.deepEquals(key, groupKey)) {
            flush();
            if (spec.grouped() && !Arrays.equals(row.partitionKey(), groupPartition)) {
                groupPartition = row.partitionKey();
                groupsInPartition = Arrays.equals(groupPartition, resumePartition) ? resumeGroups : 0;
            }
            groupKey = key;
            if (spec.grouped() && groupsInPartition >= groupsPerPartition) {
                return; // past PER PARTITION LIMIT: the group is read but not returned
            }
            groupsInPartition++;
            first = row;
            states = new State[spec.items().size()];
            for (int i = 0; i < states.length; i++) {
                states[i] = new State(spec.items().get(i));
            }
        }
        if (states == null) {
            return;
        }
        sawRow = true;
        for (State s : states) {
            s.add(row);
        }
    }

    private byte[][] key(RowView row) {
        byte[][] key = new byte[spec.groupBy().size()][];
        for (int i = 0; i < key.length; i++) {
            key[i] = new Expr.ColumnExpr(spec.groupBy().get(i)).eval(row);
        }
        return key;
    }

    /** Completed groups so far (their result rows). */
    int completed() {
        return results.size();
    }

    /** Groups returned so far for the partition of the current group (paging state). */
    int groupsInCurrentPartition() {
        return groupsInPartition;
    }

    private void flush() {
        if (states == null) {
            return;
        }
        byte[][] aggregates = new byte[states.length][];
        for (int i = 0; i < states.length; i++) {
            aggregates[i] = states[i].result();
        }
        RowView at = (first == null ? emptyRow() : first).withAggregates(aggregates);
        List<ByteBuffer> out = new ArrayList<>(outputs.size());
        for (SelectPlan.Output o : outputs) {
            byte[] v = o.expr().eval(at);
            out.add(v == null ? null : ByteBuffer.wrap(v));
        }
        results.add(out);
        states = null;
        first = null;
    }

    private static RowView emptyRow() {
        return new RowView(null, null, null, null, null, null, null);
    }

    /** Completes the current group and returns every result row; without GROUP BY, one row even over none. */
    List<List<ByteBuffer>> finish(RowView emptyContext) {
        if (!sawRow && !spec.grouped()) {
            states = new State[spec.items().size()];
            for (int i = 0; i < states.length; i++) {
                states[i] = new State(spec.items().get(i));
            }
            first = emptyContext;
        }
        flush();
        return results;
    }

    /** The result rows of the groups completed so far (the current one stays open). */
    List<List<ByteBuffer>> completedRows() {
        return results;
    }

    /** The accumulator of one aggregate call in one group. */
    private static final class State {
        private final Aggregation.Item item;
        private long count;
        private byte[] value;
        private BigDecimal sum = BigDecimal.ZERO;
        private final FloatingSum floating = new FloatingSum();

        State(Aggregation.Item item) {
            this.item = item;
        }

        void add(RowView row) {
            if (item.kind() == Aggregation.Kind.COUNT_ROWS) {
                count++;
                return;
            }
            byte[] v = item.arg().eval(row);
            DataType argType = item.arg().type();
            if (v == null || v.length == 0 && argType != NativeType.TEXT && argType != NativeType.ASCII
                    && argType != NativeType.BLOB) {
                return;
            }
            count++;
            switch (item.kind()) {
                case MIN, MAX -> {
                    Comparator<byte[]> order = TypedValues.comparator(argType);
                    if (value == null || (item.kind() == Aggregation.Kind.MIN ? order.compare(v, value) < 0
                            : order.compare(v, value) > 0)) {
                        value = v;
                    }
                }
                case SUM, AVG -> {
                    if (argType == NativeType.FLOAT || argType == NativeType.DOUBLE) {
                        floating.add(argType == NativeType.FLOAT ? ByteBuffer.wrap(v).getFloat() : ByteBuffer.wrap(v).getDouble());
                    } else {
                        sum = sum.add(decimal(argType, v));
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
                case SUM -> number(t, sum, floating.sum());
                case AVG -> count == 0 ? number(t, BigDecimal.ZERO, 0)
                        : number(t, t == NativeType.DECIMAL
                                ? sum.divide(BigDecimal.valueOf(count), java.math.MathContext.DECIMAL128)
                                : sum.divide(BigDecimal.valueOf(count), 0, RoundingMode.DOWN), floating.average(count));
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

    /**
     * Floating-point sums as Cassandra computes them: Kahan-compensated, and for averages switching to an
     * exact decimal sum once the running sum overflows, so the average of large finite values stays finite.
     */
    static final class FloatingSum {
        private double sum;
        private double compensation;
        private double simpleSum;
        private BigDecimal exact;

        void add(double x) {
            if (exact != null) {
                exact = Double.isFinite(x) ? exact.add(new BigDecimal(x)) : exact;
                simpleSum += x;
                return;
            }
            double before = sum + compensation;
            double y = x - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
            simpleSum += x;
            if (Double.isInfinite(sum) && Double.isFinite(x) && Double.isFinite(before)) {
                exact = new BigDecimal(before).add(new BigDecimal(x));
            }
        }

        double sum() {
            double s = sum - compensation;
            if (Double.isNaN(s) && Double.isInfinite(simpleSum)) {
                return simpleSum;
            }
            return exact != null ? simpleSum : s;
        }

        double average(long count) {
            if (exact != null) {
                return exact.divide(BigDecimal.valueOf(count), java.math.MathContext.DECIMAL128).doubleValue();
            }
            return sum() / count;
        }
    }
}
