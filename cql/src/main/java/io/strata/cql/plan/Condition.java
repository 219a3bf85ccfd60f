package io.strata.cql.plan;

import io.strata.cql.ast.Relation.Operator;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.types.DataType;
import java.util.List;

/**
 * The condition of a lightweight transaction: {@code IF NOT EXISTS}, {@code IF EXISTS}, or column
 * conditions ({@code IF c op v AND ...}) on regular and static columns, whole or narrowed to a collection
 * element or UDT field. Immutable.
 */
public sealed interface Condition {
    IfNotExists IF_NOT_EXISTS = new IfNotExists();
    IfExists IF_EXISTS = new IfExists();

    record IfNotExists() implements Condition {}

    record IfExists() implements Condition {}

    record IfColumns(List<ColumnCondition> conditions) implements Condition {
        public IfColumns {
            conditions = List.copyOf(conditions);
        }

        /** Whether every condition is on a static column (then only the partition key is needed). */
        public boolean onlyStatic() {
            return conditions.stream().allMatch(c -> c.column().isStatic());
        }
    }

    /**
     * One column condition; {@code element} (a list index or map key) or {@code field} (a UDT field) narrow
     * it to part of the column, and {@code valueType} is the type compared. For {@code IN ?} ({@code boundList})
     * the one value is a bound list of candidates.
     */
    record ColumnCondition(ColumnMetadata column, ValueSource element, String field, DataType valueType, Operator op,
            List<ValueSource> values, boolean boundList) {
        public ColumnCondition {
            values = List.copyOf(values);
        }
    }
}
