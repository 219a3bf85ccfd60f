package io.strata.gateway.admin;

import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the CQL endpoint listens (storage is opened before it starts), for load balancers and Kubernetes; DOWN
 * again as soon as shutdown begins, before the endpoint stops admitting (see {@link CqlServerLifecycle}).
 */
@Readiness
@ApplicationScoped
public class CqlEndpointReadiness implements HealthCheck {
    @Inject
    CqlServerLifecycle server;

    @Override
    public HealthCheckResponse call() {
        int port = portOrZero();
        boolean stopping = server.stopping();
        return HealthCheckResponse.named("cql-endpoint").status(port > 0 && !stopping).withData("port", port)
                .withData("stopping", stopping).build();
    }

    private int portOrZero() {
        return Math.max(0, server.port());
    }
}
