package io.strata.cql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Batch;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Prepared;
import io.strata.cql.server.ClientState;
import io.strata.cql.server.LocalSchemaEvents;
import io.strata.cql.system.NodeInfo;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.types.DataType;
import io.strata.cql.types.TypedValues;
import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.TenantContext;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A request handler on a real local engine in a temp dir, with helpers to run CQL and render results. */
final class CqlFixture implements AutoCloseable {
    final StorageEngine engine;
    final CqlRequestHandler handler;
    final ClientState session;

    CqlFixture(Path dir) {
        engine = TestEngines.inMemory(Clock.systemUTC());
        NodeInfo node = new NodeInfo("Test", "datacenter1", "rack1", UUID.randomUUID(), InetAddress.getLoopbackAddress(),
                9042, "4.0.11", List.of(Long.toString(Long.MIN_VALUE)));
        handler = new CqlRequestHandler(engine, new SchemaService(engine, new LocalSchemaEvents()), new SystemKeyspaces(node),
                Clock.systemUTC(), 1000);
        session = new ClientState(new TenantContext("dev", "dev"), 5);
        ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
        ok("USE ks");
    }

    Message run(String cql) {
        return handler.handle(session, new Query(cql)).toCompletableFuture().join();
    }

    Message run(String cql, List<ByteBuffer> values) {
        QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, values, Map.of(), false,
                -1, null, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        return handler.handle(session, new Query(cql, o)).toCompletableFuture().join();
    }

    Prepared prepare(String cql) {
        Message m = handler.handle(session, new Prepare(cql)).toCompletableFuture().join();
        assertThat(m).as("%s", m).isInstanceOf(Prepared.class);
        return (Prepared) m;
    }

    Message execute(Prepared p, List<ByteBuffer> values) {
        QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, values, Map.of(), false,
                -1, null, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        return handler.handle(session, new Execute(p.preparedQueryId, o)).toCompletableFuture().join();
    }

    Message batch(byte type, List<Object> queries) {
        List<List<ByteBuffer>> values = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            values.add(List.of());
        }
        return handler.handle(session, new Batch(type, queries, values, ProtocolConstants.ConsistencyLevel.LOCAL_ONE,
                ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS)).toCompletableFuture().join();
    }

    void ok(String cql) {
        Message m = run(cql);
        assertThat(m).as("%s -> %s", cql, m).isNotInstanceOf(Error.class);
    }

    /** The error's message after checking its code is INVALID. */
    String invalid(String cql) {
        Message m = run(cql);
        assertThat(m).as("%s", cql).isInstanceOf(Error.class);
        assertThat(((Error) m).code).as("%s -> %s", cql, m).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
        return ((Error) m).message;
    }

    /** Rows rendered as CQL literals, typed by the result metadata's column specs resolved by the caller. */
    static List<List<String>> rows(Message m, DataType... types) {
        assertThat(m).as("%s", m).isInstanceOf(DefaultRows.class);
        List<List<String>> out = new ArrayList<>();
        for (List<ByteBuffer> row : ((DefaultRows) m).getData()) {
            List<String> r = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                ByteBuffer b = row.get(i);
                if (b == null) {
                    r.add(null);
                    continue;
                }
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                r.add(TypedValues.toCql(types[i], bytes));
            }
            out.add(r);
        }
        return out;
    }

    static List<String> columnNames(Message m) {
        List<String> names = new ArrayList<>();
        for (ColumnSpec c : ((DefaultRows) m).getMetadata().columnSpecs) {
            names.add(c.name);
        }
        return names;
    }

    static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    @Override
    public void close() {
        engine.close();
    }
}
