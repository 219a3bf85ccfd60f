package io.strata.gateway.capacity;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.cql.schema.SchemaService;
import io.strata.tenancy.capacity.CapacityMeter;
import io.strata.tenancy.core.TenantDirectory;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the {@link Autoscaler} every {@code strata.capacity.autoscaling-interval} on a daemon thread. */
@Singleton
public class AutoscalerLifecycle {
    @Inject
    CapacityConfig config;

    @Inject
    TenantDirectory tenants;

    @Inject
    SchemaService schemas;

    @Inject
    CapacityMeter meter;

    @Inject
    Clock clock;

    private ScheduledExecutorService thread;

    void onStart(@Observes StartupEvent start) {
        if (!config.enabled()) {
            return;
        }
        Autoscaler autoscaler = new Autoscaler(tenants, schemas, meter, clock, config.scaleInWindow());
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-autoscaler");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.autoscalingInterval().toMillis());
        thread.scheduleWithFixedDelay(autoscaler::run, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
