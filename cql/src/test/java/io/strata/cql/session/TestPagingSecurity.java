package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.Prepared;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.strata.cql.testing.CqlFixture;
import io.strata.tenancy.core.TenantContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Paging states through the whole request path: pages still return every row once, and a state is refused
 * with PROTOCOL_ERROR (never SERVER_ERROR) when tampered with, or used by another tenant, for another
 * statement, or on a node with another key.
 */
class TestPagingSecurity {
    private static final byte[] KEY = "a paging key shared by every node of the test".getBytes();
    private static final String SELECT = "SELECT k, c FROM t";

    private CqlFixture db;
    private ClientState other;

    @BeforeEach
    void setUp() {
        db = CqlFixture.open(PagingKey.of(KEY), PreparedCacheLimits.defaults());
        db.ok("CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))");
        db.ok("CREATE TABLE u (k int, c int, v int, PRIMARY KEY (k, c))");
        for (int k = 0; k < 10; k++) {
            for (int c = 0; c < 5; c++) {
                db.ok("INSERT INTO t (k, c, v) VALUES (" + k + ", " + c + ", 0)");
                db.ok("INSERT INTO u (k, c, v) VALUES (" + k + ", " + c + ", 0)");
            }
        }
        // another tenant with the same keyspace, table and rows: only the state's seal tells them apart
        other = new ClientState(new TenantContext("other", "other"), 5);
        for (String cql : List.of("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}",
                "USE ks", "CREATE TABLE t (k int, c int, v int, PRIMARY KEY (k, c))",
                "INSERT INTO t (k, c, v) VALUES (1, 1, 0)")) {
            assertThat(CqlFixture.send(db.handler, other, new Query(cql))).isNotInstanceOf(Error.class);
        }
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static QueryOptions options(int pageSize, ByteBuffer paging) {
        return new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, List.of(), Map.of(), false, pageSize, paging,
                ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
    }

    private Message query(RequestHandler handler, ClientState s, String cql, ByteBuffer paging) {
        return CqlFixture.send(handler, s, new Query(cql, options(7, paging)));
    }

    private ByteBuffer firstState(String cql) {
        Message m = query(db.handler, db.session, cql, null);
        assertThat(m).isInstanceOf(Rows.class);
        ByteBuffer state = ((Rows) m).getMetadata().pagingState;
        assertThat(state).isNotNull();
        return state;
    }

    private static void assertRefused(Message m) {
        assertThat(m).isInstanceOf(Error.class);
        assertThat(((Error) m).code).as("%s", m).isEqualTo(ProtocolConstants.ErrorCode.PROTOCOL_ERROR);
        assertThat(((Error) m).message).isEqualTo("Invalid value for the paging state");
    }

    private static String row(List<ByteBuffer> r) {
        return r.get(0).getInt(0) + ":" + r.get(1).getInt(0);
    }

    @Test
    void pagingThroughATableReturnsEveryRowOnce() {
        List<String> all = new ArrayList<>();
        ByteBuffer state = null;
        int pages = 0;
        do {
            Rows rows = (Rows) query(db.handler, db.session, SELECT, state);
            rows.getData().forEach(r -> all.add(row(r)));
            state = rows.getMetadata().pagingState;
            pages++;
        } while (state != null && pages < 100);
        assertThat(all).hasSize(50).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(8);
    }

    @Test
    void aPreparedStatementAndItsQueryTextShareStates() {
        Prepared p = db.prepare(SELECT);
        Rows first = (Rows) CqlFixture.send(db.handler, db.session, new Execute(p.preparedQueryId, options(7, null)));
        Message next = query(db.handler, db.session, SELECT, first.getMetadata().pagingState);
        assertThat(next).isInstanceOf(Rows.class);
        Rows third = (Rows) CqlFixture.send(db.handler, db.session,
                new Execute(p.preparedQueryId, options(7, ((Rows) next).getMetadata().pagingState)));
        assertThat(third.getData()).hasSize(7);
        assertThat(row(third.getData().peek())).isNotEqualTo(row(first.getData().peek()));
    }

    @Test
    void aTamperedStateIsAProtocolError() {
        ByteBuffer state = firstState(SELECT);
        byte[] bytes = new byte[state.remaining()];
        state.duplicate().get(bytes);
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x40;
            assertRefused(query(db.handler, db.session, SELECT, ByteBuffer.wrap(bad)));
        }
        assertRefused(query(db.handler, db.session, SELECT, ByteBuffer.wrap(Arrays.copyOf(bytes, bytes.length - 1))));
        assertRefused(query(db.handler, db.session, SELECT, ByteBuffer.allocate(0)));
        assertRefused(query(db.handler, db.session, SELECT, ByteBuffer.allocate(PagingStates.MAX_SEALED_BYTES + 1)));
    }

    @Test
    void aStateOfOneTenantIsRefusedForAnother() {
        ByteBuffer state = firstState(SELECT);
        assertRefused(query(db.handler, other, SELECT, state));
        assertRefused(query(db.handler, other, "SELECT k, c FROM ks.t", state));
    }

    @Test
    void aStateOfOneStatementIsRefusedForAnother() {
        ByteBuffer state = firstState(SELECT);
        assertRefused(query(db.handler, db.session, "SELECT k, c FROM u", state));
        assertRefused(query(db.handler, db.session, "SELECT k, c FROM t WHERE k = 3", state));
        assertRefused(query(db.handler, db.session, "SELECT k, c FROM ks.t", state));
        Prepared p = db.prepare("SELECT k, c FROM u");
        assertRefused(CqlFixture.send(db.handler, db.session, new Execute(p.preparedQueryId, options(7, state))));
    }

    @Test
    void aNodeWithTheSameKeyContinuesAndOneWithAnotherRefuses() {
        ByteBuffer state = firstState(SELECT);
        CqlRequestHandler sameKey = CqlFixture.handler(db.engine, PagingKey.of(KEY), PreparedCacheLimits.defaults());
        assertThat(query(sameKey, db.session, SELECT, state)).isInstanceOf(Rows.class);
        CqlRequestHandler randomKey = CqlFixture.handler(db.engine);
        assertRefused(query(randomKey, db.session, SELECT, state));
    }
}
