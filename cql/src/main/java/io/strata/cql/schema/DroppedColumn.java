package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import io.strata.cql.types.DataType;

/**
 * A column dropped from a table, as Cassandra's {@code system_schema.dropped_columns} records it: cells of
 * that name written at or before {@code droppedAtMicros} stay hidden, so a column added again later starts
 * empty. {@code type} is null for drops recorded before types were kept. Immutable.
 */
public record DroppedColumn(String name, DataType type, long droppedAtMicros, boolean isStatic) {
    public DroppedColumn {
        requireNonNull(name, "name is null");
    }
}
