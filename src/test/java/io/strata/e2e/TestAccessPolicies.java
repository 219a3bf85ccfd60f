package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token scoped to one table, through the real Java driver: its metadata, the system tables and DESCRIBE show
 * only that table and its keyspace, though the tenant has more.
 */
class TestAccessPolicies {
    @TempDir
    static Path tmp;

    static GatewayProcess gateway;
    static CqlSession admin;
    static CqlSession scoped;

    @BeforeAll
    static void start() {
        gateway = new GatewayProcess(tmp.resolve("data"), Map.of()).start();
        admin = connect(gateway.devToken());
        for (String cql : List.of("CREATE KEYSPACE app WITH replication = {'class': 'SingleRegionStrategy'}",
                "CREATE KEYSPACE other WITH replication = {'class': 'SingleRegionStrategy'}",
                "CREATE TABLE app.orders (id int PRIMARY KEY, total int)",
                "CREATE TABLE app.secret (id int PRIMARY KEY, v text)",
                "CREATE TABLE other.t (id int PRIMARY KEY, v text)",
                "INSERT INTO app.orders (id, total) VALUES (1, 10)")) {
            admin.execute(cql);
        }
        scoped = connect(Tokens.mint(gateway.dataDir(), "dev", "reader", Duration.ofHours(1), List.of("SELECT:app.orders")));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {scoped, admin, gateway}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing what the test opened; the next one fails loudly if this left something behind
                }
            }
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
    void driverMetadataShowsOnlyTheGrantedTable() {
        Map<CqlIdentifier, KeyspaceMetadata> keyspaces = scoped.getMetadata().getKeyspaces();
        assertThat(keyspaces).containsKey(CqlIdentifier.fromCql("app")).doesNotContainKey(CqlIdentifier.fromCql("other"));
        assertThat(keyspaces.get(CqlIdentifier.fromCql("app")).getTables().keySet())
                .containsExactly(CqlIdentifier.fromCql("orders"));
        assertThat(scoped.execute("SELECT total FROM app.orders WHERE id = 1").one().getInt("total")).isEqualTo(10);
        // the admin token still sees everything
        assertThat(admin.getMetadata().getKeyspace("app").orElseThrow().getTables())
                .containsKeys(CqlIdentifier.fromCql("orders"), CqlIdentifier.fromCql("secret"));
    }

    @Test
    void systemSchemaShowsNoOtherRows() {
        Set<String> tables = scoped.execute("SELECT keyspace_name, table_name FROM system_schema.tables").all().stream()
                .map(r -> r.getString("keyspace_name") + "." + r.getString("table_name")).collect(Collectors.toSet());
        assertThat(tables).contains("app.orders", "system.local").doesNotContain("app.secret", "other.t");
        assertThat(scoped.execute("SELECT keyspace_name FROM system_schema.keyspaces").all().stream()
                .map(r -> r.getString(0))).contains("app", "system_schema").doesNotContain("other");
        assertThat(scoped.execute("SELECT table_name FROM system_schema.columns WHERE keyspace_name = 'app'").all()
                .stream().map(r -> r.getString(0)).distinct()).containsExactly("orders");
    }

    @Test
    void describeListsOnlyWhatIsVisible() {
        List<String> keyspaces = scoped.execute("DESCRIBE KEYSPACES").all().stream().map(r -> r.getString("name")).toList();
        assertThat(keyspaces).contains("app", "system").doesNotContain("other");
        List<String> tables = scoped.execute("DESCRIBE TABLES").all().stream()
                .map(r -> r.getString("keyspace_name") + "." + r.getString("name")).toList();
        assertThat(tables).contains("app.orders").doesNotContain("app.secret", "other.t");
        String schema = scoped.execute("DESCRIBE KEYSPACE app").all().stream().map(r -> r.getString("create_statement"))
                .collect(Collectors.joining("\n"));
        assertThat(schema).contains("CREATE TABLE app.orders").doesNotContain("secret");
        assertThatThrownBy(() -> scoped.execute("DESCRIBE TABLE app.secret")).isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("<table app.secret>");
        Row cluster = scoped.execute("DESCRIBE CLUSTER").one();
        assertThat(cluster.getString("cluster")).isNotEmpty();
    }
}
