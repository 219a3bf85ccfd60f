package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.Prepared;
import com.datastax.oss.protocol.internal.response.result.SchemaChange;
import com.datastax.oss.protocol.internal.response.result.SetKeyspace;
import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.system.NodeInfo;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.testing.CqlFixture;
import io.strata.cql.types.Values;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.core.TenantContext;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CQL layer against the real local engine, without the network: messages in, messages out. */
class TestCqlRequestHandler {
    @TempDir
    Path dir;

    StorageEngine engine;
    CqlRequestHandler handler;
    ClientState dev;
    ClientState acme;

    @BeforeEach
    void setUp() {
        open();
        dev = new ClientState(new TenantContext("dev", "dev"), 5);
        acme = new ClientState(new TenantContext("acme", "ops"), 5);
    }

    private void open() {
        engine = CqlFixture.openEngine(dir);
        handler = CqlFixture.handler(engine);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private Message run(ClientState s, String cql) {
        return CqlFixture.send(handler, s, new Query(cql));
    }

    private Message run(ClientState s, String cql, int pageSize, ByteBuffer paging) {
        QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, List.of(), Map.of(), false,
                pageSize, paging, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        return CqlFixture.send(handler, s, new Query(cql, o));
    }

    private static List<List<String>> texts(Message m) {
        assertThat(m).isInstanceOf(DefaultRows.class);
        List<List<String>> out = new ArrayList<>();
        for (List<ByteBuffer> row : ((DefaultRows) m).getData()) {
            List<String> r = new ArrayList<>();
            for (ByteBuffer b : row) {
                r.add(b == null ? null : StandardCharsets.UTF_8.decode(b.duplicate()).toString());
            }
            out.add(r);
        }
        return out;
    }

    private static int errorCode(Message m) {
        assertThat(m).isInstanceOf(Error.class);
        return ((Error) m).code;
    }

    @Test
    void ddlWriteReadAndErrorCodes() {
        assertThat(run(dev, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}"))
                .isInstanceOf(SchemaChange.class);
        assertThat(errorCode(run(dev, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")))
                .isEqualTo(ProtocolConstants.ErrorCode.ALREADY_EXISTS);
        assertThat(run(dev, "USE ks")).isInstanceOf(SetKeyspace.class);
        assertThat(run(dev, "CREATE TABLE t (k text, c int, v text, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)"))
                .isInstanceOf(SchemaChange.class);
        for (int i = 0; i < 10; i++) {
            run(dev, "INSERT INTO t (k, c, v) VALUES ('a', " + i + ", 'v" + i + "')");
        }
        assertThat(texts(run(dev, "SELECT v FROM t WHERE k = 'a' AND c >= 3 AND c < 6")))
                .containsExactly(List.of("v5"), List.of("v4"), List.of("v3"));
        assertThat(texts(run(dev, "SELECT v FROM t WHERE k = 'a' ORDER BY c ASC LIMIT 2")))
                .containsExactly(List.of("v0"), List.of("v1"));
        run(dev, "DELETE FROM t WHERE k = 'a' AND c > 7");
        assertThat(texts(run(dev, "SELECT v FROM t WHERE k = 'a' LIMIT 1"))).containsExactly(List.of("v7"));
        run(dev, "UPDATE t SET v = null WHERE k = 'a' AND c = 7");
        // The INSERTed row keeps its primary-key liveness: a null column does not delete the row.
        assertThat(texts(run(dev, "SELECT v FROM t WHERE k = 'a' AND c = 7"))).containsExactly(java.util.Arrays.asList((String) null));

        assertThat(errorCode(run(dev, "SELEC * FROM t"))).isEqualTo(ProtocolConstants.ErrorCode.SYNTAX_ERROR);
        assertThat(errorCode(run(dev, "SELECT * FROM nope"))).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
        assertThat(errorCode(run(dev, "SELECT * FROM t WHERE v = 'x'"))).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
        assertThat(errorCode(run(dev, "INSERT INTO t (k, c, v) VALUES ('a', 'x', 'y')"))).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
        assertThat(errorCode(run(dev, "INSERT INTO t (k, v) VALUES ('a', 'y')"))).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
    }

    @Test
    void fullScanPagesInTokenOrderAndSurvivesReopen() {
        run(dev, "CREATE KEYSPACE ks WITH replication = {'class': 'SingleRegionStrategy'}");
        run(dev, "CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
        for (int i = 0; i < 250; i++) {
            run(dev, "INSERT INTO ks.t (k, v) VALUES (" + i + ", " + (i * 2) + ")");
        }
        assertThat(scanAll()).hasSize(250);
        engine.close();
        open();
        assertThat(scanAll()).hasSize(250).doesNotHaveDuplicates();
    }

    private List<Integer> scanAll() {
        List<Integer> keys = new ArrayList<>();
        ByteBuffer paging = null;
        int pages = 0;
        do {
            DefaultRows rows = (DefaultRows) run(dev, "SELECT k, v FROM ks.t", 40, paging);
            for (List<ByteBuffer> r : rows.getData()) {
                keys.add(r.get(0).getInt(0));
                assertThat(r.get(1).getInt(0)).isEqualTo(r.get(0).getInt(0) * 2);
            }
            paging = rows.getMetadata().pagingState;
            pages++;
        } while (paging != null);
        assertThat(pages).isGreaterThanOrEqualTo(7);
        return keys;
    }

    @Test
    void preparedStatementsBindAndAreInvalidatedBySchemaChanges() {
        run(dev, "CREATE KEYSPACE ks WITH replication = {'class': 'SingleRegionStrategy'}");
        run(dev, "CREATE TABLE ks.t (a int, b text, v bigint, PRIMARY KEY ((a, b)))");
        Prepared p = (Prepared) CqlFixture.send(handler, dev, new Prepare("INSERT INTO ks.t (v, b, a) VALUES (?, ?, ?)"));
        assertThat(p.variablesMetadata.columnSpecs).extracting(c -> c.name).containsExactly("v", "b", "a");
        assertThat(p.variablesMetadata.pkIndices).containsExactly(2, 1);
        QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_QUORUM,
                List.of(ByteBuffer.wrap(Values.ofLong(99)), ByteBuffer.wrap(Values.ofText("x")), ByteBuffer.wrap(Values.ofInt(1))),
                Map.of(), false, 100, null, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        assertThat(CqlFixture.send(handler, dev, new Execute(p.preparedQueryId, p.resultMetadataId, o)))
                .isInstanceOf(com.datastax.oss.protocol.internal.response.result.Void.class);
        DefaultRows rows = (DefaultRows) run(dev, "SELECT v FROM ks.t WHERE a = 1 AND b = 'x'");
        assertThat(rows.getData().peek().get(0).getLong(0)).isEqualTo(99);

        // Another tenant cannot execute dev's statement.
        assertThat(errorCode(CqlFixture.send(handler, acme, new Execute(p.preparedQueryId, p.resultMetadataId, o)))).isEqualTo(ProtocolConstants.ErrorCode.UNPREPARED);
        run(dev, "DROP TABLE ks.t");
        run(dev, "CREATE TABLE ks.t (a int, b text, v bigint, PRIMARY KEY ((a, b)))");
        assertThat(errorCode(CqlFixture.send(handler, dev, new Execute(p.preparedQueryId, p.resultMetadataId, o)))).isEqualTo(ProtocolConstants.ErrorCode.UNPREPARED);
    }

    @Test
    void systemTablesShowOnlyTheTenantsSchema() {
        run(dev, "CREATE KEYSPACE devks WITH replication = {'class': 'SingleRegionStrategy'}");
        run(dev, "CREATE TABLE devks.t (k int PRIMARY KEY, v text)");
        run(acme, "CREATE KEYSPACE acmeks WITH replication = {'class': 'SingleRegionStrategy'}");
        List<String> devKeyspaces = texts(run(dev, "SELECT keyspace_name FROM system_schema.keyspaces")).stream()
                .map(r -> r.get(0)).toList();
        assertThat(devKeyspaces).contains("devks", "system", "system_schema").doesNotContain("acmeks");
        assertThat(texts(run(acme, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'devks'"))).isEmpty();
        assertThat(texts(run(dev, "SELECT column_name, kind, type FROM system_schema.columns WHERE keyspace_name = 'devks' AND table_name = 't'")))
                .containsExactly(List.of("k", "partition_key", "int"), List.of("v", "regular", "text"));
        assertThat(texts(run(dev, "SELECT status FROM system_schema_mcs.tables WHERE keyspace_name = 'devks'")))
                .containsExactly(List.of("ACTIVE"));
        DefaultRows local = (DefaultRows) run(dev, "SELECT * FROM system.local WHERE key = 'local'");
        assertThat(local.getData()).hasSize(1);
        assertThat(errorCode(run(acme, "SELECT * FROM devks.t"))).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
    }
}
