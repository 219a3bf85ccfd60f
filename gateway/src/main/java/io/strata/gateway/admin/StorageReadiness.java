package io.strata.gateway.admin;

import io.strata.storage.spi.EngineStats;
import io.strata.storage.spi.StorageEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready once a newer writer fenced this process: its writes fail, so traffic should go elsewhere. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements HealthCheck {
    @Inject
    StorageEngine engine;

    @Override
    public HealthCheckResponse call() {
        EngineStats s = engine.stats();
        return HealthCheckResponse.named("storage").status(!s.fenced()).withData("writerEpoch", s.writerEpoch())
                .withData("fenced", s.fenced()).build();
    }
}
