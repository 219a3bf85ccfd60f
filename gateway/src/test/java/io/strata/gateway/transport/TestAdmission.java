package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a refused request holds (nothing) and what an ended one gives back (everything it took). */
final class TestAdmission {
    private final Admission admission = new Admission(FrontDoor.defaults().withMaxInFlightPerTenant(2)
            .withMaxRequestBytesInFlight(1000));

    @Test
    void aRequestOverTheByteBudgetHoldsNoTenantSlot() {
        assertThat(admission.tryStartRequest("acme", 600)).isNull();

        String refusal = admission.tryStartRequest("acme", 500);

        assertThat(refusal).isEqualTo("This gateway has 600 bytes of requests in flight (limit 1000, "
                + "strata.cql.max-request-bytes-in-flight) and this request has 500; retry later or with less "
                + "concurrency");
        assertThat(admission.inFlight("acme")).isEqualTo(1);
        assertThat(admission.requestBytesInFlight()).isEqualTo(600);
    }

    @Test
    void aRequestOverTheTenantLimitHoldsNoBytes() {
        assertThat(admission.tryStartRequest("acme", 10)).isNull();
        assertThat(admission.tryStartRequest("acme", 10)).isNull();

        assertThat(admission.tryStartRequest("acme", 10)).contains("Tenant acme has the maximum of 2 requests");
        assertThat(admission.requestBytesInFlight()).isEqualTo(20);
        assertThat(admission.tryStartRequest("globex", 10)).as("other tenants are served").isNull();
    }

    @Test
    void anEndedRequestGivesBackItsSlotAndItsBytes() {
        assertThat(admission.tryStartRequest("acme", 700)).isNull();
        admission.endRequest("acme", 700);

        assertThat(admission.inFlight("acme")).isZero();
        assertThat(admission.totalInFlight()).isZero();
        assertThat(admission.requestBytesInFlight()).isZero();
        assertThat(admission.tryStartRequest("acme", 1000)).isNull();
    }
}
