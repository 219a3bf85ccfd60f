package io.strata.gateway.admin;

import io.strata.gateway.transport.CqlServerLifecycle;
import io.strata.storage.spi.StorageEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the process answers and its storage engine can report on itself. Deliberately not DOWN when the
 * storage is fenced or a zone quorum is lost: those make the gateway not ready (readiness), and restarting it would
 * not help (a fenced gateway that restarts fences the newer writer in turn; a lost zone stays lost). It reports them,
 * so a look at {@code /q/health/live} tells why a live gateway takes no traffic.
 */
@Liveness
@ApplicationScoped
public class GatewayLiveness implements HealthCheck {
    @Inject
    StorageEngine engine;

    @Inject
    CqlServerLifecycle cql;

    @Override
    public HealthCheckResponse call() {
        var s = engine.stats();
        return HealthCheckResponse.named("gateway").up().withData("fenced", s.fenced())
                .withData("writerEpoch", s.writerEpoch()).withData("cqlPort", Math.max(0, cql.port()))
                .withData("stopping", cql.stopping()).build();
    }
}
