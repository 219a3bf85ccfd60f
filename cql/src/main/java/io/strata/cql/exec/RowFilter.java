package io.strata.cql.exec;

import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.Expr;
import io.strata.cql.expr.RowView;
import io.strata.cql.plan.Restrictions.Filter;
import io.strata.cql.request.CqlException;
import io.strata.cql.types.CollectionCodec;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TypedValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The filters of one execution with their values bound: checked on every row read (ALLOW FILTERING,
 * partially restricted keys, map entries). A missing value never matches. Immutable.
 */
final class RowFilter {
    private record Bound(Filter filter, byte[] element, byte[] value) {}

    static final RowFilter NONE = new RowFilter(List.of());

    private final List<Bound> filters;

    private RowFilter(List<Bound> filters) {
        this.filters = filters;
    }

    static RowFilter bind(List<Filter> filters, Bindings b, EvalContext ctx) {
        if (filters.isEmpty()) {
            return NONE;
        }
        List<Bound> out = new ArrayList<>(filters.size());
        for (Filter f : filters) {
            byte[] v = f.value().resolve(b, ctx);
            if (v == null || Bindings.isUnset(v)) {
                throw CqlException.invalid("Unsupported null or unset value for column " + f.column().name());
            }
            byte[] element = null;
            if (f.element() != null) {
                element = f.element().resolve(b, ctx);
                if (element == null || Bindings.isUnset(element)) {
                    throw CqlException.invalid("Unsupported null or unset map key for column " + f.column().name());
                }
            }
            out.add(new Bound(f, element, v));
        }
        return new RowFilter(out);
    }

    boolean isEmpty() {
        return filters.isEmpty();
    }

    /** Whether a row passes every filter. */
    boolean accepts(RowView row) {
        for (Bound bf : filters) {
            Filter f = bf.filter();
            byte[] actual = new Expr.ColumnExpr(f.column()).eval(row);
            if (actual == null) {
                return false;
            }
            DataType type = f.column().type();
            if (bf.element() != null) {
                actual = TypedValues.element((CollectionType) type, actual, bf.element());
                if (actual == null) {
                    return false;
                }
                type = f.valueType();
            }
            if (!holds(f, type, actual, bf.value())) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Filter f, DataType type, byte[] actual, byte[] value) {
        return switch (f.op()) {
            case EQ -> compare(type, actual, value) == 0;
            case NEQ -> compare(type, actual, value) != 0;
            case LT -> compare(type, actual, value) < 0;
            case LTE -> compare(type, actual, value) <= 0;
            case GT -> compare(type, actual, value) > 0;
            case GTE -> compare(type, actual, value) >= 0;
            case IN -> CollectionCodec.elements(value, false).stream().anyMatch(v -> compare(type, actual, v) == 0);
            case CONTAINS, CONTAINS_KEY -> {
                CollectionType ct = (CollectionType) type;
                boolean map = ct.kind() == CollectionType.Kind.MAP;
                List<byte[]> parts = CollectionCodec.elements(actual, map);
                boolean found = false;
                for (int i = 0; i < parts.size(); i++) {
                    boolean isKey = !map || i % 2 == 0;
                    boolean wanted = f.op() == Operator.CONTAINS_KEY ? isKey : (!map || !isKey);
                    if (wanted && compare(f.valueType(), parts.get(i), value) == 0) {
                        found = true;
                        break;
                    }
                }
                yield found;
            }
            default -> false;
        };
    }

    private static int compare(DataType type, byte[] a, byte[] b) {
        if (type == NativeType.DURATION) {
            // Durations have no order; only (in)equality is meaningful.
            return Arrays.equals(a, b) ? 0 : 1;
        }
        return TypedValues.comparator(type).compare(a, b);
    }
}
