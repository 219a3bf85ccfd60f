package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.QueryTrace;
import com.datastax.oss.driver.api.core.cql.TraceEvent;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.AlreadyExistsException;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton as a new user meets it, through the real Java driver 4.19.3 with its default
 * configuration (schema metadata and token map on): connect with the dev token, DDL, 10,000 prepared
 * inserts, paged reads, graceful restart and kill -9, every row read back; wrong tokens refused; tenant
 * isolation. One gateway process for the class; tests run in order and build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestJavaDriverEndToEnd {
    static final int ROWS = 10_000;
    static final int TIMELINE_ROWS = 2_500;

    @TempDir
    static Path tmp;

    static GatewayProcess gateway;
    static CqlSession session;

    @BeforeAll
    static void startGateway() {
        gateway = new GatewayProcess(tmp.resolve("data"), Map.of()).start();
        session = connect(gateway.devToken());
    }

    @AfterAll
    static void stopGateway() {
        if (session != null) {
            session.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static CqlSession connect(String token) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", token)
                .build();
    }

    @Test
    @Order(1)
    void connectsWithDefaultDriverConfigAndNegotiatesV5() {
        assertThat(session.getContext().getProtocolVersion()).isEqualTo(ProtocolVersion.V5);
        Row local = session.execute("SELECT release_version, partitioner, data_center FROM system.local").one();
        assertThat(local.getString("partitioner")).isEqualTo("org.apache.cassandra.dht.Murmur3Partitioner");
        assertThat(local.getString("data_center")).isEqualTo("datacenter1");
        assertThat(session.getMetadata().getNodes()).hasSize(1);
        assertThat(session.getMetadata().getTokenMap()).isPresent();
    }

    @Test
    @Order(2)
    void ddlCreatesKeyspacesAndTablesVisibleInDriverMetadata() {
        session.execute("CREATE KEYSPACE app WITH replication = {'class': 'SingleRegionStrategy'}");
        assertThatThrownBy(() -> session.execute("CREATE KEYSPACE app WITH replication = {'class': 'SingleRegionStrategy'}"))
                .isInstanceOf(AlreadyExistsException.class);
        session.execute("CREATE KEYSPACE IF NOT EXISTS app WITH replication = {'class': 'SingleRegionStrategy'}");
        session.execute("CREATE TABLE app.items (id int PRIMARY KEY, name text, qty bigint, price double, active boolean)");
        session.execute("CREATE TABLE app.timeline (user text, bucket int, ts timestamp, seq int, body text, "
                + "PRIMARY KEY ((user, bucket), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC) AND comment = 'feed'");
        assertThatThrownBy(() -> session.execute("CREATE TABLE app.items (id int PRIMARY KEY)"))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> session.execute("CREAT TABLE app.x (id int PRIMARY KEY)"))
                .isInstanceOf(SyntaxError.class);
        assertThatThrownBy(() -> session.execute("SELECT * FROM app.nope"))
                .isInstanceOf(InvalidQueryException.class);

        session.checkSchemaAgreement();
        var ks = session.getMetadata().getKeyspace("app").orElseThrow();
        var timeline = ks.getTable("timeline").orElseThrow();
        assertThat(timeline.getPartitionKey()).extracting(c -> c.getName().asInternal()).containsExactly("user", "bucket");
        assertThat(timeline.getClusteringColumns().keySet()).extracting(c -> c.getName().asInternal())
                .containsExactly("ts", "seq");
        assertThat(ks.getTable("items").orElseThrow().getColumn("price").orElseThrow().getType().asCql(false, true))
                .isEqualTo("double");
    }

    @Test
    @Order(3)
    void tenThousandPreparedInsertsThenPagedFullScan() throws Exception {
        PreparedStatement insert = session.prepare("INSERT INTO app.items (id, name, qty, price, active) VALUES (?, ?, ?, ?, ?)");
        Semaphore inFlight = new Semaphore(128);
        List<CompletableFuture<AsyncResultSet>> futures = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            inFlight.acquire();
            CompletionStage<AsyncResultSet> f = session.executeAsync(
                    insert.bind(i, "item-" + i, (long) i * 3, i / 4.0, i % 2 == 0));
            f.whenComplete((r, e) -> inFlight.release());
            futures.add(f.toCompletableFuture());
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get();
        assertAllItems(session);
    }

    @Test
    @Order(4)
    void pagingWithinAPartitionFollowsClusteringOrder() {
        PreparedStatement insert = session.prepare(
                "INSERT INTO app.timeline (user, bucket, ts, seq, body) VALUES (?, ?, ?, ?, ?)");
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        Semaphore inFlight = new Semaphore(128);
        List<CompletableFuture<AsyncResultSet>> fs = new ArrayList<>();
        for (int i = 0; i < TIMELINE_ROWS; i++) {
            inFlight.acquireUninterruptibly();
            CompletionStage<AsyncResultSet> f = session.executeAsync(
                    insert.bind("alice", 7, base.plusSeconds(i / 2), i % 2, "post " + i));
            f.whenComplete((r, e) -> inFlight.release());
            fs.add(f.toCompletableFuture());
        }
        fs.forEach(CompletableFuture::join);
        assertTimeline(session);

        PreparedStatement slice = session.prepare(
                "SELECT seq, body FROM app.timeline WHERE user = ? AND bucket = ? AND ts >= ? AND ts < ?");
        List<Row> rows = session.execute(slice.bind("alice", 7, base.plusSeconds(10), base.plusSeconds(20))).all();
        assertThat(rows).hasSize(20);
        assertThat(rows.get(0).getString("body")).isEqualTo("post 38");
        List<Row> limited = session.execute("SELECT body FROM app.timeline WHERE user = 'alice' AND bucket = 7 LIMIT 3").all();
        assertThat(limited).extracting(r -> r.getString(0)).containsExactly("post " + (TIMELINE_ROWS - 2),
                "post " + (TIMELINE_ROWS - 1), "post " + (TIMELINE_ROWS - 4));
    }

    @Test
    @Order(5)
    void updatesDeletesAndBatches() {
        session.execute("UPDATE app.items SET name = 'renamed', qty = 1 WHERE id = 5");
        Row r = session.execute("SELECT name, qty FROM app.items WHERE id = 5").one();
        assertThat(r.getString("name")).isEqualTo("renamed");
        session.execute("UPDATE app.items SET name = 'item-5', qty = 15 WHERE id = 5");

        session.execute("INSERT INTO app.items (id, name) VALUES (-1, 'gone')");
        session.execute("DELETE FROM app.items WHERE id = -1");
        assertThat(session.execute("SELECT * FROM app.items WHERE id = -1").one()).isNull();

        PreparedStatement ins = session.prepare("INSERT INTO app.items (id, name) VALUES (?, ?)");
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
                ins.bind(-10, "a"), ins.bind(-11, "b"),
                SimpleStatement.newInstance("DELETE FROM app.items WHERE id = ?", -10));
        session.execute(batch);
        assertThat(session.execute("SELECT name FROM app.items WHERE id = -11").one().getString(0)).isEqualTo("b");
        assertThat(session.execute("SELECT name FROM app.items WHERE id = -10").one()).isNull();
        session.execute("DELETE FROM app.items WHERE id = -11");
    }

    @Test
    @Order(6)
    void everyPrimitiveTypeRoundTrips() throws Exception {
        session.execute("CREATE TABLE app.types (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, "
                + "de decimal, do double, du duration, f float, i inet, s smallint, t text, ti time, ts timestamp, "
                + "tu timeuuid, ty tinyint, u uuid, vc varchar, vi varint)");
        PreparedStatement p = session.prepare("INSERT INTO app.types (k, a, b, bl, bo, d, de, do, du, f, i, s, t, ti, ts, "
                + "tu, ty, u, vc, vi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        UUID tu = UUID.fromString("50554d6e-29bb-11e5-b345-feff819cdc9f");
        UUID u = UUID.randomUUID();
        session.execute(p.bind(1, "ascii", Long.MIN_VALUE, ByteBuffer.wrap(new byte[] {0, 1, 2}), true,
                LocalDate.of(2026, 11, 23), new BigDecimal("-12.3400"), Math.PI,
                com.datastax.oss.driver.api.core.data.CqlDuration.from("1y2mo3d4h5m6s7ms"), 1.5f,
                InetAddress.getByName("::1"), (short) -300, "tëxt ✓", LocalTime.of(13, 14, 15, 123456789),
                Instant.parse("2026-11-23T10:15:30.123Z"), tu, (byte) -7, u, "varchar", new BigInteger("123456789012345678901234567890")));
        Row r = session.execute("SELECT * FROM app.types WHERE k = 1").one();
        assertThat(r.getString("a")).isEqualTo("ascii");
        assertThat(r.getLong("b")).isEqualTo(Long.MIN_VALUE);
        assertThat(r.getByteBuffer("bl")).isEqualTo(ByteBuffer.wrap(new byte[] {0, 1, 2}));
        assertThat(r.getBoolean("bo")).isTrue();
        assertThat(r.getLocalDate("d")).isEqualTo(LocalDate.of(2026, 11, 23));
        assertThat(r.getBigDecimal("de")).isEqualTo(new BigDecimal("-12.3400"));
        assertThat(r.getDouble("do")).isEqualTo(Math.PI);
        assertThat(r.getCqlDuration("du").toString()).isEqualTo("1y2mo3d4h5m6s7ms");
        assertThat(r.getFloat("f")).isEqualTo(1.5f);
        assertThat(r.getInetAddress("i")).isEqualTo(InetAddress.getByName("::1"));
        assertThat(r.getShort("s")).isEqualTo((short) -300);
        assertThat(r.getString("t")).isEqualTo("tëxt ✓");
        assertThat(r.getLocalTime("ti")).isEqualTo(LocalTime.of(13, 14, 15, 123456789));
        assertThat(r.getInstant("ts")).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
        assertThat(r.getUuid("tu")).isEqualTo(tu);
        assertThat(r.getByte("ty")).isEqualTo((byte) -7);
        assertThat(r.getUuid("u")).isEqualTo(u);
        assertThat(r.getString("vc")).isEqualTo("varchar");
        assertThat(r.getBigInteger("vi")).isEqualTo(new BigInteger("123456789012345678901234567890"));

        session.execute("INSERT INTO app.types (k, a, b, bl, bo, d, de, do, du, f, i, s, t, ti, ts, tu, ty, u, vc, vi) VALUES "
                + "(2, 'x', -5, 0xcafe, false, '2000-01-01', 1.5e3, -0.25, 3h, NaN, '10.0.0.1', 7, 'y', '08:00:00', "
                + "'2000-01-01 12:00:00+0000', 50554d6e-29bb-11e5-b345-feff819cdc9f, 1, " + u + ", 'z', -1)");
        Row l = session.execute("SELECT * FROM app.types WHERE k = 2").one();
        assertThat(l.getByteBuffer("bl")).isEqualTo(ByteBuffer.wrap(new byte[] {(byte) 0xca, (byte) 0xfe}));
        assertThat(l.getLocalDate("d")).isEqualTo(LocalDate.of(2000, 1, 1));
        assertThat(l.getBigDecimal("de")).isEqualByComparingTo(new BigDecimal("1500"));
        assertThat(l.getFloat("f")).isNaN();
        assertThat(l.getInstant("ts")).isEqualTo(Instant.parse("2000-01-01T12:00:00Z"));
        assertThat(l.getCqlDuration("du").toString()).isEqualTo("3h");
        assertThat(l.getBigInteger("vi")).isEqualTo(BigInteger.ONE.negate());

        assertThatThrownBy(() -> session.execute("INSERT INTO app.types (k, b) VALUES (3, 'notanumber')"))
                .isInstanceOf(InvalidQueryException.class);
    }

    @Test
    @Order(7)
    void everyAcknowledgedRowSurvivesGracefulRestartAndKill9() {
        session.close();
        gateway.stop();
        gateway.start();
        session = connect(gateway.devToken());
        assertAllItems(session);
        assertTimeline(session);

        // Acknowledged writes after the restart, then kill -9: nothing flushed, recovery from the commit log.
        PreparedStatement insert = session.prepare("INSERT INTO app.items (id, name, qty, price, active) VALUES (?, ?, ?, ?, ?)");
        for (int i = ROWS; i < ROWS + 500; i++) {
            session.execute(insert.bind(i, "item-" + i, (long) i * 3, i / 4.0, i % 2 == 0));
        }
        session.close();
        gateway.kill();
        gateway.start();
        session = connect(gateway.devToken());
        assertThat(countRows(session, "SELECT id FROM app.items", 1000)).isEqualTo(ROWS + 500);
        for (int i = ROWS; i < ROWS + 500; i++) {
            session.execute("DELETE FROM app.items WHERE id = " + i);
        }
        assertAllItems(session);
    }

    @Test
    @Order(8)
    void wrongTokensAreRefused() {
        assertThatThrownBy(() -> connect("not-a-jwt").close())
                .isInstanceOf(AllNodesFailedException.class)
                .satisfies(e -> assertThat(authErrors((AllNodesFailedException) e)).isTrue());
        String forged = Tokens.mintWithFreshKey("dev", "mallory", Duration.ofHours(1));
        assertThatThrownBy(() -> connect(forged).close()).isInstanceOf(AllNodesFailedException.class);
        String expired = Tokens.mint(gateway.dataDir(), "dev", "dev", Duration.ofSeconds(-120));
        assertThatThrownBy(() -> connect(expired).close()).isInstanceOf(AllNodesFailedException.class);
    }

    @Test
    @Order(9)
    void tenantsAreIsolatedNamespaces() {
        String acme = Tokens.mint(gateway.createTenant("acme").dataDir(), "acme", "ops", Duration.ofHours(1));
        try (CqlSession b = connect(acme)) {
            Set<String> keyspaces = new HashSet<>();
            b.execute("SELECT keyspace_name FROM system_schema.keyspaces").forEach(r -> keyspaces.add(r.getString(0)));
            assertThat(keyspaces).doesNotContain("app").contains("system", "system_schema");
            assertThat(b.getMetadata().getKeyspace("app")).isEmpty();
            assertThatThrownBy(() -> b.execute("SELECT * FROM app.items WHERE id = 1"))
                    .isInstanceOf(InvalidQueryException.class);
            // The same name in another tenant is another keyspace.
            b.execute("CREATE KEYSPACE app WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}");
            b.execute("CREATE TABLE app.items (id int PRIMARY KEY, owner text)");
            b.execute("INSERT INTO app.items (id, owner) VALUES (1, 'acme')");
            assertThat(b.execute("SELECT owner FROM app.items WHERE id = 1").one().getString(0)).isEqualTo("acme");
            assertThat(countRows(b, "SELECT id FROM app.items", 100)).isEqualTo(1);
        }
        assertThat(session.execute("SELECT name FROM app.items WHERE id = 1").one().getString(0)).isEqualTo("item-1");
        assertAllItems(session);
    }

    @Test
    @Order(10)
    void protocolV4IsAlsoSpoken() {
        DriverConfigLoader v4 = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.PROTOCOL_VERSION, "V4").build();
        try (CqlSession s = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", gateway.devToken())
                .withConfigLoader(v4)
                .withKeyspace(CqlIdentifier.fromCql("app"))
                .build()) {
            assertThat(s.getContext().getProtocolVersion()).isEqualTo(ProtocolVersion.V4);
            assertThat(s.execute("SELECT name FROM items WHERE id = 42").one().getString(0)).isEqualTo("item-42");
        }
    }

    @Test
    @Order(11)
    void lightweightTransactionsReportAppliedThroughTheDriver() {
        session.execute("CREATE TABLE app.locks (name text PRIMARY KEY, owner text)");
        PreparedStatement acquire = session.prepare("INSERT INTO app.locks (name, owner) VALUES (?, ?) IF NOT EXISTS");
        assertThat(session.execute(acquire.bind("job", "a")).wasApplied()).isTrue();
        ResultSet lost = session.execute(acquire.bind("job", "b"));
        assertThat(lost.wasApplied()).isFalse();
        assertThat(lost.one().getString("owner")).isEqualTo("a");
        assertThat(session.execute("UPDATE app.locks SET owner = 'b' WHERE name = 'job' IF owner = 'a'").wasApplied()).isTrue();
        assertThat(session.execute("DELETE FROM app.locks WHERE name = 'job' IF owner = 'a'").wasApplied()).isFalse();
    }

    @Test
    @Order(12)
    void tracingShowsTheStagesOfARequest() {
        ResultSet traced = session.execute(SimpleStatement.newInstance("SELECT name FROM app.items WHERE id = 7")
                .setTracing(true));
        QueryTrace trace = traced.getExecutionInfo().getQueryTrace();
        assertThat(trace.getDurationMicros()).isPositive();
        assertThat(trace.getParameters()).containsEntry("query", "SELECT name FROM app.items WHERE id = 7");
        List<String> activities = trace.getEvents().stream().map(TraceEvent::getActivity).toList();
        assertThat(activities).anyMatch(a -> a.startsWith("Parsing SELECT name FROM app.items"))
                .contains("Preparing statement").anyMatch(a -> a.startsWith("Reading one partition of app.items"))
                .anyMatch(a -> a.startsWith("Read 1 rows"));
        ResultSet write = session.execute(SimpleStatement.newInstance(
                "INSERT INTO app.items (id, name) VALUES (7, 'item-7')").setTracing(true));
        assertThat(write.getExecutionInfo().getQueryTrace().getEvents().stream().map(TraceEvent::getActivity))
                .anyMatch(a -> a.startsWith("Appending 1 partition update(s) to the commit log"));
        // Traces belong to their tenant: another tenant's session sees none of them.
        try (CqlSession other = connect(Tokens.mint(gateway.createTenant("tracing-other").dataDir(), "tracing-other", "ops",
                Duration.ofHours(1)))) {
            assertThat(other.execute("SELECT session_id FROM system_traces.sessions").all()).isEmpty();
        }
    }

    @Test
    @Order(13)
    void warningsAndLimitsReachTheDriver() {
        ResultSet counted = session.execute("SELECT count(*) FROM app.items");
        assertThat(counted.getExecutionInfo().getWarnings()).contains("Aggregation query used without partition key");
        // Deeply nested expressions are refused with a syntax error, not a server error (stack exhaustion).
        String nested = "(".repeat(100) + "1" + ")".repeat(100);
        assertThatThrownBy(() -> session.execute("SELECT * FROM app.items WHERE id = " + nested))
                .isInstanceOf(SyntaxError.class).hasMessageContaining("nests terms, selectors or types more than");
    }

    static boolean authErrors(AllNodesFailedException e) {
        return e.getAllErrors().values().stream().flatMap(List::stream)
                .anyMatch(t -> t instanceof AuthenticationException);
    }

    static void assertAllItems(CqlSession s) {
        ResultSet rs = s.execute(SimpleStatement.newInstance("SELECT id, name, qty, price, active FROM app.items")
                .setPageSize(777));
        boolean[] seen = new boolean[ROWS];
        int n = 0;
        long lastToken = Long.MIN_VALUE;
        for (Row r : rs) {
            int id = r.getInt("id");
            assertThat(id).isBetween(0, ROWS - 1);
            assertThat(seen[id]).as("row %d returned twice", id).isFalse();
            seen[id] = true;
            assertThat(r.getString("name")).isEqualTo("item-" + id);
            assertThat(r.getLong("qty")).isEqualTo(id * 3L);
            assertThat(r.getDouble("price")).isEqualTo(id / 4.0);
            assertThat(r.getBoolean("active")).isEqualTo(id % 2 == 0);
            n++;
        }
        assertThat(n).isEqualTo(ROWS);
    }

    static void assertTimeline(CqlSession s) {
        ResultSet rs = s.execute(SimpleStatement.newInstance(
                "SELECT ts, seq, body FROM app.timeline WHERE user = 'alice' AND bucket = 7").setPageSize(100));
        Instant prevTs = null;
        int prevSeq = -1;
        int n = 0;
        for (Row r : rs) {
            Instant ts = r.getInstant("ts");
            int seq = r.getInt("seq");
            if (prevTs != null) {
                assertThat(ts.isBefore(prevTs) || (ts.equals(prevTs) && seq > prevSeq))
                        .as("DESC ts then ASC seq at row %d", n).isTrue();
            }
            prevTs = ts;
            prevSeq = seq;
            n++;
        }
        assertThat(n).isEqualTo(TIMELINE_ROWS);
    }

    static int countRows(CqlSession s, String query, int pageSize) {
        int n = 0;
        for (Row ignored : s.execute(SimpleStatement.newInstance(query).setPageSize(pageSize))) {
            n++;
        }
        return n;
    }
}
