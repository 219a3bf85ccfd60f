package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.plan.Analyzed;

/**
 * A prepared statement: its id, text, keyspace, the parsed statement and what analysis produced against
 * the schema of the time (a schema change to its table invalidates it, as in Cassandra), with its bound
 * variables' and result columns' wire form. Immutable.
 */
record Prepared(byte[] id, String query, String keyspace, ParsedStatement parsed, Analyzed analyzed,
        RowsMetadata variables, WireColumns result, byte[] scope, long weight) {
    Prepared {
        requireNonNull(query, "query is null");
        requireNonNull(scope, "scope is null");
        requireNonNull(id, "id is null");
        requireNonNull(parsed, "parsed is null");
        requireNonNull(analyzed, "analyzed is null");
        requireNonNull(variables, "variables is null");
        requireNonNull(result, "result is null");
    }

    // Factors from heap measurements of statements of 1 KiB, 64 KiB and 1 MiB (TestPreparedStatementBudgets,
    // docs/security-cql.md), text included: per character 2.5 (blob literal) to 4 (non-Latin-1 literal, whose
    // text Java holds in UTF-16), per token 61 (IN values) to 113 (selectors), about 500 bytes for any
    // statement. Each factor is rounded up, so the estimate is about 1.1 to 2.8 times what a statement retains.
    /** Estimated heap a statement retains whatever its size. */
    static final long BASE_BYTES = 1024;
    /** Estimated heap per character of text: the text itself and the literals' copies in AST and plan. */
    static final long BYTES_PER_CHAR = 6;
    /** Estimated heap per token: the AST and plan nodes (terms, selectors, relations) a token becomes. */
    static final long BYTES_PER_TOKEN = 120;

    /**
     * An estimate of the heap a prepared statement of {@code chars} characters and {@code tokens} tokens
     * retains; see docs/security-cql.md for the measurements behind the factors.
     */
    static long estimateWeight(int chars, int tokens) {
        return BASE_BYTES + BYTES_PER_CHAR * chars + BYTES_PER_TOKEN * tokens;
    }

    /** The PREPARED result message the client receives. */
    com.datastax.oss.protocol.internal.response.result.Prepared message() {
        RowsMetadata resultMetadata = result.specs().isEmpty() ? new RowsMetadata(0, null, null, null)
                : new RowsMetadata(result.specs(), null, null, null);
        return new com.datastax.oss.protocol.internal.response.result.Prepared(id, result.metadataId(), variables,
                resultMetadata);
    }
}
