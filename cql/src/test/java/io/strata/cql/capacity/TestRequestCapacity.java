package io.strata.cql.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Batch;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import io.smallrye.mutiny.Uni;
import io.strata.cql.exec.PlanGuard;
import io.strata.cql.plan.Plan;
import io.strata.cql.request.Consistency;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.RequestUsage;
import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.CqlRequestHandler;
import io.strata.cql.testing.CqlFixture;
import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.core.TenantContext;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Capacity units of whole requests, through the real request path on an in-memory engine: each statement's
 * {@link RequestUsage} as a plan guard sees it once the request ran.
 *
 * <p>Table {@code t (pk int, ck int, v blob, w int, PRIMARY KEY (pk, ck))}: with single-digit keys, a row
 * writing only {@code v} is pk 8 B (2 B x 2 + 1 B id + 3 B) + ck 6 B (2 B x 2 + 1 B + 1 B id) + v (N B + 1 B id
 * + 20 B client timestamp) = N + 35 B.
 */
class TestRequestCapacity {
    private static final int ROW_OVERHEAD = 35;

    /** Remembers the last request's context, once it completed. */
    static final class Capture implements PlanGuard {
        volatile RequestContext last;

        @Override
        public String name() {
            return "capacity capture";
        }

        @Override
        public Uni<Void> check(RequestContext context, Plan plan) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public void completed(RequestContext context, Plan plan, Throwable failure) {
            last = context;
        }
    }

    private final Capture capture = new Capture();
    private StorageEngine engine;
    private CqlRequestHandler handler;
    private ClientState session;

    @BeforeEach
    void start() {
        engine = TestEngines.inMemory(Clock.systemUTC());
        handler = CqlRequestHandler.assemble(engine, new SchemaService(engine, new LocalSchemaEvents()), () -> CqlFixture.NODE,
                Clock.systemUTC(), 1000, List.of(capture));
        session = new ClientState(new TenantContext("dev", "dev"), 5);
        ok("CREATE KEYSPACE ks WITH replication = {'class': 'SingleRegionStrategy'}", Consistency.LOCAL_QUORUM);
        ok("USE ks", Consistency.LOCAL_QUORUM);
        ok("CREATE TABLE t (pk int, ck int, v blob, w int, s int static, PRIMARY KEY (pk, ck))", Consistency.LOCAL_QUORUM);
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
    }

    private Message run(String cql, Consistency c) {
        QueryOptions o = new QueryOptions(c.code(), List.of(), Map.of(), false, -1, null,
                ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        return CqlFixture.send(handler, session, new Query(cql, o));
    }

    private RequestUsage ok(String cql, Consistency c) {
        capture.last = null;
        Message m = run(cql, c);
        assertThat(m).as("%s -> %s", cql, m).isNotInstanceOf(Error.class);
        return capture.last == null ? null : capture.last.usage();
    }

    private RequestUsage write(String cql) {
        return ok(cql, Consistency.LOCAL_QUORUM);
    }

    private static String blob(int bytes) {
        return "0x" + "ab".repeat(bytes);
    }

    private void row(int pk, int ck, int rowBytes) {
        write("INSERT INTO t (pk, ck, v) VALUES (" + pk + ", " + ck + ", " + blob(rowBytes - ROW_OVERHEAD) + ")");
    }

    @Test
    void aWriteCostsOneUnitPerStartedKilobyteOfItsRow() {
        assertThat(write("INSERT INTO t (pk, ck, v) VALUES (1, 1, " + blob(1024 - ROW_OVERHEAD) + ")").writeUnits()).isEqualTo(1);
        assertThat(write("INSERT INTO t (pk, ck, v) VALUES (1, 2, " + blob(1025 - ROW_OVERHEAD) + ")").writeUnits()).isEqualTo(2);
        assertThat(write("UPDATE t SET w = 1 WHERE pk = 1 AND ck = 3").writeUnits()).isEqualTo(1);
        RequestUsage u = write("INSERT INTO t (pk, ck, v) VALUES (1, 4, " + blob(3000) + ")");
        assertThat(u.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(3, 0, 3, 0, 1));
    }

    @Test
    void aTtlAdds8BytesPerCellAndPerRowAndIsCounted() {
        // N + 35 + 8 (cell) + 8 (row) = 1024 at N = 973
        RequestUsage u = write("INSERT INTO t (pk, ck, v) VALUES (1, 1, " + blob(973) + ") USING TTL 600");
        assertThat(u.writeUnits()).isEqualTo(1);
        assertThat(u.expiringRowsWritten()).isEqualTo(1);
        assertThat(u.expiringCellsWritten()).isEqualTo(1);
        assertThat(write("INSERT INTO t (pk, ck, v) VALUES (1, 2, " + blob(974) + ") USING TTL 600").writeUnits()).isEqualTo(2);
        assertThat(write("INSERT INTO t (pk, ck, v) VALUES (1, 3, " + blob(974) + ")").expiringRowsWritten()).isZero();
    }

    @Test
    void aStaticUpdateIsARowOfItsOwn() {
        // pk 8 B + s (2 B + 1 B id + 20 B) = 31 B: one unit for the static row, one for the clustering row
        assertThat(write("UPDATE t SET s = 1 WHERE pk = 1").writeUnits()).isEqualTo(1);
        assertThat(write("INSERT INTO t (pk, ck, w, s) VALUES (1, 1, 1, 1)").writeUnits()).isEqualTo(2);
    }

    @Test
    void deletionsCostOneUnitPerRowRangeOrPartition() {
        row(1, 1, 3000);
        assertThat(write("DELETE FROM t WHERE pk = 1 AND ck = 1").writeUnits()).isEqualTo(1);
        assertThat(write("DELETE FROM t WHERE pk = 1 AND ck IN (1, 2, 3)").writeUnits()).isEqualTo(3);
        assertThat(write("DELETE FROM t WHERE pk = 1 AND ck > 1").writeUnits()).isEqualTo(1);
        assertThat(write("DELETE FROM t WHERE pk = 1").writeUnits()).isEqualTo(1);
        assertThat(write("DELETE FROM t WHERE pk IN (1, 2)").capacity(Consistency.LOCAL_QUORUM).partitions()).isEqualTo(2);
    }

    @Test
    void aBatchIsTheSumOfItsRowsAndALoggedBatchWritesEachTwice() {
        String rows = "INSERT INTO t (pk, ck, v) VALUES (1, 1, " + blob(1000) + ");"
                + "INSERT INTO t (pk, ck, v) VALUES (1, 2, " + blob(10) + ");"
                + "INSERT INTO t (pk, ck, v) VALUES (2, 1, " + blob(10) + ");";
        RequestUsage unlogged = write("BEGIN UNLOGGED BATCH " + rows + " APPLY BATCH");
        assertThat(unlogged.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(4, 0, 3, 0, 2));
        RequestUsage logged = write("BEGIN BATCH " + rows + " APPLY BATCH");
        assertThat(logged.writeUnits()).isEqualTo(8);
    }

    @Test
    void aBatchMessageIsMeteredAsABatchStatement() {
        List<Object> queries = new ArrayList<>();
        queries.add("INSERT INTO t (pk, ck, v) VALUES (1, 1, " + blob(2000) + ")");
        queries.add("INSERT INTO t (pk, ck, v) VALUES (1, 2, " + blob(10) + ")");
        List<List<ByteBuffer>> values = List.of(List.of(), List.of());
        capture.last = null;
        Message m = CqlFixture.send(handler, session, new Batch(ProtocolConstants.BatchType.UNLOGGED, queries, values,
                ProtocolConstants.ConsistencyLevel.LOCAL_QUORUM, ProtocolConstants.ConsistencyLevel.SERIAL,
                QueryOptions.NO_DEFAULT_TIMESTAMP, null, QueryOptions.NO_NOW_IN_SECONDS));
        assertThat(m).as("%s", m).isNotInstanceOf(Error.class);
        assertThat(capture.last.usage().writeUnits()).isEqualTo(3);
    }

    @Test
    void aFailedConditionCostsTheCurrentRowOrOneUnitAndNoReads() {
        row(1, 1, 2048);
        RequestUsage exists = write("INSERT INTO t (pk, ck, v) VALUES (1, 1, 0x00) IF NOT EXISTS");
        assertThat(exists.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(2, 0, 2, 0, 1));
        RequestUsage absent = write("UPDATE t SET w = 2 WHERE pk = 1 AND ck = 9 IF EXISTS");
        assertThat(absent.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(1, 0, 1, 0, 1));
        RequestUsage mismatch = write("UPDATE t SET w = 2 WHERE pk = 1 AND ck = 1 IF w = 5");
        assertThat(mismatch.writeUnits()).isEqualTo(2);
        // applied: the row written, as any write
        RequestUsage applied = write("INSERT INTO t (pk, ck, v) VALUES (1, 2, " + blob(1100) + ") IF NOT EXISTS");
        assertThat(applied.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(2, 0, 2, 0, 1));
    }

    @Test
    void aReadOf8KilobytesCostsTwoUnitsAtLocalQuorumAndOneAtLocalOne() {
        row(1, 1, 8192);
        String select = "SELECT * FROM t WHERE pk = 1 AND ck = 1";
        assertThat(ok(select, Consistency.LOCAL_QUORUM).readUnits(Consistency.LOCAL_QUORUM)).isEqualTo(2.0);
        RequestUsage one = ok(select, Consistency.LOCAL_ONE);
        assertThat(one.encodedBytesRead()).isEqualTo(8192);
        assertThat(capture.last.capacity().readUnits()).isEqualTo(1.0); // priced at the request's own level
        assertThat(one.capacity(Consistency.LOCAL_ONE)).isEqualTo(new CapacityUnits(0, 1.0, 0, 1.0, 1));
    }

    @Test
    void rowsReadAreSummedBeforeRounding() {
        for (int ck = 1; ck <= 4; ck++) {
            row(1, ck, 2048);
        }
        RequestUsage u = ok("SELECT * FROM t WHERE pk = 1", Consistency.LOCAL_QUORUM);
        assertThat(u.encodedBytesRead()).isEqualTo(4 * 2048);
        assertThat(u.readUnits(Consistency.LOCAL_QUORUM)).isEqualTo(2.0); // not 4: rounded once per request
        assertThat(u.readUnits(Consistency.LOCAL_ONE)).isEqualTo(1.0);
    }

    @Test
    void aReadThatFindsNothingStillCostsTheMinimum() {
        RequestUsage u = ok("SELECT * FROM t WHERE pk = 42", Consistency.LOCAL_QUORUM);
        assertThat(u.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(0, 1.0, 0, 0, 0));
        assertThat(ok("SELECT * FROM t WHERE pk = 42", Consistency.LOCAL_ONE).readUnits(Consistency.LOCAL_ONE)).isEqualTo(0.5);
    }

    @Test
    void filteredRowsAreReadAndPaidFor() {
        row(1, 1, 3000);
        row(1, 2, 3000);
        write("UPDATE t SET w = 7 WHERE pk = 1 AND ck = 3");
        RequestUsage u = ok("SELECT * FROM t WHERE pk = 1 AND w = 7 ALLOW FILTERING", Consistency.LOCAL_QUORUM);
        // three rows read (6000 + the small one), one returned
        assertThat(u.readUnits(Consistency.LOCAL_QUORUM)).isEqualTo(2.0);
        assertThat(u.rowsRead()).isEqualTo(3);
    }

    @Test
    void multiPartitionReadsKeepUnitsPerPartition() {
        row(1, 1, 5000);
        row(2, 1, 1000);
        RequestUsage u = ok("SELECT * FROM t WHERE pk IN (1, 2)", Consistency.LOCAL_QUORUM);
        assertThat(u.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(0, 2.0, 0, 2.0, 2));
        RequestUsage scan = ok("SELECT * FROM t", Consistency.LOCAL_QUORUM);
        assertThat(scan.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(0, 2.0, 0, 2.0, 2));
    }

    @Test
    void systemTablesAreFree() {
        RequestUsage u = ok("SELECT * FROM system.local", Consistency.LOCAL_QUORUM);
        assertThat(u.capacity(Consistency.LOCAL_QUORUM)).isEqualTo(CapacityUnits.NONE);
        assertThat(ok("SELECT * FROM system_schema.tables", Consistency.LOCAL_ONE).readUnits(Consistency.LOCAL_ONE)).isZero();
    }

    /** The walk-through of docs/capacity.md, number for number. */
    @Test
    void theDocsWorkedExample() {
        write("CREATE TABLE orders (customer text, order_id int, note text, total int, receipt blob, "
                + "PRIMARY KEY (customer, order_id))");
        String alice = "INSERT INTO orders (customer, order_id, note, total, receipt) VALUES ('alice', 1042, 'gift wrap', 12999, "
                + blob(900) + ")";
        assertThat(write(alice).writeUnits()).isEqualTo(1);
        assertThat(ok("SELECT * FROM orders WHERE customer = 'alice' AND order_id = 1042", Consistency.LOCAL_QUORUM)
                .encodedBytesRead()).isEqualTo(998);
        assertThat(write(alice + " USING TTL 86400").writeUnits()).isEqualTo(2); // 998 + 3 x 8 + 8 = 1030 B
        write(alice); // back to no TTL

        String batch = "INSERT INTO orders (customer, order_id, note, total, receipt) VALUES ('alice', 1042, 'gift wrap', 12999, "
                + blob(900) + "); INSERT INTO orders (customer, order_id, note) VALUES ('bob', 7, 'x'); "
                + "UPDATE orders SET total = 0 WHERE customer = 'alice' AND order_id = 1043;";
        assertThat(write("BEGIN UNLOGGED BATCH " + batch + " APPLY BATCH").writeUnits()).isEqualTo(3);
        assertThat(write("BEGIN BATCH " + batch + " APPLY BATCH").writeUnits()).isEqualTo(6);

        assertThat(write("INSERT INTO orders (customer, order_id, note) VALUES ('alice', 1042, 'dup') IF NOT EXISTS")
                .capacity(Consistency.LOCAL_QUORUM)).isEqualTo(new CapacityUnits(1, 0, 1, 0, 1));
        assertThat(write("UPDATE orders SET total = 1 WHERE customer = 'carol' AND order_id = 1 IF total = 5").writeUnits())
                .isEqualTo(1);

        write("INSERT INTO orders (customer, order_id, receipt) VALUES ('alice', 1044, " + blob(5000) + ")");
        RequestUsage quorum = ok("SELECT * FROM orders WHERE customer = 'alice'", Consistency.LOCAL_QUORUM);
        assertThat(quorum.encodedBytesRead()).isEqualTo(998 + 45 + 5043);
        assertThat(quorum.readUnits(Consistency.LOCAL_QUORUM)).isEqualTo(2.0);
        assertThat(ok("SELECT * FROM orders WHERE customer = 'alice'", Consistency.LOCAL_ONE).readUnits(Consistency.LOCAL_ONE))
                .isEqualTo(1.0);
    }

    @Test
    void aPartitionsStaticRowIsReadOnceWithItsRows() {
        write("UPDATE t SET s = 1 WHERE pk = 1"); // 8 + 2 + 1 + 20 = 31 B
        row(1, 1, 4065); // 31 + 4065 = 4096 B: one unit; one more byte would be two
        RequestUsage u = ok("SELECT * FROM t WHERE pk = 1", Consistency.LOCAL_QUORUM);
        assertThat(u.encodedBytesRead()).isEqualTo(4096);
        assertThat(u.readUnits(Consistency.LOCAL_QUORUM)).isEqualTo(1.0);
        assertThat(ok("SELECT s FROM t WHERE pk = 1 LIMIT 1", Consistency.LOCAL_QUORUM).encodedBytesRead()).isPositive();
    }
}
