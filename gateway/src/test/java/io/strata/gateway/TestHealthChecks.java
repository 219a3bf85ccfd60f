package io.strata.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * What orchestrators see at {@code /q/health/*} on a running gateway: readiness covers the CQL endpoint, fencing
 * and whether the zones take a write (a quorum of them); liveness reports the storage state without following it.
 * The shutdown order (readiness DOWN, drain, storage closed) is checked by the container test (ContainerIT).
 */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
public class TestHealthChecks {
    @Test
    void readinessCoversTheEndpointFencingAndTheZoneQuorum() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'cql-endpoint' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'cql-endpoint' }.data.stopping", equalTo(false))
                .body("checks.find { it.name == 'storage' }.data.fenced", equalTo(false))
                .body("checks.find { it.name == 'storage-quorum' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'storage-quorum' }.data.probe", startsWith("_health/"));
    }

    @Test
    void livenessReportsTheStorageStateButStaysUp() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'gateway' }.data.fenced", equalTo(false))
                .body("checks.find { it.name == 'gateway' }.data.stopping", equalTo(false));
    }
}
