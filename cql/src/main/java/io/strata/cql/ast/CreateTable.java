package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CREATE TABLE}. The primary key is normalised whichever way it was written (inline
 * {@code PRIMARY KEY} on a column, or a separate clause): {@code partitionKey} is never empty for a valid
 * statement, {@code clusteringColumns} lists the rest in order. {@code CLUSTERING ORDER BY} and
 * {@code COMPACT STORAGE} are taken out of the {@code WITH} options into {@code clusteringOrderDescending}
 * (column → true for DESC, in written order) and {@code compactStorage}; the remaining options are in
 * {@code properties}.
 */
public record CreateTable(
        QualifiedName name,
        boolean ifNotExists,
        List<ColumnDefinition> columns,
        List<String> partitionKey,
        List<String> clusteringColumns,
        Map<String, Boolean> clusteringOrderDescending,
        Map<String, Object> properties,
        boolean compactStorage) implements Statement {
    public CreateTable {
        requireNonNull(name, "name is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        partitionKey = List.copyOf(requireNonNull(partitionKey, "partitionKey is null"));
        clusteringColumns = List.copyOf(requireNonNull(clusteringColumns, "clusteringColumns is null"));
        clusteringOrderDescending = Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(clusteringOrderDescending, "clusteringOrderDescending is null")));
        properties = PropertyMaps.copy(properties);
    }
}
