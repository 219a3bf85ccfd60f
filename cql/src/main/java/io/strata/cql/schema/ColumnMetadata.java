package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import io.strata.cql.types.DataType;

/**
 * A column of a table. {@code position} is the index within its kind (partition key or clustering
 * component), -1 for regular and static columns, as in system_schema.columns.
 */
public record ColumnMetadata(String name, DataType type, Kind kind, int position, boolean descending) {
    public enum Kind {
        PARTITION_KEY("partition_key"), CLUSTERING("clustering"), REGULAR("regular"), STATIC("static");

        private final String schemaName;

        Kind(String schemaName) {
            this.schemaName = schemaName;
        }

        public String schemaName() {
            return schemaName;
        }
    }

    public ColumnMetadata {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(kind, "kind is null");
    }

    public boolean isPrimaryKey() {
        return kind == Kind.PARTITION_KEY || kind == Kind.CLUSTERING;
    }

    public boolean isStatic() {
        return kind == Kind.STATIC;
    }
}
