package io.strata.bench.jmh;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.result.Prepared;
import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.CqlRequestHandler;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.system.NodeInfo;
import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.core.TenantContext;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request path below the transport: the CQL request handler on a real local engine (three zone
 * directories, every write forced). {@code prepare*} re-prepares a known statement (answered from the
 * prepared-statement cache while its table is unchanged, as Cassandra does); {@code prepareNew*} prepares a
 * statement never seen (parse + analysis + caching: its text varies by a LIMIT); the
 * {@code execute*} benchmarks run a prepared statement the way a driver's EXECUTE does (no parsing);
 * {@code queryUnprepared} is the QUERY path (parse, plan, execute). A single thread: an insert's time is
 * dominated by its group commit's fsyncs, which concurrent writers share (see the load tool for throughput).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CqlExecuteBenchmark {
    private static final String SELECT = "SELECT id, name, city, score FROM b.kv WHERE id = ?";
    private static final String INSERT = "INSERT INTO b.kv (id, name, city, score) VALUES (?, ?, ?, ?)";

    private Path dir;
    private StorageEngine engine;
    private CqlRequestHandler handler;
    private ClientState session;
    private Prepared select;
    private Prepared insert;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("execute-bench");
        engine = TestEngines.localZones(dir, Clock.systemUTC());
        NodeInfo node = new NodeInfo("Bench", "datacenter1", "rack1", UUID.randomUUID(), InetAddress.getLoopbackAddress(),
                9042, "5.0.9", List.of(Long.toString(Long.MIN_VALUE)));
        handler = CqlRequestHandler.assemble(engine, new SchemaService(engine, new LocalSchemaEvents()), () -> node,
                Clock.systemUTC(), 1000, List.of());
        session = new ClientState(new TenantContext("bench", "bench"), 5);
        run(new Query("CREATE KEYSPACE b WITH replication = {'class': 'SingleRegionStrategy'}"));
        run(new Query("CREATE TABLE b.kv (id bigint PRIMARY KEY, name text, city text, score int)"));
        select = (Prepared) run(new Prepare(SELECT));
        insert = (Prepared) run(new Prepare(INSERT));
        for (long i = 0; i < 10_000; i++) {
            run(new Execute(insert.preparedQueryId, options(insertValues(i))));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private Message run(Message request) {
        // the transport subscribes and continues asynchronously; the benchmark's thread has to wait
        Message m = handler.handle(session, new RequestHandler.Request(request, false)).subscribeAsCompletionStage()
                .join().message();
        if (m instanceof com.datastax.oss.protocol.internal.response.Error e) {
            throw new IllegalStateException(e.message);
        }
        return m;
    }

    private static QueryOptions options(List<ByteBuffer> values) {
        return new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_QUORUM, values, Map.of(), false, -1, null,
                ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
    }

    private static List<ByteBuffer> insertValues(long id) {
        return List.of(ByteBuffer.allocate(8).putLong(0, id), utf8("name-" + id), utf8("city"),
                ByteBuffer.allocate(4).putInt(0, (int) id));
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Benchmark
    public Message prepareSelect() {
        return run(new Prepare(SELECT));
    }

    @Benchmark
    public Message prepareNewSelect() {
        return run(new Prepare(SELECT + " LIMIT " + (1 + counter++ % 1_000_000)));
    }

    @Benchmark
    public Message prepareInsert() {
        return run(new Prepare(INSERT));
    }

    @Benchmark
    public Message executeSelect() {
        long id = counter++ % 10_000;
        return run(new Execute(select.preparedQueryId, options(List.of(ByteBuffer.allocate(8).putLong(0, id)))));
    }

    @Benchmark
    public Message executeInsert() {
        return run(new Execute(insert.preparedQueryId, options(insertValues(counter++ % 10_000))));
    }

    @Benchmark
    public Message queryUnpreparedSelect() {
        return run(new Query("SELECT id, name, city, score FROM b.kv WHERE id = " + (counter++ % 10_000)));
    }
}
