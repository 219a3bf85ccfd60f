package io.strata.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backups and restores through the admin API: on-demand backups (create, list, describe, delete, restore into a new
 * table after the source was dropped), restores started by CQL followed in {@code .../restores}, a tenant admin
 * reaching its own, and the restore billed by its bytes without touching the tables' capacity.
 */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
public class TestRecoveryAdmin {
    @Inject
    CqlServerLifecycle server;

    private static String operator() {
        return TestGatewayApplication.operatorBearer();
    }

    private CqlSession connect() {
        return TestGatewayApplication.devSession(server.port());
    }

    /** The latest restore into {@code ks.table}, once it is no longer RESTORING (up to 30 s). */
    private static JsonPath awaitRestore(String table) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            JsonPath one = given().header("Authorization", operator()).when().get("/admin/tenants/dev/restores/" + table)
                    .then().statusCode(200).extract().jsonPath();
            if (!"RESTORING".equals(one.getString("status"))) {
                return one;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(table + " still RESTORING");
    }

    @Test
    void aBackupOutlivesItsTableAndIsRestoredIntoANewOne() throws Exception {
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS rec WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE rec.orders (k int PRIMARY KEY, v text)");
            for (int i = 0; i < 10; i++) {
                session.execute("INSERT INTO rec.orders (k, v) VALUES (" + i + ", 'v" + i + "')");
            }
            given().header("Authorization", operator()).contentType("application/json")
                    .body("{\"keyspace\": \"rec\", \"table\": \"orders\", \"name\": \"orders-1\"}")
                    .when().post("/admin/tenants/dev/backups").then().statusCode(201)
                    .body("name", org.hamcrest.Matchers.equalTo("orders-1"));
            // immutable: a name is never taken twice
            given().header("Authorization", operator()).contentType("application/json")
                    .body("{\"keyspace\": \"rec\", \"table\": \"orders\", \"name\": \"orders-1\"}")
                    .when().post("/admin/tenants/dev/backups").then().statusCode(409)
                    .body("detail", containsString("immutable"));
            given().header("Authorization", operator()).contentType("application/json")
                    .body("{\"keyspace\": \"rec\", \"table\": \"nope\", \"name\": \"x\"}")
                    .when().post("/admin/tenants/dev/backups").then().statusCode(404);
            given().header("Authorization", operator()).contentType("application/json")
                    .body("{\"keyspace\": \"rec\", \"table\": \"orders\", \"name\": \"../x\"}")
                    .when().post("/admin/tenants/dev/backups").then().statusCode(400);
            session.execute("INSERT INTO rec.orders (k, v) VALUES (100, 'after the backup')");
            session.execute("DROP TABLE rec.orders");

            assertThat(given().header("Authorization", operator()).when().get("/admin/tenants/dev/backups").then()
                    .statusCode(200).extract().jsonPath().getList("name")).contains("orders-1");
            JsonPath described = given().header("Authorization", operator()).when()
                    .get("/admin/tenants/dev/backups/orders-1").then().statusCode(200).extract().jsonPath();
            assertThat(described.getString("table")).isEqualTo("orders");
            assertThat(described.getList("columns.name")).containsExactly("k", "v");

            given().header("Authorization", operator()).contentType("application/json")
                    .body("{\"keyspace\": \"rec\", \"table\": \"orders_back\"}")
                    .when().post("/admin/tenants/dev/backups/orders-1/restore").then().statusCode(202)
                    .body("backup", org.hamcrest.Matchers.equalTo("orders-1"));
            assertThat(awaitRestore("rec.orders_back").getString("status")).isEqualTo("ACTIVE");
            assertThat(session.execute("SELECT k FROM rec.orders_back").all()).hasSize(10);
            given().header("Authorization", operator()).contentType("application/json")
                    .body("{\"keyspace\": \"rec\", \"table\": \"orders_back\"}")
                    .when().post("/admin/tenants/dev/backups/orders-1/restore").then().statusCode(409);
            given().header("Authorization", operator()).contentType("application/json")
                    .body("{\"keyspace\": \"rec\", \"table\": \"t\"}")
                    .when().post("/admin/tenants/dev/backups/no-such/restore").then().statusCode(404);

            given().header("Authorization", operator()).when().delete("/admin/tenants/dev/backups/orders-1").then()
                    .statusCode(204);
            given().header("Authorization", operator()).when().get("/admin/tenants/dev/backups/orders-1").then()
                    .statusCode(404);
        }
    }

    @Test
    void aPointInTimeRestoreIsFollowedInTheApiAndBilledByItsBytes() throws Exception {
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS rec WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE rec.events (k int PRIMARY KEY, v text) WITH CUSTOM_PROPERTIES = "
                    + "{'point_in_time_recovery': {'status': 'enabled'}}");
            for (int i = 0; i < 20; i++) {
                session.execute("INSERT INTO rec.events (k, v) VALUES (" + i + ", '" + "x".repeat(500) + "')");
            }
            // DDL answers once storage accepted the restore; on a busy machine that may take longer than 2 s
            session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                    "RESTORE TABLE rec.events_copy FROM TABLE rec.events").setTimeout(java.time.Duration.ofSeconds(30)));
            JsonPath done = awaitRestore("rec.events_copy");
            assertThat(done.getString("status")).isEqualTo("ACTIVE");
            assertThat(done.getInt("percent")).isEqualTo(100);
            assertThat(done.getString("source")).isEqualTo("rec.events");
            assertThat(session.execute("SELECT k FROM rec.events_copy").all()).hasSize(20);
            List<Map<String, Object>> all = given().header("Authorization", operator()).when()
                    .get("/admin/tenants/dev/restores").then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(all).anySatisfy(r -> assertThat(r.get("table")).isEqualTo("events_copy"));
        }
        given().header("Authorization", operator()).when().get("/admin/tenants/dev/restores/nodot").then().statusCode(400);
        // billed by the bytes restored (at the ledger's next flush); the restore wrote nothing through the table's
        // capacity (its only request units are the test's own SELECT)
        Map<String, Object> line = null;
        for (int i = 0; i < 50 && line == null; i++) {
            Thread.sleep(200);
            List<Map<String, Object>> lines = given().header("Authorization", operator()).when()
                    .get("/admin/tenants/dev/usage").then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.keyspace == 'rec' && it.table == 'events_copy' }");
            line = lines.stream().filter(l -> new BigDecimal(String.valueOf(l.get("restoredGb"))).signum() > 0)
                    .findFirst().orElse(null);
        }
        assertThat(line).as("a bill line with the restored bytes").isNotNull();
        assertThat(new BigDecimal(String.valueOf(line.get("writeRequestUnits")))).isEqualByComparingTo(BigDecimal.ZERO);
        // PITR history is billed apart (GB-months of StorageEngine.historyBytes, refreshed by GC)
        assertThat(line).containsKey("pitrGbMonths");
        // priced at $0.15 per GB restored: 10 KB cost less than the bill's millionth of a dollar, so only the column
        assertThat(given().header("Authorization", operator()).when().get("/admin/tenants/dev/usage?format=csv").then()
                .statusCode(200).extract().asString()).contains("restored_gb");
    }

    @Test
    void aTenantAdminReachesItsOwnBackupsAndRestoresOnly() {
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"keeper\"}")
                .when().post("/admin/tenants").then().statusCode(201);
        String admin = "Bearer " + given().header("Authorization", operator()).contentType("application/json")
                .body("{\"subject\": \"dba\", \"tenantAdmin\": true}").when().post("/admin/tenants/keeper/tokens").then()
                .statusCode(201).extract().jsonPath().getString("token");
        given().header("Authorization", admin).when().get("/admin/tenants/keeper/backups").then().statusCode(200);
        given().header("Authorization", admin).when().get("/admin/tenants/keeper/restores").then().statusCode(200);
        given().header("Authorization", admin).contentType("application/json").body("{\"keyspace\": \"a\", \"table\": \"b\"}")
                .when().post("/admin/tenants/keeper/backups/x/restore").then().statusCode(404);
        given().header("Authorization", admin).when().get("/admin/tenants/dev/backups").then().statusCode(403);
        given().header("Authorization", admin).when().get("/admin/tenants/dev/restores").then().statusCode(403);
    }
}
