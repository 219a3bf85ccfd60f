package io.strata.gateway.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.strata.gateway.TestGatewayApplication;
import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The audit log as the assembled application writes it: logins, DDL and admin calls, one intact chain. */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
public class TestAuditWiring {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CqlServerLifecycle server;

    @Inject
    AuditLog audit;

    @Test
    void logsLoginsDdlAndAdminCallsInOneChain() throws IOException {
        Path dir = audit.directory();
        assertThat(dir).isNotNull();
        String data = dir.getParent().toString();
        String devToken = Files.readString(Path.of(data, "dev-token")).strip();
        String operatorToken = Files.readString(Path.of(data, "operator-token")).strip();

        try (CqlSession session = connect(devToken)) {
            session.execute("CREATE KEYSPACE audited WITH replication = {'class': 'SimpleStrategy', "
                    + "'replication_factor': 1}");
            session.execute("CREATE TABLE audited.secrets (k int PRIMARY KEY, v text)");
            session.execute("INSERT INTO audited.secrets (k, v) VALUES (1, 'hunter2')");
            session.execute("TRUNCATE audited.secrets");
        }
        try (CqlSession session = connect("not.a.token")) {
            throw new AssertionError("connected with a junk token");
        } catch (AllNodesFailedException expected) {
            // refused
        }
        given().when().get("/admin/tenants").then().statusCode(401);
        given().header("Authorization", "Bearer " + operatorToken).when().get("/admin/tenants").then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + operatorToken).when().get("/admin/tenants/nobody-here").then()
                .statusCode(404);

        List<JsonNode> records = records(dir);
        JsonNode login = find(records, r -> r.get("kind").asText().equals("login")
                && r.get("outcome").asText().equals("ok") && "dev".equals(r.get("tenant").asText(null)));
        assertThat(login.get("principal").isNull()).isFalse();
        find(records, r -> r.get("kind").asText().equals("login") && r.get("outcome").asText().equals("refused")
                && r.get("tenant").isNull() && !r.get("reason").isNull());
        find(records, r -> r.get("kind").asText().equals("ddl")
                && r.get("statement").asText().equals("CREATE KEYSPACE audited") && r.get("tenant").asText().equals("dev"));
        find(records, r -> r.get("kind").asText().equals("ddl")
                && r.get("statement").asText().equals("CREATE TABLE audited.secrets"));
        find(records, r -> r.get("kind").asText().equals("ddl")
                && r.get("statement").asText().equals("TRUNCATE audited.secrets"));
        find(records, r -> r.get("kind").asText().equals("admin") && r.get("outcome").asText().equals("refused")
                && r.get("statement").asText().equals("GET /admin/tenants") && r.get("reason").asText().startsWith("401"));
        JsonNode adminOk = find(records, r -> r.get("kind").asText().equals("admin")
                && r.get("outcome").asText().equals("ok") && r.get("statement").asText().equals("GET /admin/tenants"));
        assertThat(adminOk.get("principal").isNull()).isFalse();
        assertThat(adminOk.get("source").asText()).contains("127.0.0.1");
        find(records, r -> r.get("kind").asText().equals("admin")
                && r.get("statement").asText().equals("GET /admin/tenants/nobody-here")
                && r.get("reason").asText().equals("HTTP 404"));
        // writes are not audited, and no literal reaches the log
        assertThat(Files.readString(dir.resolve(AuditLog.FILE_NAME))).doesNotContain("hunter2");
        assertThat(AuditVerify.verify(dir).intact()).isTrue();
    }

    private CqlSession connect(String token) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", server.port()))
                .withLocalDatacenter("datacenter1").withAuthCredentials("token", token).build();
    }

    private static List<JsonNode> records(Path dir) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (Path file : AuditFiles.inOrder(dir)) {
            for (String line : Files.readAllLines(file)) {
                try {
                    records.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return records;
    }

    private static JsonNode find(List<JsonNode> records, Predicate<JsonNode> match) {
        return records.stream().filter(match).findFirst()
                .orElseThrow(() -> new AssertionError("no such record in " + records));
    }
}
