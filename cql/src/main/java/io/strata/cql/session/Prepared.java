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
        RowsMetadata variables, WireColumns result) {
    Prepared {
        requireNonNull(id, "id is null");
        requireNonNull(parsed, "parsed is null");
        requireNonNull(analyzed, "analyzed is null");
        requireNonNull(variables, "variables is null");
        requireNonNull(result, "result is null");
    }

    /** A rough size in bytes, for the cache's byte budget. */
    long weight() {
        return 256L + query.length() * 4L;
    }

    /** The PREPARED result message the client receives. */
    com.datastax.oss.protocol.internal.response.result.Prepared message() {
        RowsMetadata resultMetadata = result.specs().isEmpty() ? new RowsMetadata(0, null, null, null)
                : new RowsMetadata(result.specs(), null, null, null);
        return new com.datastax.oss.protocol.internal.response.result.Prepared(id, result.metadataId(), variables,
                resultMetadata);
    }
}
