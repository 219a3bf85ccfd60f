package io.strata.gateway.admin;

import io.strata.gateway.config.StorageRuntime;
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
    StorageRuntime storage;

    @Override
    public HealthCheckResponse call() {
        boolean fenced = storage.engine().isFenced();
        return HealthCheckResponse.named("storage").status(!fenced).withData("writerEpoch", storage.engine().epoch())
                .withData("fenced", fenced).build();
    }
}
