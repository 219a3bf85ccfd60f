package io.strata.gateway.admin;

import io.strata.gateway.storage.StorageAssembly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the storage cannot take a write: too many zones (directories or S3 buckets) unreachable for a
 * quorum, or the one store down. Writes fail then, so traffic should go to a gateway that can write; reads of
 * cached data may still work, which is why liveness does not follow it (a restart would not bring a zone back).
 * See {@link StorageProbe} for what is probed and how often.
 */
@Readiness
@ApplicationScoped
public class StorageQuorumReadiness implements HealthCheck {
    private final StorageProbe probe;

    @Inject
    public StorageQuorumReadiness(StorageAssembly storage, Clock clock,
            @ConfigProperty(name = "strata.health.storage-probe-interval", defaultValue = "5s") Duration interval,
            @ConfigProperty(name = "strata.health.storage-probe-timeout", defaultValue = "3s") Duration timeout) {
        this.probe = new StorageProbe(storage.blobs(), nodeName(), clock, interval, timeout);
    }

    @Override
    public HealthCheckResponse call() {
        StorageProbe.Result r = probe.check();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("storage-quorum").status(r.writable())
                .withData("probe", probe.key()).withData("at", r.at().toString()).withData("millis", r.millis());
        if (r.error() != null) {
            b.withData("error", r.error());
        }
        return b.build();
    }

    private static String nodeName() {
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "gateway";
        }
    }
}
