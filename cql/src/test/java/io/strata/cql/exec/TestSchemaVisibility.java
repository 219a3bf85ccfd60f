package io.strata.cql.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.SchemaVisibility;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.CqlRequestHandler;
import io.strata.cql.session.PagingKey;
import io.strata.cql.session.PreparedCacheLimits;
import io.strata.cql.testing.CqlFixture;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.TenantContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A scoped token sees only what its grants reach: system tables, DESCRIBE and schema events leave out the other
 * keyspaces and tables of the tenant, with LIMIT and paging working on what is left.
 */
final class TestSchemaVisibility {
    private StorageEngine engine;
    private CqlRequestHandler handler;
    private final ClientState admin = new ClientState(new TenantContext("t", "admin"), 5);
    private final ClientState scoped = token("SELECT:app.orders");

    @BeforeEach
    void setUp() throws Exception {
        engine = CqlFixture.openEngine(java.nio.file.Files.createTempDirectory("visibility"));
        handler = CqlRequestHandler.assemble(engine, new SchemaService(engine, new LocalSchemaEvents()),
                () -> CqlFixture.NODE, Clock.systemUTC(), List.of(new AccessGuard()), PagingKey.random(),
                PreparedCacheLimits.defaults());
        for (String cql : List.of("CREATE KEYSPACE app WITH replication = {'class': 'SingleRegionStrategy'}",
                "CREATE KEYSPACE other WITH replication = {'class': 'SingleRegionStrategy'}",
                "CREATE TYPE app.addr (street text)",
                "CREATE TABLE app.orders (id int PRIMARY KEY, total int)",
                "CREATE TABLE app.secret (id int PRIMARY KEY, v text)",
                "CREATE TABLE other.t (id int PRIMARY KEY, v text)")) {
            assertThat(run(admin, cql)).as(cql).isNotInstanceOf(Error.class);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
    }

    private static ClientState token(String... grants) {
        return new ClientState(new TenantContext("t", "alice", AccessPolicy.parse(List.of(grants))), 5);
    }

    private Message run(ClientState state, String cql) {
        return CqlFixture.send(handler, state, new Query(cql));
    }

    /** The text columns of every row, joined with '.'. */
    private List<String> texts(ClientState state, String cql) {
        Message m = run(state, cql);
        assertThat(m).as("%s -> %s", cql, m).isInstanceOf(DefaultRows.class);
        List<String> out = new ArrayList<>();
        for (List<ByteBuffer> row : ((DefaultRows) m).getData()) {
            List<String> parts = new ArrayList<>();
            for (ByteBuffer b : row) {
                parts.add(b == null ? "null" : StandardCharsets.UTF_8.decode(b.duplicate()).toString());
            }
            out.add(String.join(".", parts));
        }
        return out;
    }

    private String unauthorized(ClientState state, String cql) {
        Message m = run(state, cql);
        assertThat(m).as(cql).isInstanceOf(Error.class);
        assertThat(((Error) m).code).as("%s: %s", cql, m).isEqualTo(ProtocolConstants.ErrorCode.UNAUTHORIZED);
        return ((Error) m).message;
    }

    @Test
    void systemSchemaShowsOnlyVisibleKeyspacesAndTables() {
        List<String> keyspaces = texts(scoped, "SELECT keyspace_name FROM system_schema.keyspaces");
        assertThat(keyspaces).contains("app", "system", "system_schema").doesNotContain("other");
        assertThat(texts(scoped, "SELECT keyspace_name, table_name FROM system_schema.tables WHERE keyspace_name IN ('app', 'other')"))
                .containsExactly("app.orders");
        assertThat(texts(scoped, "SELECT table_name, column_name FROM system_schema.columns WHERE keyspace_name = 'app'"))
                .containsExactlyInAnyOrder("orders.id", "orders.total");
        assertThat(texts(scoped, "SELECT keyspace_name, table_name FROM system_schema_mcs.tables WHERE keyspace_name = 'app'"))
                .containsExactly("app.orders");
        assertThat(texts(scoped, "SELECT keyspace_name FROM system_schema_mcs.keyspaces")).doesNotContain("other");
        // types of a visible keyspace stay: a visible table may use them
        assertThat(texts(scoped, "SELECT keyspace_name, type_name FROM system_schema.types")).containsExactly("app.addr");
        // rows describing the system tables themselves stay
        assertThat(texts(scoped, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'system'"))
                .contains("local");
        // the admin token sees everything
        assertThat(texts(admin, "SELECT keyspace_name, table_name FROM system_schema.tables WHERE keyspace_name IN ('app', 'other')"))
                .containsExactlyInAnyOrder("app.orders", "app.secret", "other.t");
    }

    @Test
    void limitAndPagingApplyToTheVisibleRows() {
        int all = texts(admin, "SELECT table_name FROM system_schema.tables").size();
        int visible = texts(scoped, "SELECT table_name FROM system_schema.tables").size();
        assertThat(visible).isEqualTo(all - 2);
        assertThat(texts(scoped, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'app' LIMIT 1"))
                .containsExactly("orders");
        // page through every visible row two at a time
        List<String> paged = new ArrayList<>();
        ByteBuffer state = null;
        do {
            QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, List.of(), Map.of(), false,
                    2, state, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                    QueryOptions.NO_NOW_IN_SECONDS);
            DefaultRows page = (DefaultRows) CqlFixture.send(handler, scoped,
                    new Query("SELECT keyspace_name, table_name FROM system_schema.tables", o));
            page.getData().forEach(r -> paged.add(StandardCharsets.UTF_8.decode(r.get(0).duplicate()) + "."
                    + StandardCharsets.UTF_8.decode(r.get(1).duplicate())));
            state = page.getMetadata().pagingState;
        } while (state != null);
        assertThat(paged).hasSize(visible).contains("app.orders").doesNotContain("app.secret", "other.t");
    }

    @Test
    void describeListsOnlyWhatIsVisible() {
        assertThat(texts(scoped, "DESCRIBE KEYSPACES")).contains("app.keyspace.app").doesNotContain("other.keyspace.other");
        assertThat(texts(scoped, "DESCRIBE TABLES")).contains("app.table.orders")
                .noneMatch(r -> r.contains("secret") || r.startsWith("other."));
        assertThat(texts(scoped, "DESCRIBE TYPES")).containsExactly("app.type.addr");
        assertThat(String.join("\n", texts(scoped, "DESCRIBE SCHEMA"))).contains("CREATE TABLE app.orders")
                .doesNotContain("secret").doesNotContain("other");
        assertThat(String.join("\n", texts(scoped, "DESCRIBE FULL SCHEMA"))).contains("CREATE TABLE app.orders")
                .doesNotContain("app.secret").doesNotContain("CREATE KEYSPACE other");
        assertThat(String.join("\n", texts(scoped, "DESCRIBE KEYSPACE app"))).contains("CREATE TABLE app.orders")
                .contains("CREATE TYPE app.addr").doesNotContain("secret");
        assertThat(String.join("\n", texts(scoped, "DESCRIBE app"))).contains("CREATE TABLE app.orders")
                .doesNotContain("secret");
        assertThat(texts(admin, "DESCRIBE TABLES")).contains("app.table.secret", "other.table.t");
    }

    @Test
    void describingWhatIsNotVisibleIsUnauthorized() {
        assertThat(unauthorized(scoped, "DESCRIBE TABLE app.secret"))
                .isEqualTo("User alice has no DESCRIBE permission on <table app.secret> or any of its parents");
        assertThat(unauthorized(scoped, "DESCRIBE KEYSPACE other")).contains("<keyspace other>");
        unauthorized(scoped, "DESCRIBE ONLY KEYSPACE other");
        unauthorized(scoped, "DESCRIBE other");
        unauthorized(scoped, "DESCRIBE app.secret");
        unauthorized(scoped, "DESCRIBE TYPE other.x");
        assertThat(texts(scoped, "DESCRIBE TABLE app.orders")).hasSize(1);
        assertThat(texts(scoped, "DESCRIBE ONLY KEYSPACE app")).hasSize(1);
        assertThat(texts(scoped, "DESCRIBE TABLE system.local")).hasSize(1);
        // a keyspace the token cannot see does not exist for it
        Message use = run(scoped, "USE other");
        assertThat(((Error) use).message).isEqualTo("Keyspace 'other' does not exist");
    }

    @Test
    void schemaEventsAreToldOnlyForWhatIsVisible() {
        AccessPolicy p = AccessPolicy.parse(List.of("SELECT:app.orders"));
        assertThat(SchemaVisibility.visible(SchemaEvent.table(SchemaEvent.Change.UPDATED, "app", "orders"), p)).isTrue();
        assertThat(SchemaVisibility.visible(SchemaEvent.table(SchemaEvent.Change.CREATED, "app", "secret"), p)).isFalse();
        assertThat(SchemaVisibility.visible(SchemaEvent.keyspace(SchemaEvent.Change.UPDATED, "app"), p)).isTrue();
        assertThat(SchemaVisibility.visible(SchemaEvent.keyspace(SchemaEvent.Change.CREATED, "other"), p)).isFalse();
        assertThat(SchemaVisibility.visible(SchemaEvent.type(SchemaEvent.Change.CREATED, "app", "addr"), p)).isTrue();
        assertThat(SchemaVisibility.visible(SchemaEvent.table(SchemaEvent.Change.CREATED, "other", "t"),
                AccessPolicy.ALL)).isTrue();
    }
}
