package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import io.strata.cql.request.ResultColumn;
import java.util.List;

/**
 * Result columns in their wire form: the column specs and their protocol v5 metadata id (an MD5 over them).
 * A prepared statement computes them once, so executing it does not rebuild specs or digest them on every
 * page. Immutable.
 */
record WireColumns(List<ResultColumn> columns, List<ColumnSpec> specs, byte[] metadataId) {
    WireColumns {
        columns = List.copyOf(columns);
        specs = List.copyOf(specs);
        requireNonNull(metadataId, "metadataId is null");
    }

    static WireColumns of(List<ResultColumn> columns) {
        List<ColumnSpec> specs = WireMessages.specs(columns);
        return new WireColumns(columns, specs, WireMessages.metadataId(specs));
    }

    /** These columns in wire form if they are {@code columns}, else computed afresh. */
    WireColumns orFor(List<ResultColumn> actual) {
        return actual == columns || actual.equals(columns) ? this : of(actual);
    }
}
