package io.strata.cql.testing;

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
import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.CqlRequestHandler;
import io.strata.cql.session.PagingKey;
import io.strata.cql.session.PreparedCacheLimits;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.system.NodeInfo;
import io.strata.cql.types.DataType;
import io.strata.cql.types.TypedValues;
import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.core.TenantContext;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The whole CQL request path (session, analysis, executors) on a real storage engine in a temporary
 * directory, without the network: messages in, messages out, with helpers to run CQL and render results.
 * Shared by the CQL module's tests (and benchmarks' setups) instead of each building its own stack.
 */
public final class CqlFixture implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    public static final NodeInfo NODE = new NodeInfo("Test", "datacenter1", "rack1", UUID.randomUUID(),
            InetAddress.getLoopbackAddress(), 9042, "5.0.9", List.of(Long.toString(Long.MIN_VALUE)));

    public StorageEngine engine;
    public SchemaService schemas;
    public CqlRequestHandler handler;
    public ClientState session;

    /**
     * For {@code @RegisterExtension}: a fresh stack on an in-memory engine before each test, with keyspace
     * {@code ks} created and in use by tenant {@code dev}, closed after it.
     */
    public CqlFixture() {}

    /** A stack opened now (close it), as {@link #CqlFixture()} opens one per test. */
    public static CqlFixture open() {
        CqlFixture f = new CqlFixture();
        f.start();
        return f;
    }

    /** A stack opened now (close it) with the given paging key and prepared-statement budgets. */
    public static CqlFixture open(PagingKey pagingKey, PreparedCacheLimits limits) {
        CqlFixture f = new CqlFixture();
        f.pagingKey = pagingKey;
        f.limits = limits;
        f.start();
        return f;
    }

    /** A stack opened now (close it) whose storage encrypts at rest with {@code keys}. */
    public static CqlFixture open(io.strata.storage.spi.crypto.KeyProvider keys) {
        CqlFixture f = new CqlFixture();
        f.keys = keys;
        f.start();
        return f;
    }

    /**
     * A stack opened now (close it) whose engine and schema service run on {@code clock} (the schema history, the
     * recovery window), with the given restore options.
     */
    public static CqlFixture open(Clock clock, io.strata.cql.schema.Restores.Options restores) {
        CqlFixture f = new CqlFixture();
        f.clock = clock;
        f.restoreOptions = restores;
        f.start();
        return f;
    }

    private PagingKey pagingKey;
    private PreparedCacheLimits limits;
    private io.strata.storage.spi.crypto.KeyProvider keys;
    private Clock clock = Clock.systemUTC();
    private io.strata.cql.schema.Restores.Options restoreOptions = io.strata.cql.schema.Restores.Options.DEFAULT;

    private void start() {
        engine = keys == null ? TestEngines.inMemory(clock) : TestEngines.inMemory(keys, clock);
        schemas = new SchemaService(engine, new LocalSchemaEvents(), clock, restoreOptions);
        handler = pagingKey == null
                ? CqlRequestHandler.assemble(engine, schemas, () -> NODE, clock, 1000, List.of())
                : CqlRequestHandler.assemble(engine, schemas, () -> NODE, clock, List.of(), pagingKey, limits);
        session = new ClientState(new TenantContext("dev", "dev"), 5);
        ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
        ok("USE ks");
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /**
     * A storage engine on three local zone directories under {@code dir} (real fsyncs), for tests that restart
     * on the same data; the fixture itself runs on an in-memory engine.
     */
    public static StorageEngine openEngine(Path dir) {
        return TestEngines.localZones(dir, Clock.systemUTC());
    }

    public static CqlRequestHandler handler(StorageEngine engine) {
        return CqlRequestHandler.assemble(engine, new SchemaService(engine, new LocalSchemaEvents()), () -> NODE,
                Clock.systemUTC(), 1000, List.of());
    }

    public static CqlRequestHandler handler(StorageEngine engine, PagingKey pagingKey, PreparedCacheLimits limits) {
        return CqlRequestHandler.assemble(engine, new SchemaService(engine, new LocalSchemaEvents()), () -> NODE,
                Clock.systemUTC(), List.of(), pagingKey, limits);
    }

    /** Sends one request as {@code state} and waits for the response message. */
    public static Message send(RequestHandler handler, ClientState state, Message request) {
        return handler.handle(state, new RequestHandler.Request(request, false)).await().indefinitely().message();
    }

    public Message send(Message request) {
        return send(handler, session, request);
    }

    public Message run(String cql) {
        return send(new Query(cql));
    }

    public Message run(String cql, List<ByteBuffer> values) {
        QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, values, Map.of(), false,
                -1, null, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        return send(new Query(cql, o));
    }

    public Prepared prepare(String cql) {
        Message m = send(new Prepare(cql));
        assertThat(m).as("%s", m).isInstanceOf(Prepared.class);
        return (Prepared) m;
    }

    public Message execute(Prepared p, List<ByteBuffer> values) {
        QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, values, Map.of(), false,
                -1, null, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        return send(new Execute(p.preparedQueryId, o));
    }

    public Message batch(byte type, List<Object> queries) {
        List<List<ByteBuffer>> values = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            values.add(List.of());
        }
        return send(new Batch(type, queries, values, ProtocolConstants.ConsistencyLevel.LOCAL_ONE,
                ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS));
    }

    public void ok(String cql) {
        Message m = run(cql);
        assertThat(m).as("%s -> %s", cql, m).isNotInstanceOf(Error.class);
    }

    /** The error's message after checking its code is INVALID. */
    public String invalid(String cql) {
        Message m = run(cql);
        assertThat(m).as("%s", cql).isInstanceOf(Error.class);
        assertThat(((Error) m).code).as("%s -> %s", cql, m).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
        return ((Error) m).message;
    }

    /** Rows rendered as CQL literals, typed by the result metadata's column specs resolved by the caller. */
    public static List<List<String>> rows(Message m, DataType... types) {
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

    /** The custom_properties of table {@code ks.<table>} in system_schema_mcs, rendered as text. */
    public String customProperties(String table) {
        io.strata.cql.types.DataType custom = new io.strata.cql.types.CollectionType(
                io.strata.cql.types.CollectionType.Kind.MAP, io.strata.cql.types.NativeType.TEXT,
                new io.strata.cql.types.CollectionType(io.strata.cql.types.CollectionType.Kind.MAP,
                        io.strata.cql.types.NativeType.TEXT, io.strata.cql.types.NativeType.TEXT, true), false);
        return rows(run("SELECT custom_properties FROM system_schema_mcs.tables WHERE keyspace_name = 'ks'"
                + " AND table_name = '" + table + "'"), custom).get(0).get(0);
    }

    public static List<String> columnNames(Message m) {
        List<String> names = new ArrayList<>();
        for (ColumnSpec c : ((DefaultRows) m).getMetadata().columnSpecs) {
            names.add(c.name);
        }
        return names;
    }

    public static List<String> row(String... values) {
        return Arrays.asList(values);
    }

    @Override
    public void close() {
        engine.close();
    }
}
