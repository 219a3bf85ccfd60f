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

    record ColumnCondition(ColumnMetadata column, Relation.Operator op, List<ValueSource> values) {}

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
            if (c.element() != null || c.field() != null) {
                throw CqlException.invalid("Conditions on collection elements and UDT fields are not supported yet");
            }
            if (!col.type().isFrozen()) {
                throw CqlException.invalid("Conditions on non-frozen collection or UDT column " + col.name()
                        + " are not supported yet");
            }
            List<ValueSource> values = new ArrayList<>();
            switch (c.op()) {
                case EQ, NEQ, LT, LTE, GT, GTE -> values.add(vars.source(c.value(), col.type(), col.name()));
                case IN -> {
                    if (!(c.value() instanceof Term.InValues in)) {
                        throw CqlException.invalid("IN conditions with a single bind marker are not supported yet");
                    }
                    for (Term v : in.values()) {
                        values.add(vars.source(v, col.type(), col.name()));
                    }
                }
                default -> throw CqlException.invalid("Unsupported operator " + c.op().cql() + " in IF condition on " + col.name());
            }
            out.add(new ColumnCondition(col, c.op(), values));
        }
        return new IfColumns(out);
    }

    /** The current value of a simple (non-collection) column in the row, or null. */
    static byte[] current(Row row, String column) {
        if (row == null) {
            return null;
        }
        for (Cell cell : row.cells()) {
            if (cell.column().equals(column) && cell.path() == null) {
                return cell.value();
            }
        }
        return null;
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
                int cmp = compare(c.column().type(), actual, w);
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
