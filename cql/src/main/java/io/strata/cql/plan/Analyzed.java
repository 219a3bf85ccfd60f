package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.TableMetadata;
import java.util.List;

/**
 * A statement after analysis: its plan, its bind variables (in marker order, with the receiver each
 * binds to), the result columns a PREPARE announces, the positions of the partition-key variables (for
 * token-aware routing; null when not all bound), the table it was analysed against (null for none or a
 * system table), whose change invalidates a prepared statement, and for INSERT, UPDATE and DELETE the
 * write and condition a batch takes from it (else null). Immutable.
 */
public record Analyzed(Plan plan, List<ResultColumn> variables, List<ResultColumn> resultColumns,
        int[] partitionKeyIndexes, TableMetadata table, ConditionalPlan.Statement modification) {
    public Analyzed {
        requireNonNull(plan, "plan is null");
        variables = List.copyOf(variables);
        resultColumns = List.copyOf(resultColumns);
        partitionKeyIndexes = partitionKeyIndexes == null ? null : partitionKeyIndexes.clone();
    }

    @Override
    public int[] partitionKeyIndexes() {
        return partitionKeyIndexes == null ? null : partitionKeyIndexes.clone();
    }

    /** The index of the variable named {@code name} (named values), or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < variables.size(); i++) {
            if (variables.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
