package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code deploy/strata} command line as a new user runs it, against a real gateway: create a tenant, issue a
 * token scoped to a keyspace, use it through the Java driver, list and revoke it.
 */
class TestCli {
    @TempDir
    static Path tmp;

    static GatewayProcess gateway;

    @BeforeAll
    static void start() {
        gateway = new GatewayProcess(tmp.resolve("data"), Map.of()).start();
        gateway.createTenant("warmup");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    record Run(int status, String out, String err) {}

    private static Run strata(String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("strata.e2e.dir", ".")).toAbsolutePath().getParent().getParent();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("deploy/strata").toString(),
                "--url", "http://127.0.0.1:" + gateway.httpPort(),
                "--token-file", gateway.dataDir().resolve("operator-token").toString()));
        command.addAll(List.of(args));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("strata %s finished", List.of(args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static CqlSession connect(String token) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withLocalDatacenter("datacenter1").withAuthCredentials("token", token).build();
    }

    @Test
    void aTenantAndItsTokensThroughTheCommandLine() throws Exception {
        Run created = strata("tenants", "create", "shop");
        assertThat(created.status()).as(created.err()).isZero();
        assertThat(strata("tenants", "list").out()).contains("shop").contains("ACTIVE");

        Run admin = strata("tokens", "issue", "shop", "--subject", "owner", "--ttl", "1h");
        assertThat(admin.status()).as(admin.err()).isZero();
        try (CqlSession owner = connect(admin.out().strip())) {
            owner.execute("CREATE KEYSPACE app WITH replication = {'class': 'SingleRegionStrategy'}");
            owner.execute("CREATE TABLE app.kv (k int PRIMARY KEY, v text)");
            owner.execute("INSERT INTO app.kv (k, v) VALUES (1, 'one')");
        }
        Run reader = strata("tokens", "issue", "shop", "--subject", "reader", "--ttl", "1h", "--allow", "SELECT:app");
        assertThat(reader.status()).as(reader.err()).isZero();
        try (CqlSession session = connect(reader.out().strip())) {
            assertThat(session.execute("SELECT v FROM app.kv WHERE k = 1").one().getString(0)).isEqualTo("one");
            assertThatThrownBy(() -> session.execute("INSERT INTO app.kv (k, v) VALUES (2, 'two')"))
                    .hasMessageContaining("no MODIFY permission");
        }
        Run listed = strata("tokens", "list", "shop", "--json");
        assertThat(listed.status()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("\"reader\"").contains("\"owner\"").doesNotContain(reader.out().strip());

        Run revoked = strata("tokens", "revoke", "shop", "--subject", "reader");
        assertThat(revoked.status()).as(revoked.err()).isZero();
        assertThatThrownBy(() -> connect(reader.out().strip()).close()).hasMessageContaining("revoked");

        Run bill = strata("usage", "shop", "--daily");
        assertThat(bill.status()).as(bill.err()).isZero();
        assertThat(bill.out()).contains("shop", "app", "kv", "USD");

        Run refused = strata("tenants", "create", "Bad Name");
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err()).contains("400").contains("lowercase");
    }
}
