package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code CREATE MATERIALIZED VIEW [IF NOT EXISTS] name AS SELECT ... FROM base [WHERE ...] PRIMARY KEY (...)
 * [WITH ...]}. Parsed so that the DDL can answer as Cassandra's default configuration does (views are
 * disabled); the selection and the WHERE clause are checked for syntax only and not kept. The primary key
 * and the options are normalised as in {@link CreateTable}.
 */
public record CreateMaterializedView(
        QualifiedName name,
        boolean ifNotExists,
        QualifiedName baseTable,
        List<String> partitionKey,
        List<String> clusteringColumns,
        Map<String, Boolean> clusteringOrderDescending,
        Map<String, Object> properties) implements Statement {
    public CreateMaterializedView {
        requireNonNull(name, "name is null");
        requireNonNull(baseTable, "baseTable is null");
        partitionKey = List.copyOf(requireNonNull(partitionKey, "partitionKey is null"));
        clusteringColumns = List.copyOf(requireNonNull(clusteringColumns, "clusteringColumns is null"));
        clusteringOrderDescending = Collections.unmodifiableMap(
                new LinkedHashMap<>(requireNonNull(clusteringOrderDescending, "clusteringOrderDescending is null")));
        properties = PropertyMaps.copy(properties);
    }
}
