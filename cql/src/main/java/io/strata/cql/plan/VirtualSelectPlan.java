package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.expr.ValueSource;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.TableMetadata;
import java.util.List;

/**
 * A SELECT on a system table (computed per tenant): the selected expressions (any selector a stored table
 * allows, evaluated on the computed rows), equality and IN filters on any column (system tables are small,
 * so no ALLOW FILTERING is needed), LIMIT. Immutable.
 */
public record VirtualSelectPlan(TableMetadata table, List<SelectPlan.Output> outputs, List<Filter> filters,
        ValueSource limit) implements Plan {
    /** Column {@code column} (its index in the table's columns) must equal one of {@code anyOf}. */
    public record Filter(int column, List<ValueSource> anyOf) {
        public Filter {
            anyOf = List.copyOf(anyOf);
        }
    }

    public VirtualSelectPlan {
        requireNonNull(table, "table is null");
        outputs = List.copyOf(outputs);
        filters = List.copyOf(filters);
    }

    public List<ResultColumn> resultColumns() {
        return outputs.stream().map(o -> new ResultColumn(table.keyspace(), table.name(), o.label(), o.expr().type())).toList();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.virtualSelect(this);
    }

    @Override
    public Access access() {
        return Access.READ;
    }
}
