package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.expr.ValueSource;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.NativeType;
import java.util.List;

/**
 * An INSERT, UPDATE or DELETE without a condition: the rows it writes ({@code where}: partition keys by
 * EQ or IN; clustering by EQ or IN, or for DELETE a prefix and a range), the operations on columns
 * (none for a row, range or partition deletion), and USING TTL / TIMESTAMP. Immutable.
 *
 * @param ttl USING TTL (null: the table's default)
 * @param timestamp USING TIMESTAMP (null: the batch's, the client's or the server's)
 */
public record ModificationPlan(Kind kind, TableMetadata table, Restrictions where, List<ColumnOp> ops, ValueSource ttl,
        ValueSource timestamp) implements Plan {
    public enum Kind { INSERT, UPDATE, DELETE }

    /** What a statement does to one column. */
    public enum Op {
        /** {@code c = v} (INSERT too): a collection or UDT is overwritten as a whole. */
        SET,
        /** {@code l = l + v}, {@code s = s + v}, {@code m = m + v}. */
        ADD,
        /** {@code l = v + l}. */
        PREPEND,
        /** {@code l = l - v}, {@code s = s - v}, {@code m = m - keys}. */
        REMOVE,
        /** {@code m[k] = v}, {@code l[i] = v}. */
        SET_ELEMENT,
        /** {@code u.f = v} on a non-frozen UDT. */
        SET_FIELD,
        /** {@code c = c + n} / {@code c = c - n} on a counter. */
        COUNTER_ADD,
        COUNTER_SUBTRACT,
        /** {@code DELETE c}. */
        DELETE,
        /** {@code DELETE m[k]}, {@code DELETE l[i]}, {@code DELETE s[e]}. */
        DELETE_ELEMENT,
        /** {@code DELETE u.f}. */
        DELETE_FIELD
    }

    /** One operation; {@code key} is the element key or list index, {@code field} a UDT field. */
    public record ColumnOp(ColumnMetadata column, Op op, ValueSource value, ValueSource key, String field) {
        public ColumnOp {
            requireNonNull(column, "column is null");
            requireNonNull(op, "op is null");
        }

        public static ColumnOp set(ColumnMetadata column, ValueSource value) {
            return new ColumnOp(column, Op.SET, value, null, null);
        }

        /** List operations that need the current list (Cassandra reads before writing these too). */
        public boolean needsRead() {
            return column.type() instanceof CollectionType ct && ct.kind() == CollectionType.Kind.LIST && !ct.isFrozen()
                    && (op == Op.SET_ELEMENT || op == Op.REMOVE || op == Op.DELETE_ELEMENT);
        }
    }

    public ModificationPlan {
        requireNonNull(kind, "kind is null");
        requireNonNull(table, "table is null");
        requireNonNull(where, "where is null");
        if (!(where.partition() instanceof Restrictions.PartitionRestriction.Keys)) {
            throw new IllegalArgumentException("a modification names its partitions");
        }
        ops = List.copyOf(ops);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.modification(this);
    }

    @Override
    public Access access() {
        return Access.WRITE;
    }

    public Restrictions.PartitionRestriction.Keys partitionKeys() {
        return (Restrictions.PartitionRestriction.Keys) where.partition();
    }

    /** Whether an execution must first read the current rows (list index and removal operations). */
    public boolean needsRead() {
        return ops.stream().anyMatch(ColumnOp::needsRead);
    }

    /** Whether this statement deletes rows, a range or partitions (no column operations). */
    public boolean deletesRows() {
        return kind == Kind.DELETE && ops.isEmpty();
    }

    /** Whether every operation is on a static column (then no clustering is needed). */
    public boolean onlyStatic() {
        return !ops.isEmpty() && ops.stream().allMatch(o -> o.column().isStatic());
    }

    public boolean isCounter() {
        return isCounterTable(table);
    }

    public static boolean isCounterTable(TableMetadata t) {
        return t.regularAndStatic().stream().anyMatch(c -> c.type() == NativeType.COUNTER);
    }
}
