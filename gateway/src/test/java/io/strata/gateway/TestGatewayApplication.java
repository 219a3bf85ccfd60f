package io.strata.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The assembled Quarkus application: storage, tenancy and the CQL endpoint wired together on an
 * ephemeral port and a temporary data directory; health is UP and the dev token opens a CQL session.
 */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
public class TestGatewayApplication {
    static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("strata-gateway-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strata.cql.port", "0", "strata.cql.host", "127.0.0.1",
                    "strata.storage.local.path", DATA.toString());
        }
    }

    @Inject
    CqlServerLifecycle server;

    /** "Bearer " and the operator token of the shared test data directory. */
    static String operatorBearer() {
        return "Bearer " + operatorToken();
    }

    /** A Java driver session as the dev tenant on the test server's CQL port. */
    static CqlSession devSession(int port) {
        try {
            return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", port))
                    .withLocalDatacenter("datacenter1")
                    .withAuthCredentials("token", Files.readString(DATA.resolve("dev-token")).strip()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void healthIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'cql-endpoint' }.status", equalTo("UP"));
    }

    private static String operatorToken() {
        try {
            return Files.readString(DATA.resolve("operator-token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void storageStatusReportsEpochCachesAndRepair() {
        String bearer = "Bearer " + operatorToken();
        given().header("Authorization", bearer).when().post("/admin/storage/repair").then().statusCode(200)
                .body("blobsCopied", equalTo(0));
        given().header("Authorization", bearer).when().get("/admin/storage").then().statusCode(200)
                .body("fenced", equalTo(false))
                .body("writerEpoch", org.hamcrest.Matchers.greaterThan(0))
                .body("zoneRepair.passes", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void theAdminApiNeedsAnOperatorToken() throws IOException {
        // no token, a cross-site form post (no Authorization header), junk, a tenant's token
        given().when().get("/admin/storage").then().statusCode(401)
                .contentType("application/problem+json").body("status", equalTo(401))
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        given().header("Origin", "https://evil.example").contentType("application/x-www-form-urlencoded")
                .when().post("/admin/storage/repair").then().statusCode(401);
        given().header("Authorization", "Bearer not.a.token").when().get("/admin/storage").then().statusCode(401);
        String tenantToken = Files.readString(DATA.resolve("dev-token")).strip();
        given().header("Authorization", "Bearer " + tenantToken).when().post("/admin/storage/repair").then()
                .statusCode(403).body("detail", org.hamcrest.Matchers.containsString("operator"));
        // and no CORS grant for another origin
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .when().options("/admin/storage/repair").then()
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    private CqlSession connect(String token) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", server.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", token)
                .build();
    }

    private String refusal(String token) {
        try (CqlSession session = connect(token)) {
            throw new AssertionError("connected");
        } catch (com.datastax.oss.driver.api.core.AllNodesFailedException e) {
            return e.toString();
        }
    }

    @Test
    void tenantsExistOnlyOnceAnOperatorCreatesThem() throws IOException {
        String bearer = "Bearer " + operatorToken();
        io.strata.tenancy.TokenIssuer issuer = new io.strata.tenancy.TokenIssuer(
                io.strata.tenancy.SigningKeys.load(DATA.resolve("keys")), io.strata.tenancy.TokenSettings.defaults(),
                java.time.Clock.systemUTC());
        String acmeToken = issuer.mint("acme", "app", java.time.Duration.ofHours(1));
        assertThat(refusal(acmeToken)).contains("tenant 'acme' does not exist");

        given().header("Authorization", bearer).contentType("application/json").body("{\"name\": \"acme\"}")
                .when().post("/admin/tenants").then().statusCode(201).body("name", equalTo("acme"))
                .body("state", equalTo("ACTIVE"));
        given().header("Authorization", bearer).contentType("application/json").body("{\"name\": \"acme\"}")
                .when().post("/admin/tenants").then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", bearer).contentType("application/json").body("{\"name\": \"Bad Name!\"}")
                .when().post("/admin/tenants").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("lowercase letter"));
        given().header("Authorization", bearer).when().get("/admin/tenants/nobody").then().statusCode(404);
        given().header("Authorization", bearer).when().get("/admin/tenants").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.hasItems("dev", "acme"));
        try (CqlSession session = connect(acmeToken)) {
            assertThat(session.execute("SELECT release_version FROM system.local").one().getString(0)).isEqualTo("5.0.9");
        }

        given().header("Authorization", bearer).when().post("/admin/tenants/acme/suspend").then().statusCode(200)
                .body("state", equalTo("SUSPENDED"));
        assertThat(refusal(acmeToken)).contains("tenant 'acme' is suspended");
        given().header("Authorization", bearer).when().post("/admin/tenants/acme/resume").then().statusCode(200);
        try (CqlSession session = connect(acmeToken)) {
            session.execute("SELECT key FROM system.local");
        }
        given().header("Authorization", bearer).when().delete("/admin/tenants/acme").then().statusCode(200)
                .body("state", equalTo("DELETED"));
        assertThat(refusal(acmeToken)).contains("tenant 'acme' was deleted");
        given().header("Authorization", bearer).when().post("/admin/tenants/acme/resume").then().statusCode(409);
        given().header("Authorization", bearer).contentType("application/json").body("{\"name\": \"acme\"}")
                .when().post("/admin/tenants").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("cannot be reused"));
        // tenant management is for operators only
        given().header("Authorization", "Bearer " + Files.readString(DATA.resolve("dev-token")).strip())
                .contentType("application/json").body("{\"name\": \"mine\"}").when().post("/admin/tenants").then()
                .statusCode(403);
    }

    @Test
    void aReadOnlyTokenCannotWriteThroughTheDriver() throws IOException {
        try (CqlSession dev = connect(Files.readString(DATA.resolve("dev-token")).strip())) {
            dev.execute("CREATE KEYSPACE IF NOT EXISTS ro WITH replication = {'class': 'SingleRegionStrategy'}");
            dev.execute("CREATE TABLE IF NOT EXISTS ro.kv (k int PRIMARY KEY, v text)");
            dev.execute("INSERT INTO ro.kv (k, v) VALUES (1, 'one')");
        }
        String reader = new io.strata.tenancy.TokenIssuer(io.strata.tenancy.SigningKeys.load(DATA.resolve("keys")),
                io.strata.tenancy.TokenSettings.defaults(), java.time.Clock.systemUTC())
                .mint("dev", "reader", java.time.Duration.ofHours(1), List.of("SELECT:ro"));
        try (CqlSession session = connect(reader)) {
            assertThat(session.execute("SELECT v FROM ro.kv WHERE k = 1").one().getString(0)).isEqualTo("one");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> session.execute("INSERT INTO ro.kv (k, v) VALUES (2, 'two')"))
                    .isInstanceOf(com.datastax.oss.driver.api.core.servererrors.UnauthorizedException.class)
                    .hasMessageContaining("User reader has no MODIFY permission on <table ro.kv>");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> session.execute("DROP TABLE ro.kv"))
                    .isInstanceOf(com.datastax.oss.driver.api.core.servererrors.UnauthorizedException.class);
        }
    }

    @Test
    void revokingASubjectEndsItsOpenConnectionsAndRefusesItsTokens() throws Exception {
        String bearer = "Bearer " + operatorToken();
        io.strata.tenancy.TokenIssuer issuer = new io.strata.tenancy.TokenIssuer(
                io.strata.tenancy.SigningKeys.load(DATA.resolve("keys")), io.strata.tenancy.TokenSettings.defaults(),
                java.time.Clock.systemUTC());
        String victim = issuer.mint("dev", "leaked", java.time.Duration.ofHours(1));
        String other = issuer.mint("dev", "kept", java.time.Duration.ofHours(1));
        try (CqlSession open = connect(victim); CqlSession unaffected = connect(other)) {
            open.execute("SELECT key FROM system.local");
            given().header("Authorization", bearer).contentType("application/json")
                    .body("{\"subject\": \"leaked\"}").when().post("/admin/tenants/dev/revocations").then()
                    .statusCode(201).body("subject", equalTo("leaked"));
            // the open connection is told at its next request
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> open.execute("SELECT key FROM system.local"))
                    .hasMessageContaining("revoked");
            unaffected.execute("SELECT key FROM system.local");
        }
        assertThat(refusal(victim)).contains("revoked");
        // one token by its id
        String jti = io.strata.gateway.audit.TokenIds.jtiOf(other);
        given().header("Authorization", bearer).contentType("application/json").body("{\"tokenId\": \"" + jti + "\"}")
                .when().post("/admin/tenants/dev/revocations").then().statusCode(201);
        assertThat(refusal(other)).contains("revoked");
        given().header("Authorization", bearer).contentType("application/json").body("{}")
                .when().post("/admin/tenants/dev/revocations").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("exactly one"));
        given().header("Authorization", bearer).when().get("/admin/tenants/dev/revocations").then().statusCode(200)
                .body("subject", org.hamcrest.Matchers.hasItem("leaked"));
    }

    @Test
    void anOperatorTokenCannotOpenACqlSession() {
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", server.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", operatorToken())
                .build()) {
            throw new AssertionError("connected with an operator token");
        } catch (com.datastax.oss.driver.api.core.AllNodesFailedException e) {
            assertThat(e.toString()).contains("operator token");
        }
    }

    @Test
    void devTokenOpensASessionAndSystemLocalReportsTheBoundPort() throws IOException {
        String token = Files.readString(DATA.resolve("dev-token")).strip();
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", server.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", token)
                .build()) {
            Row local = session.execute("SELECT rpc_port, data_center FROM system.local").one();
            assertThat(local.getInt("rpc_port")).isEqualTo(server.port());
            assertThat(local.getString("data_center")).isEqualTo("datacenter1");
        }
    }
}
