package io.strata.cql.exec;

import io.strata.cql.ast.Condition;
import io.strata.cql.ast.Relation;
import io.strata.cql.ast.Term;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.DataType;
import io.strata.storage.spi.Bytes;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The condition of a lightweight transaction ({@code IF NOT EXISTS}, {@code IF EXISTS}, {@code IF c op v
 * AND ...}), evaluated against the row as read under the partition's compare-and-set lock. Column
 * conditions follow Cassandra: {@code =}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=} and
 * {@code IN} on regular and static columns of native or frozen types; a missing cell is null, which
 * equals only {@code null} and is never ordered. Immutable.
 */
sealed interface LwtCondition {
    IfNotExists IF_NOT_EXISTS = new IfNotExists();
    IfExists IF_EXISTS = new IfExists();

    record IfNotExists() implements LwtCondition {}

    record IfExists() implements LwtCondition {}

    /**
     * One column condition; {@code element} (a list index or map key) or {@code field} (a UDT field) narrow it
     * to part of the column, and {@code valueType} is the type compared.
     */
    record ColumnCondition(ColumnMetadata column, ValueSource element, String field, DataType valueType,
            Relation.Operator op, List<ValueSource> values) {
        ColumnCondition(ColumnMetadata column, Relation.Operator op, List<ValueSource> values) {
            this(column, null, null, column.type(), op, values);
        }

        /** The value this condition tests, taken from the row (null when absent). */
        byte[] actual(Row row, Bindings b, ExecutionContext ctx) {
            byte[] whole = Cells.value(row, column.name(), column.type());
            if (whole == null || element == null && field == null) {
                return whole;
            }
            if (field != null) {
                io.strata.cql.types.UserType ut = (io.strata.cql.types.UserType) column.type();
                return io.strata.cql.types.TypedValues.field(ut, whole, ut.fieldNames().indexOf(field));
            }
            byte[] key = element.resolve(b, ctx);
            if (key == null || Bindings.isUnset(key)) {
                throw CqlException.invalid("Invalid null value for " + column.name() + " element");
            }
            return io.strata.cql.types.TypedValues.element((io.strata.cql.types.CollectionType) column.type(), whole, key);
        }
    }

    record IfColumns(List<ColumnCondition> conditions) implements LwtCondition {
        public IfColumns {
            conditions = List.copyOf(conditions);
        }
    }

    static IfColumns of(List<Condition> conditions, TableMetadata t, Variables vars) {
        List<ColumnCondition> out = new ArrayList<>();
        for (Condition c : conditions) {
            ColumnMetadata col = ModificationPlan.column(t, c.column());
            if (col.isPrimaryKey()) {
                throw CqlException.invalid("PRIMARY KEY column '" + col.name() + "' cannot have IF conditions");
            }
            ValueSource element = null;
            DataType valueType = col.type();
            String label = col.name();
            if (c.element() != null) {
                if (!(col.type() instanceof io.strata.cql.types.CollectionType ct)
                        || ct.kind() == io.strata.cql.types.CollectionType.Kind.SET) {
                    throw CqlException.invalid("Invalid element access syntax for " + (col.type() instanceof
                            io.strata.cql.types.CollectionType ? "set" : "non-collection") + " column " + col.name());
                }
                boolean list = ct.kind() == io.strata.cql.types.CollectionType.Kind.LIST;
                element = vars.source(c.element(), list ? io.strata.cql.types.NativeType.INT : ct.keyOrElement(),
                        (list ? "idx(" : "key(") + col.name() + ")");
                valueType = list ? ct.keyOrElement() : ct.value();
                label = "value(" + col.name() + ")";
            } else if (c.field() != null) {
                if (!(col.type() instanceof io.strata.cql.types.UserType ut)) {
                    throw CqlException.invalid("Invalid field selection " + col.name() + "." + c.field()
                            + ": " + col.name() + " is not a user type");
                }
                int idx = ut.fieldNames().indexOf(c.field());
                if (idx < 0) {
                    throw CqlException.invalid("UDT column " + col.name() + " does not have a field named " + c.field());
                }
                valueType = ut.fieldTypes().get(idx);
                label = col.name() + "." + c.field();
            }
            List<ValueSource> values = new ArrayList<>();
            switch (c.op()) {
                case EQ, NEQ, LT, LTE, GT, GTE -> values.add(vars.source(c.value(), valueType, label));
                case IN -> {
                    if (!(c.value() instanceof Term.InValues in)) {
                        throw CqlException.invalid("IN conditions with a single bind marker are not supported yet");
                    }
                    for (Term v : in.values()) {
                        values.add(vars.source(v, valueType, label));
                    }
                }
                default -> throw CqlException.invalid("Unsupported operator " + c.op().cql() + " in IF condition on " + col.name());
            }
            if (element == null && c.field() == null && !col.type().isFrozen() && c.op() != Relation.Operator.EQ
                    && c.op() != Relation.Operator.NEQ && c.op() != Relation.Operator.IN
                    && (col.type() instanceof io.strata.cql.types.CollectionType || col.type() instanceof io.strata.cql.types.UserType)) {
                throw CqlException.invalid("Slice conditions are not supported on non-frozen collections or UDTs: " + col.name());
            }
            out.add(new ColumnCondition(col, element, c.field(), valueType, c.op(), values));
        }
        return new IfColumns(out);
    }

    static boolean holds(ColumnCondition c, byte[] actual, Bindings b, ExecutionContext ctx) {
        List<byte[]> wanted = new ArrayList<>();
        for (ValueSource v : c.values()) {
            byte[] w = v.resolve(b, ctx);
            wanted.add(Bindings.isUnset(w) ? null : w);
        }
        return switch (c.op()) {
            case EQ -> Arrays.equals(actual, wanted.get(0));
            case NEQ -> !Arrays.equals(actual, wanted.get(0));
            case IN -> wanted.stream().anyMatch(w -> Arrays.equals(actual, w));
            default -> {
                byte[] w = wanted.get(0);
                if (w == null) {
                    throw CqlException.invalid("Invalid comparison with null for operator \"" + c.op().cql() + "\"");
                }
                if (actual == null) {
                    yield false;
                }
                int cmp = compare(c.valueType(), actual, w);
                yield switch (c.op()) {
                    case LT -> cmp < 0;
                    case LTE -> cmp <= 0;
                    case GT -> cmp > 0;
                    default -> cmp >= 0;
                };
            }
        };
    }

    private static int compare(DataType type, byte[] a, byte[] b) {
        return Bytes.compare(ComparableEncoding.encode(List.of(type), List.of(false), List.of(a)),
                ComparableEncoding.encode(List.of(type), List.of(false), List.of(b)));
    }
}
