package io.strata.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
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
 * Reconciliation: a client runs a workload of known row sizes at both consistency levels, computes the units itself
 * by docs/capacity.md, and the bill over HTTP matches to the unit; provisioned tables accrue capacity-hours; a
 * tenant admin reads only its own bill.
 */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
public class TestBilling {
    @Inject
    CqlServerLifecycle server;

    @Inject
    io.strata.storage.spi.StorageEngine storage;

    private static String operator() {
        return TestGatewayApplication.operatorBearer();
    }

    private CqlSession connect() {
        return TestGatewayApplication.devSession(server.port());
    }

    private static Map<String, Object> line(JsonPath bill, String table) {
        List<Map<String, Object>> lines = bill.getList("findAll { it.keyspace == 'bill' && it.table == '" + table + "' }");
        assertThat(lines).as("bill lines of bill.%s: %s", table, bill.prettify()).hasSize(1);
        return lines.get(0);
    }

    private static BigDecimal number(Map<String, Object> line, String field) {
        return new BigDecimal(String.valueOf(line.get(field)));
    }

    @Test
    void theBillMatchesTheClientsOwnCountToTheUnit() throws Exception {
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS bill WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE bill.kv (k int PRIMARY KEY, v text)");
            // 50 small rows: 1 write unit each (docs/capacity.md: every row under 1 KB costs one)
            for (int i = 0; i < 50; i++) {
                session.execute("INSERT INTO bill.kv (k, v) VALUES (" + i + ", 'value " + i + "')");
            }
            // one 3,000-character value: 3,000 B + k (int 7: 2 B x 2 + 1 + 3) + 1 B id + 20 B timestamp = 3,029 B:
            // 3 write units; read back at LOCAL_QUORUM: 1 read unit (under 4 KB)
            session.execute("INSERT INTO bill.kv (k, v) VALUES (1000, '" + "x".repeat(3000) + "')");
            // 20 reads at LOCAL_ONE (the driver's default): half a unit each; 10 at LOCAL_QUORUM: one each
            for (int i = 0; i < 20; i++) {
                session.execute("SELECT v FROM bill.kv WHERE k = " + i);
            }
            for (int i = 0; i < 10; i++) {
                session.execute(SimpleStatement.newInstance("SELECT v FROM bill.kv WHERE k = " + i)
                        .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM));
            }
            session.execute(SimpleStatement.newInstance("SELECT v FROM bill.kv WHERE k = 1000")
                    .setConsistencyLevel(DefaultConsistencyLevel.LOCAL_QUORUM));
        }
        JsonPath bill = given().header("Authorization", operator()).when().get("/admin/tenants/dev/usage").then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> kv = line(bill, "kv");
        BigDecimal writes = BigDecimal.valueOf(50 + 3);
        BigDecimal reads = BigDecimal.valueOf(20).multiply(new BigDecimal("0.5")).add(BigDecimal.valueOf(10 + 1));
        assertThat(number(kv, "writeRequestUnits")).isEqualByComparingTo(writes);
        assertThat(number(kv, "readRequestUnits")).isEqualByComparingTo(reads);
        // Keyspaces' us-east-1 prices: $0.625 per million write request units, $0.125 per million read
        BigDecimal cost = writes.multiply(new BigDecimal("0.625")).add(reads.multiply(new BigDecimal("0.125")))
                .divide(BigDecimal.valueOf(1_000_000));
        assertThat(number(kv, "costUsd")).isEqualByComparingTo(cost.setScale(6, java.math.RoundingMode.HALF_UP));

        String csv = given().header("Authorization", operator()).queryParam("format", "csv")
                .queryParam("granularity", "day").when().get("/admin/tenants/dev/usage").then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertThat(csv).startsWith("period,tenant,keyspace,table,read_request_units,write_request_units,");
        assertThat(csv).contains(",dev,bill,kv,21,53,");
        given().header("Authorization", operator()).queryParam("granularity", "week").when()
                .get("/admin/tenants/dev/usage").then().statusCode(400).body("detail", containsString("hour or day"));
    }

    @Test
    void provisionedTablesPayForTheirCapacityAndTheirRequestsAreNotBilledAgain() throws Exception {
        long start = System.nanoTime();
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS bill WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE bill.prov (k int PRIMARY KEY, v text) WITH CUSTOM_PROPERTIES = "
                    + "{'capacity_mode': {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 3600,"
                    + " 'write_capacity_units': 7200}}");
            for (int i = 0; i < 5; i++) {
                session.execute("INSERT INTO bill.prov (k, v) VALUES (" + i + ", 'x')");
            }
        }
        Thread.sleep(3_000);
        JsonPath bill = given().header("Authorization", operator()).when().get("/admin/tenants/dev/usage").then()
                .statusCode(200).extract().jsonPath();
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Object> prov = line(bill, "prov");
        assertThat(number(prov, "writeRequestUnits")).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(number(prov, "writeUnitsWithinProvisioned")).isEqualByComparingTo(BigDecimal.valueOf(5));
        // 3,600 RCU held for a second is one RCU-hour: as many as the seconds the table existed, accrued every 2 s
        // (the flush interval), so at least the 3 s slept less one interval; 7,200 WCU: exactly twice that
        double rcuHours = number(prov, "provisionedReadCapacityUnitHours").doubleValue();
        assertThat(rcuHours).isBetween(1.0, elapsed);
        assertThat(number(prov, "provisionedWriteCapacityUnitHours").doubleValue()).isEqualTo(2 * rcuHours);
        assertThat(number(prov, "costUsd").doubleValue()).isPositive();
        // its 5 rows are stored: a few hundred bytes for a few seconds, a tiny fraction of a GB-month
        assertThat(number(prov, "storageGbMonths").doubleValue()).isPositive().isLessThan(1e-9);
    }

    @Test
    void rowsDeletedByTtlAreBilledWhenStorageRemovesThem() throws Exception {
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS bill WITH replication = {'class': 'SingleRegionStrategy'}");
            // gc_grace_seconds 0: expired rows may leave storage at once (default: 10 days after they expire)
            session.execute("CREATE TABLE bill.ttl (k int PRIMARY KEY, v text) WITH gc_grace_seconds = 0");
            // each row as it expires: k (1 digit: 2 B x 2 + 1 + 3 = 8 B) + v (1,500 B + 1 B id + 20 B timestamp
            // + 8 B TTL) + 8 B row TTL = 1,545 B: 2 TTL delete units; ten rows: 20
            for (int i = 0; i < 10; i++) {
                session.execute("INSERT INTO bill.ttl (k, v) VALUES (" + i + ", '" + "x".repeat(1500) + "') USING TTL 1");
            }
            ((io.strata.storage.engine.LsmEngine) storage).flush();
            Thread.sleep(2_500);
            assertThat(session.execute("SELECT * FROM bill.ttl").all()).as("expired rows are invisible at once").isEmpty();
            // three more flushed segments: four similar segments are merged by a compaction that sees every copy
            for (int i = 0; i < 3; i++) {
                session.execute("INSERT INTO bill.ttl (k, v) VALUES (" + (100 + i) + ", 'live')");
                ((io.strata.storage.engine.LsmEngine) storage).flush();
            }
        }
        BigDecimal ttlDeletes = BigDecimal.ZERO;
        for (int i = 0; i < 50 && ttlDeletes.signum() == 0; i++) {
            Thread.sleep(200);
            JsonPath bill = given().header("Authorization", operator()).when().get("/admin/tenants/dev/usage").then()
                    .statusCode(200).extract().jsonPath();
            List<Map<String, Object>> lines = bill.getList("findAll { it.keyspace == 'bill' && it.table == 'ttl' }");
            ttlDeletes = lines.isEmpty() ? BigDecimal.ZERO : number(lines.get(0), "ttlDeleteUnits");
        }
        assertThat(ttlDeletes).isEqualByComparingTo(BigDecimal.valueOf(20));
        String csv = given().header("Authorization", operator()).when().get("/admin/tenants/dev/usage?format=csv").then()
                .statusCode(200).extract().asString();
        assertThat(csv).contains("ttl_delete_units");
    }

    @Test
    void aTenantAdminReadsOnlyItsOwnBill() throws Exception {
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"payer\"}")
                .when().post("/admin/tenants").then().statusCode(201);
        String admin = "Bearer " + given().header("Authorization", operator()).contentType("application/json")
                .body("{\"subject\": \"cfo\", \"tenantAdmin\": true}").when().post("/admin/tenants/payer/tokens").then()
                .statusCode(201).extract().jsonPath().getString("token");
        given().header("Authorization", admin).when().get("/admin/tenants/payer/usage").then().statusCode(200);
        given().header("Authorization", admin).when().get("/admin/tenants/dev/usage").then().statusCode(403);
        given().header("Authorization", admin).when().get("/admin/usage").then().statusCode(403);
        given().header("Authorization", operator()).when().get("/admin/usage").then().statusCode(200);
    }
}
