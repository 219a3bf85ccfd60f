package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.types.DataType;
import java.util.List;

/**
 * A WHERE clause as one model shared by SELECT, UPDATE, DELETE and conditional statements: which
 * partitions (key values, a token range, or all), which clustering rows (an EQ/IN prefix or a multi-column
 * IN, then an optional single- or multi-column range), and the filters checked on each row read. Bound
 * values stay {@link ValueSource}s; executors resolve them per execution. Immutable.
 */
public record Restrictions(PartitionRestriction partition, Clustering clustering, List<Filter> filters) {
    public Restrictions {
        requireNonNull(partition, "partition is null");
        requireNonNull(clustering, "clustering is null");
        filters = List.copyOf(filters);
    }

    /** Which partitions. */
    public sealed interface PartitionRestriction {
        /**
         * Every partition-key column restricted by EQ or IN: the cartesian product of their values, keeping
         * only keys whose token is in {@code token} when one is given (null: all).
         */
        record Keys(List<KeyValues> columns, TokenRange token) implements PartitionRestriction {
            public Keys {
                columns = List.copyOf(columns);
            }

            public Keys(List<KeyValues> columns) {
                this(columns, null);
            }

            /** Whether exactly one partition is named (every column by EQ). */
            public boolean single() {
                for (KeyValues c : columns) {
                    if (!c.single()) {
                        return false;
                    }
                }
                return true;
            }
        }

        /** {@code token(pk) > x AND token(pk) <= y}; either bound may be null. */
        record TokenRange(TokenBound start, TokenBound end) implements PartitionRestriction {}

        /** No restriction on the partition key (a scan). */
        record All() implements PartitionRestriction {}
    }

    /** One side of a token range: {@code >}/{@code >=} for the start, {@code <}/{@code <=} for the end. */
    public record TokenBound(Operator op, ValueSource value) {}

    /**
     * The values one key column is restricted to: one (EQ), several (IN with literals) or a bound list
     * ({@code IN ?}, {@code list} set and {@code values} empty).
     */
    public record KeyValues(List<ValueSource> values, ValueSource list) {
        public KeyValues {
            values = List.copyOf(values);
        }

        public static KeyValues eq(ValueSource v) {
            return new KeyValues(List.of(v), null);
        }

        public boolean single() {
            return list == null && values.size() == 1;
        }
    }

    /**
     * The clustering part: {@code prefix} restricts the first columns by EQ or IN, {@code multiIn} (when not
     * null) is {@code (c1, c2) IN ((..), (..))} over the first columns instead, and {@code range} bounds the
     * columns that follow (null: none).
     */
    public record Clustering(List<KeyValues> prefix, List<List<ValueSource>> multiIn, Range range) {
        public static final Clustering NONE = new Clustering(List.of(), null, null);

        public Clustering {
            prefix = List.copyOf(prefix);
            multiIn = multiIn == null ? null : multiIn.stream().map(List::copyOf).toList();
        }

        /** How many leading clustering columns are fixed (by EQ, IN or a multi-column IN). */
        public int fixedColumns() {
            return multiIn != null ? (multiIn.isEmpty() ? 0 : multiIn.get(0).size()) : prefix.size();
        }

        /** Whether some column is restricted by more than one value (IN), i.e. several clusterings. */
        public boolean hasIn() {
            return multiIn != null || prefix.stream().anyMatch(k -> !k.single());
        }
    }

    /**
     * A range over {@code columns} consecutive clustering columns after the fixed prefix (multi-column when
     * more than one); a side is absent when its operator is null.
     */
    public record Range(int columns, Operator startOp, List<ValueSource> start, Operator endOp, List<ValueSource> end) {}

    /**
     * A restriction checked on each row read (ALLOW FILTERING, or on a partially restricted key): {@code c op
     * v}, or on one map element when {@code element} is set ({@code m['k'] = v}). {@code valueType} is the
     * type of {@code value} (a list for IN).
     */
    public record Filter(ColumnMetadata column, ValueSource element, Operator op, ValueSource value,
            DataType valueType) {
        public Filter {
            requireNonNull(column, "column is null");
            requireNonNull(op, "op is null");
            requireNonNull(value, "value is null");
        }
    }
}
