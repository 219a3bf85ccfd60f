package io.strata.cql.parse;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.ParsedStatement;

/**
 * Parses one CQL statement (the Cassandra 4/5 dialect of the statements Strata supports) into the typed
 * AST of {@code io.strata.cql.ast}. Parsing is purely syntactic: names are not resolved and types are not
 * checked; that is the analyzer's job.
 *
 * <p>Accepted: SELECT (JSON, DISTINCT, aliases, functions, casts, element/slice selection, WHERE with
 * single-column, multi-column, token and map-element relations, GROUP BY, ORDER BY, PER PARTITION LIMIT,
 * LIMIT, ALLOW FILTERING), INSERT (VALUES or JSON), UPDATE, DELETE, BATCH, USE, TRUNCATE, CREATE/ALTER/DROP
 * KEYSPACE, TABLE and TYPE, CREATE/DROP INDEX, and DESCRIBE. A trailing ';' is optional.
 *
 * <p>Stateless and thread-safe.
 */
public final class CqlParser {
    private CqlParser() {}

    /**
     * Parses {@code cql}.
     *
     * @throws CqlSyntaxException if the text is not one valid statement; its message names the position
     *     (line:column) and the offending token, like Cassandra's
     */
    public static ParsedStatement parse(String cql) {
        requireNonNull(cql, "cql is null");
        return new Parser(cql).parseStatement();
    }

    /**
     * How many tokens {@code cql} has, in constant memory: a measure of how large the parsed statement will
     * be (each token becomes AST and plan nodes), for budgets checked before parsing.
     *
     * @throws CqlSyntaxException if the text does not even tokenize
     */
    public static int tokenCount(String cql) {
        requireNonNull(cql, "cql is null");
        return Lexer.count(cql);
    }
}
