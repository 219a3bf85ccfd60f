package io.strata.cql.types;

import java.util.regex.Pattern;

/** Quoting of identifiers for CQL output (DESCRIBE, messages). */
public final class CqlIdentifiers {
    private static final Pattern UNQUOTED = Pattern.compile("[a-z][a-z0-9_]*");

    private CqlIdentifiers() {}

    public static String quoteIfNeeded(String id) {
        if (UNQUOTED.matcher(id).matches() && !ReservedWords.isReserved(id)) {
            return id;
        }
        return '"' + id.replace("\"", "\"\"") + '"';
    }

    /** Cassandra's reserved keywords: identifiers spelled like these must be quoted. */
    static final class ReservedWords {
        private static final java.util.Set<String> RESERVED = java.util.Set.of(
                "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by", "columnfamily",
                "create", "delete", "desc", "describe", "drop", "entries", "execute", "from", "full", "grant", "if",
                "in", "index", "infinity", "insert", "into", "is", "keyspace", "limit", "materialized", "mbean",
                "mbeans", "modify", "nan", "norecursive", "not", "null", "of", "on", "or", "order", "primary",
                "rename", "replace", "revoke", "schema", "select", "set", "table", "to", "token", "truncate",
                "unlogged", "unset", "update", "use", "using", "view", "where", "with");

        static boolean isReserved(String id) {
            return RESERVED.contains(id);
        }
    }
}
