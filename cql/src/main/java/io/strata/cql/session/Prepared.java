package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.plan.Analyzed;

/**
 * A prepared statement: its id, text, keyspace, the parsed statement and what analysis produced against
 * the schema of the time (a schema change to its table invalidates it, as in Cassandra). Immutable.
 */
record Prepared(byte[] id, String query, String keyspace, ParsedStatement parsed, Analyzed analyzed) {
    Prepared {
        requireNonNull(id, "id is null");
        requireNonNull(parsed, "parsed is null");
        requireNonNull(analyzed, "analyzed is null");
    }

    /** A rough size in bytes, for the cache's byte budget. */
    long weight() {
        return 256L + query.length() * 4L;
    }
}
