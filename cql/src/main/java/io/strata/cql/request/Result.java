package io.strata.cql.request;

import static java.util.Objects.requireNonNull;

import io.strata.cql.schema.SchemaEvent;
import java.nio.ByteBuffer;
import java.util.List;

/** What a statement answers, before the session puts it on the wire. Immutable. */
public sealed interface Result {
    /** Nothing to return (writes, TRUNCATE, no-op DDL). */
    Void VOID = new Void();

    record Void() implements Result {}

    /**
     * Rows: the columns, the rows (values serialized as in the protocol, null for CQL null) and, when more
     * rows follow, the state to resume from.
     */
    record Rows(List<ResultColumn> columns, List<List<ByteBuffer>> rows, byte[] pagingState) implements Result {
        public Rows {
            columns = List.copyOf(columns);
            requireNonNull(rows, "rows is null");
        }
    }

    /** {@code USE ks} succeeded. */
    record SetKeyspace(String keyspace) implements Result {}

    /** A DDL statement changed the schema. */
    record SchemaChanged(SchemaEvent event) implements Result {}
}
