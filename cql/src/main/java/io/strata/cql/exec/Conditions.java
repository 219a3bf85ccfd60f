package io.strata.cql.exec;

import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.Cells;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Condition;
import io.strata.cql.request.CqlException;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.ComparableEncoding;
import io.strata.cql.types.DataType;
import io.strata.cql.types.TypedValues;
import io.strata.cql.types.UserType;
import io.strata.storage.spi.Bytes;
import io.strata.storage.spi.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates column conditions of lightweight transactions against the row read under the lock: a missing
 * cell is null, which equals only {@code null} and is never ordered. Stateless.
 */
final class Conditions {
    private Conditions() {}

    /** The value a condition tests, taken from the row (null when absent). */
    static byte[] actual(Condition.ColumnCondition c, Row row, Bindings b, EvalContext ctx) {
        byte[] whole = Cells.value(row, c.column().name(), c.column().type());
        if (whole == null || c.element() == null && c.field() == null) {
            return whole;
        }
        if (c.field() != null) {
            UserType ut = (UserType) c.column().type();
            return TypedValues.field(ut, whole, ut.fieldNames().indexOf(c.field()));
        }
        byte[] key = c.element().resolve(b, ctx);
        if (key == null || Bindings.isUnset(key)) {
            throw CqlException.invalid("Invalid null value for " + c.column().name() + " element");
        }
        return TypedValues.element((CollectionType) c.column().type(), whole, key);
    }

    static boolean holds(Condition.ColumnCondition c, byte[] actual, Bindings b, EvalContext ctx) {
        List<byte[]> wanted = new ArrayList<>();
        for (ValueSource v : c.values()) {
            byte[] w = v.resolve(b, ctx);
            if (c.boundList()) {
                if (w == null || Bindings.isUnset(w)) {
                    throw CqlException.invalid("Invalid null list in IN condition on " + c.column().name());
                }
                wanted.addAll(CollectionCodec.elements(w, false));
            } else {
                wanted.add(Bindings.isUnset(w) ? null : w);
            }
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
