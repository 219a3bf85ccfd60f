package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code SELECT [JSON] [DISTINCT] selection FROM t [WHERE ...] [GROUP BY ...] [ORDER BY ...]
 * [PER PARTITION LIMIT n] [LIMIT n] [ALLOW FILTERING]}. An empty {@code selection} means {@code *};
 * {@code perPartitionLimit} and {@code limit} are null when absent.
 */
public record Select(
        QualifiedName table,
        boolean json,
        boolean distinct,
        List<SelectItem> selection,
        List<Relation> where,
        List<String> groupBy,
        List<Ordering> orderBy,
        Term perPartitionLimit,
        Term limit,
        boolean allowFiltering) implements Statement {
    public Select {
        requireNonNull(table, "table is null");
        selection = List.copyOf(requireNonNull(selection, "selection is null"));
        where = List.copyOf(requireNonNull(where, "where is null"));
        groupBy = List.copyOf(requireNonNull(groupBy, "groupBy is null"));
        orderBy = List.copyOf(requireNonNull(orderBy, "orderBy is null"));
    }

    public boolean isSelectStar() {
        return selection.isEmpty();
    }
}
