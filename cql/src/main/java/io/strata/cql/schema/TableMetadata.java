package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import io.strata.cql.types.DataType;
import io.strata.storage.spi.TableId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A table's schema: its id, its columns in the order of Cassandra's {@code SELECT *} (partition key,
 * clustering, then static and then regular columns, each by name), its options (CQL table properties as given, normalised to strings or string maps) and
 * the columns dropped from it. Immutable.
 */
public final class TableMetadata {
    private final String keyspace;
    private final String name;
    private final UUID id;
    private final List<ColumnMetadata> columns;
    private final Map<String, Object> options;
    private final Map<String, DroppedColumn> dropped;
    private final List<ColumnMetadata> partitionKey;
    private final List<ColumnMetadata> clustering;
    private final List<ColumnMetadata> regularAndStatic;
    private final Map<String, ColumnMetadata> byName;
    private final List<DataType> clusteringTypes;
    private final List<Boolean> clusteringDescending;

    public TableMetadata(String keyspace, String name, UUID id, List<ColumnMetadata> columns, Map<String, Object> options) {
        this(keyspace, name, id, columns, options, Map.of());
    }

    public TableMetadata(String keyspace, String name, UUID id, List<ColumnMetadata> columns, Map<String, Object> options,
            Map<String, DroppedColumn> dropped) {
        this.dropped = Collections.unmodifiableMap(new java.util.TreeMap<>(dropped));
        this.keyspace = requireNonNull(keyspace, "keyspace is null");
        this.name = requireNonNull(name, "name is null");
        this.id = requireNonNull(id, "id is null");
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        List<ColumnMetadata> pk = new ArrayList<>();
        List<ColumnMetadata> ck = new ArrayList<>();
        List<ColumnMetadata> rest = new ArrayList<>();
        for (ColumnMetadata c : columns) {
            switch (c.kind()) {
                case PARTITION_KEY -> pk.add(c);
                case CLUSTERING -> ck.add(c);
                default -> rest.add(c);
            }
        }
        pk.sort((a, b) -> Integer.compare(a.position(), b.position()));
        ck.sort((a, b) -> Integer.compare(a.position(), b.position()));
        // As Cassandra's SELECT *: static columns before regular ones, each by name.
        rest.sort(java.util.Comparator.comparing((ColumnMetadata c) -> !c.isStatic()).thenComparing(ColumnMetadata::name));
        if (pk.isEmpty()) {
            throw new IllegalArgumentException("a table needs a partition key");
        }
        this.partitionKey = List.copyOf(pk);
        this.clustering = List.copyOf(ck);
        this.regularAndStatic = List.copyOf(rest);
        List<ColumnMetadata> all = new ArrayList<>(pk);
        all.addAll(ck);
        all.addAll(rest);
        this.columns = List.copyOf(all);
        Map<String, ColumnMetadata> m = new LinkedHashMap<>();
        for (ColumnMetadata c : all) {
            m.put(c.name(), c);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.clusteringTypes = ck.stream().map(ColumnMetadata::type).toList();
        this.clusteringDescending = ck.stream().map(ColumnMetadata::descending).toList();
    }

    public String keyspace() {
        return keyspace;
    }

    public String name() {
        return name;
    }

    public UUID id() {
        return id;
    }

    public TableId tableId(String tenant) {
        return new TableId(tenant, keyspace, name, id);
    }

    /** All columns in {@code SELECT *} order: partition key, clustering, static by name, regular by name. */
    public List<ColumnMetadata> columns() {
        return columns;
    }

    public List<ColumnMetadata> partitionKey() {
        return partitionKey;
    }

    public List<ColumnMetadata> clustering() {
        return clustering;
    }

    public List<ColumnMetadata> regularAndStatic() {
        return regularAndStatic;
    }

    public boolean hasStatic() {
        return regularAndStatic.stream().anyMatch(ColumnMetadata::isStatic);
    }

    public ColumnMetadata column(String columnName) {
        return byName.get(columnName);
    }

    public List<DataType> clusteringTypes() {
        return clusteringTypes;
    }

    public List<Boolean> clusteringDescending() {
        return clusteringDescending;
    }

    public Map<String, Object> options() {
        return options;
    }

    /** Columns dropped from this table, by name (the latest drop of each name); system_schema.dropped_columns. */
    public Map<String, DroppedColumn> dropped() {
        return dropped;
    }

    public TableMetadata withColumns(List<ColumnMetadata> newColumns) {
        return new TableMetadata(keyspace, name, id, newColumns, options, dropped);
    }

    public TableMetadata withOptions(Map<String, Object> newOptions) {
        return new TableMetadata(keyspace, name, id, columns, newOptions, dropped);
    }

    public TableMetadata withDropped(Map<String, DroppedColumn> newDropped) {
        return new TableMetadata(keyspace, name, id, columns, options, newDropped);
    }

    @Override
    public String toString() {
        return keyspace + "." + name;
    }
}
