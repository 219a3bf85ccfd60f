package io.strata.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Encryption at rest through the admin API: on by default, the master key rotated (data keys re-wrapped, nothing
 * rewritten) and a tenant's data key rotated while its data stays readable through the driver.
 */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
public class TestEncryptionKeys {
    @Inject
    CqlServerLifecycle server;

    private static String operator() {
        return TestGatewayApplication.operatorBearer();
    }

    private CqlSession connect() {
        return TestGatewayApplication.devSession(server.port());
    }

    @Test
    void keysRotateWhileDataStaysReadable() throws Exception {
        JsonPath before = given().header("Authorization", operator()).when().get("/admin/storage").then()
                .statusCode(200).extract().jsonPath();
        assertThat(before.getBoolean("encryption.enabled")).isTrue();
        String oldMaster = before.getString("encryption.masterKeyId");
        assertThat(oldMaster).startsWith("local-");
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS enc WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE enc.kv (k int PRIMARY KEY, v text)");
            for (int i = 0; i < 20; i++) {
                session.execute("INSERT INTO enc.kv (k, v) VALUES (" + i + ", 'v" + i + "')");
            }
            JsonPath rotated = given().header("Authorization", operator()).when().post("/admin/storage/keys/rotate")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(rotated.getString("masterKeyId")).isNotEqualTo(oldMaster).startsWith("local-");
            assertThat(rotated.getInt("dataKeysRewrapped")).as("the dev tenant's and the service's").isGreaterThanOrEqualTo(2);
            int version = given().header("Authorization", operator()).when().post("/admin/storage/keys/dev/rotate")
                    .then().statusCode(200).extract().jsonPath().getInt("dataKeyVersion");
            assertThat(version).isGreaterThanOrEqualTo(2);
            for (int i = 20; i < 40; i++) {
                session.execute("INSERT INTO enc.kv (k, v) VALUES (" + i + ", 'v" + i + "')");
            }
            for (int i = 0; i < 40; i++) {
                assertThat(session.execute("SELECT v FROM enc.kv WHERE k = " + i).one().getString("v")).isEqualTo("v" + i);
            }
        }
        given().when().post("/admin/storage/keys/rotate").then().statusCode(401);
        given().header("Authorization", operator()).when().post("/admin/storage/keys/no%20such/rotate").then()
                .statusCode(400);
    }
}
