package io.strata.cql.exec;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import io.strata.cql.ast.Statement;
import io.strata.cql.schema.TableMetadata;
import java.util.List;

/**
 * A prepared statement: the parsed AST and, for DML on a stored table, the analysed plan and the table
 * version it was analysed against (a schema change to that table invalidates it, as in Cassandra).
 * Immutable.
 */
record Prepared(
        byte[] id,
        String query,
        String keyspace,
        Statement statement,
        Analyzed analyzed,
        List<ColumnSpec> variables,
        int[] partitionKeyIndexes) {

    /** What analysis produced: a plan for a stored table (with the table it was analysed against), or nothing. */
    record Analyzed(TableMetadata table, Object plan, List<ColumnSpec> resultColumns) {}
}
