package io.strata.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.strata.cql.schema.SchemaService;
import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The admin API's token endpoints, the tenant-admin role, suspension of open connections, deletion and the OpenAPI
 * document, over HTTP and through the Java driver against the assembled application.
 */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
public class TestAdminTokens {
    @Inject
    CqlServerLifecycle server;

    @Inject
    SchemaService schemas;

    private static String operator() {
        try {
            return "Bearer " + Files.readString(TestGatewayApplication.DATA.resolve("operator-token")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CqlSession connect(String token) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", server.port()))
                .withLocalDatacenter("datacenter1").withAuthCredentials("token", token).build();
    }

    private String refusal(String token) {
        try (CqlSession session = connect(token)) {
            throw new AssertionError("connected");
        } catch (AllNodesFailedException e) {
            return e.toString();
        }
    }

    private static void createTenant(String name) {
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"" + name + "\"}")
                .when().post("/admin/tenants").then().statusCode(201);
    }

    private static JsonPath issue(String bearer, String tenant, String body) {
        return given().header("Authorization", bearer).contentType("application/json").body(body)
                .when().post("/admin/tenants/" + tenant + "/tokens").then().statusCode(201)
                .body("token", notNullValue()).extract().jsonPath();
    }

    @Test
    void tokensAreIssuedListedAndRevokedThroughTheApi() {
        createTenant("tok");
        JsonPath issued = issue(operator(), "tok",
                "{\"subject\": \"app\", \"lifetime\": \"PT1H\", \"permissions\": [\"SELECT:shop\"]}");
        String token = issued.getString("token");
        String id = issued.getString("tokenId");
        assertThat(issued.getString("subject")).isEqualTo("app");
        assertThat(issued.getList("permissions")).containsExactly("SELECT:shop");
        assertThat(Duration.between(Instant.parse(issued.getString("issuedAt")),
                Instant.parse(issued.getString("expiresAt")))).isEqualTo(Duration.ofHours(1));
        try (CqlSession session = connect(token)) {
            session.execute("SELECT key FROM system.local");
            assertThatThrownBy(() -> session.execute(
                    "CREATE KEYSPACE shop WITH replication = {'class': 'SingleRegionStrategy'}"))
                    .hasMessageContaining("no CREATE permission");
        }
        given().header("Authorization", operator()).when().get("/admin/tenants/tok/tokens").then().statusCode(200)
                .body("find { it.tokenId == '" + id + "' }.revoked", equalTo(false))
                .body("find { it.tokenId == '" + id + "' }.token", nullValue())
                .body("find { it.tokenId == '" + id + "' }.issuedBy", notNullValue());
        given().header("Authorization", operator()).when().delete("/admin/tenants/tok/tokens/" + id).then()
                .statusCode(200).body("tokenId", equalTo(id));
        given().header("Authorization", operator()).when().get("/admin/tenants/tok/tokens/" + id).then()
                .statusCode(200).body("revoked", equalTo(true));
        assertThat(refusal(token)).contains("revoked");
    }

    @Test
    void badTokenRequestsAreProblemDocuments() {
        createTenant("badreq");
        String path = "/admin/tenants/badreq/tokens";
        given().header("Authorization", operator()).contentType("application/json").body("{}").when().post(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("subject is required"));
        given().header("Authorization", operator()).contentType("application/json")
                .body("{\"subject\": \"a\", \"lifetime\": \"forever\"}").when().post(path).then().statusCode(400)
                .body("detail", containsString("ISO-8601"));
        given().header("Authorization", operator()).contentType("application/json")
                .body("{\"subject\": \"a\", \"lifetime\": \"P40D\"}").when().post(path).then().statusCode(400)
                .body("detail", containsString("maximum token lifetime"));
        given().header("Authorization", operator()).contentType("application/json")
                .body("{\"subject\": \"a\", \"permissions\": [\"FLY:app\"]}").when().post(path).then().statusCode(400)
                .body("detail", containsString("FLY"));
        given().header("Authorization", operator()).contentType("application/json").body("{\"subject\": \"a\"}")
                .when().post("/admin/tenants/nosuch/tokens").then().statusCode(404);
    }

    @Test
    void aTenantAdminManagesOnlyItsOwnTenant() {
        createTenant("ta");
        createTenant("tb");
        String admin = "Bearer " + issue(operator(), "ta", "{\"subject\": \"boss\", \"tenantAdmin\": true}")
                .getString("token");
        given().header("Authorization", admin).when().get("/admin/tenants/ta").then().statusCode(200)
                .body("name", equalTo("ta"));
        JsonPath minted = issue(admin, "ta", "{\"subject\": \"worker\", \"permissions\": [\"SELECT|MODIFY:app\"]}");
        assertThat(minted.getString("issuedBy")).isEqualTo("boss");
        given().header("Authorization", admin).when().get("/admin/tenants/ta/tokens").then().statusCode(200)
                .body("subject", hasItem("worker"));
        given().header("Authorization", admin).contentType("application/json").body("{\"subject\": \"worker\"}")
                .when().post("/admin/tenants/ta/revocations").then().statusCode(201);
        for (String[] call : new String[][] {{"GET", "/admin/tenants/tb"}, {"GET", "/admin/tenants"},
                {"POST", "/admin/tenants/ta/suspend"}, {"DELETE", "/admin/tenants/ta"}, {"GET", "/admin/storage"},
                {"POST", "/admin/tenants/tb/tokens"}, {"GET", "/admin/tenants/tb/revocations"}}) {
            given().header("Authorization", admin).contentType("application/json").body("{\"subject\": \"x\"}")
                    .when().request(call[0], call[1]).then().statusCode(403)
                    .body("detail", containsString("tenant admin of 'ta'"));
        }
        // a tenant admin's token is also a CQL token of its tenant
        try (CqlSession session = connect(admin.substring("Bearer ".length()))) {
            session.execute("SELECT key FROM system.local");
        }
        given().header("Authorization", operator()).when().post("/admin/tenants/ta/suspend").then().statusCode(200);
        given().header("Authorization", admin).when().get("/admin/tenants/ta").then().statusCode(401)
                .body("detail", containsString("suspended"));
    }

    @Test
    void suspendingATenantEndsItsOpenConnections() {
        createTenant("susp");
        String token = issue(operator(), "susp", "{\"subject\": \"app\"}").getString("token");
        try (CqlSession session = connect(token)) {
            session.execute("SELECT key FROM system.local");
            given().header("Authorization", operator()).when().post("/admin/tenants/susp/suspend").then()
                    .statusCode(200);
            assertThatThrownBy(() -> session.execute("SELECT key FROM system.local"))
                    .hasMessageContaining("suspended");
        }
        given().header("Authorization", operator()).when().post("/admin/tenants/susp/resume").then().statusCode(200);
        try (CqlSession session = connect(token)) {
            session.execute("SELECT key FROM system.local");
        }
    }

    @Test
    void deletingATenantDropsItsSchemaAndKeepsItsName() throws Exception {
        createTenant("gone");
        String token = issue(operator(), "gone", "{\"subject\": \"app\"}").getString("token");
        try (CqlSession session = connect(token)) {
            session.execute("CREATE KEYSPACE data WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE data.kv (k int PRIMARY KEY, v text)");
            session.execute("INSERT INTO data.kv (k, v) VALUES (1, 'secret')");
        }
        assertThat(schemas.schema("gone").toCompletableFuture().get().keyspaces()).containsKey("data");
        given().header("Authorization", operator()).when().delete("/admin/tenants/gone").then().statusCode(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!schemas.schema("gone").toCompletableFuture().get().keyspaces().isEmpty()) {
            assertThat(System.nanoTime()).as("schema of the deleted tenant dropped").isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(refusal(token)).contains("was deleted");
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"gone\"}")
                .when().post("/admin/tenants").then().statusCode(409)
                .body("detail", containsString("retention window"));
        given().header("Authorization", operator()).contentType("application/json").body("{\"subject\": \"x\"}")
                .when().post("/admin/tenants/gone/tokens").then().statusCode(409);
    }

    @Test
    void theOpenApiDocumentDescribesTheAdminApi() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/admin/tenants/{name}/tokens"))
                .body("paths", org.hamcrest.Matchers.hasKey("/admin/storage"))
                .body("components.securitySchemes", notNullValue());
    }
}
