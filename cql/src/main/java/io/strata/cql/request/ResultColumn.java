package io.strata.cql.request;

import static java.util.Objects.requireNonNull;

import io.strata.cql.types.DataType;

/** One column of a result or one bind variable: where it comes from, its label and its type. */
public record ResultColumn(String keyspace, String table, String name, DataType type) {
    public ResultColumn {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
