package io.strata.cql.parse;

import java.util.Set;

/**
 * Keyword classes of CQL, as in Cassandra's grammar: reserved keywords can never be unquoted identifiers;
 * every other word (including unreserved keywords such as {@code key}, {@code type}, {@code ttl},
 * {@code json}, {@code count}, {@code filtering}, {@code values} and the native type names) can.
 */
final class Keywords {
    private Keywords() {}

    /** Words Cassandra 4/5's grammar never accepts as unquoted identifiers (true/false lex as booleans). */
    static final Set<String> RESERVED = Set.of(
            "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch", "begin", "by", "columnfamily",
            "create", "delete", "desc", "describe", "drop", "entries", "execute", "from", "full", "grant", "if",
            "in", "index", "infinity", "insert", "into", "is", "keyspace", "limit", "materialized", "modify",
            "nan", "norecursive", "not", "null", "of", "on", "or", "order", "primary", "rename", "revoke",
            "schema", "select", "set", "table", "to", "token", "truncate", "unlogged", "update", "use", "using",
            "view", "where", "with");

    /** CQL native type names (lower case). */
    static final Set<String> NATIVE_TYPES = Set.of(
            "ascii", "bigint", "blob", "boolean", "counter", "decimal", "double", "duration", "float", "inet",
            "int", "smallint", "text", "timestamp", "tinyint", "uuid", "varchar", "varint", "timeuuid", "date",
            "time");

    /** Names Cassandra refuses for user types because it keeps them for future native types. */
    static final Set<String> RESERVED_TYPE_NAMES = Set.of(
            "byte", "complex", "enum", "date", "interval", "macaddr", "bitstring");

    /** Statements Cassandra has and Strata does not parse, for a clearer error than a bare "no viable alternative". */
    static final Set<String> UNSUPPORTED_STATEMENTS = Set.of(
            "grant", "revoke", "list", "add");

    static boolean isReserved(String lowerCaseWord) {
        return RESERVED.contains(lowerCaseWord);
    }
}
