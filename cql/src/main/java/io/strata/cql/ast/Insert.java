package io.strata.cql.ast;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code INSERT INTO t (cols) VALUES (terms)} or {@code INSERT INTO t JSON 'json' [DEFAULT UNSET|NULL]}.
 * For JSON inserts {@code json} is non-null and {@code columns}/{@code values} are empty;
 * {@code defaultUnset} is true only for {@code DEFAULT UNSET} (the default is NULL).
 */
public record Insert(
        QualifiedName table,
        List<String> columns,
        List<Term> values,
        boolean ifNotExists,
        Using using,
        Term json,
        boolean defaultUnset) implements Statement {
    public Insert {
        requireNonNull(table, "table is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        values = List.copyOf(requireNonNull(values, "values is null"));
        requireNonNull(using, "using is null");
    }

    public boolean isJson() {
        return json != null;
    }
}
