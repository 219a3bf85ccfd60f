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

    @Test
    void aTenantsOwnKeyIsCreatedThroughTheApiAndItsTablesUseIt() {
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"app-key\"}")
                .when().post("/admin/tenants/dev/keys").then().statusCode(201);
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"app-key\"}")
                .when().post("/admin/tenants/dev/keys").then().statusCode(409);
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"../x\"}")
                .when().post("/admin/tenants/dev/keys").then().statusCode(400);
        given().header("Authorization", operator()).contentType("application/json").body("{\"name\": \"k\"}")
                .when().post("/admin/tenants/nobody/keys").then().statusCode(404);
        assertThat(given().header("Authorization", operator()).when().get("/admin/tenants/dev/keys").then()
                .statusCode(200).extract().jsonPath().getList("name")).contains("app-key");
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS cmk WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE cmk.orders (k int PRIMARY KEY, v text) WITH CUSTOM_PROPERTIES = "
                    + "{'encryption_specification': {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY', "
                    + "'kms_key_identifier': 'arn:aws:kms:us-east-1:111122223333:key/app-key'}}");
            session.execute("INSERT INTO cmk.orders (k, v) VALUES (1, 'paid')");
            assertThat(session.execute("SELECT v FROM cmk.orders WHERE k = 1").one().getString("v")).isEqualTo("paid");
            var spec = session.execute("SELECT custom_properties FROM system_schema_mcs.tables WHERE keyspace_name = "
                    + "'cmk' AND table_name = 'orders'").one().getMap("custom_properties", String.class, java.util.Map.class)
                    .get("encryption_specification");
            assertThat(spec).containsEntry("encryption_type", "CUSTOMER_MANAGED_KMS_KEY")
                    .containsEntry("kms_key_identifier", "arn:aws:kms:us-east-1:111122223333:key/app-key");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> session.execute("CREATE TABLE cmk.other (k int "
                    + "PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification': {'encryption_type': "
                    + "'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_identifier': 'missing-key'}}"))
                    .isInstanceOf(com.datastax.oss.driver.api.core.servererrors.InvalidQueryException.class)
                    .hasMessageContaining("'missing-key'").hasMessageContaining("does not exist");
        }
    }
}
