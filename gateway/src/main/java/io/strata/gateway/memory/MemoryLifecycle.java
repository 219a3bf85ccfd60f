package io.strata.gateway.memory;

import io.quarkus.runtime.StartupEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Applies {@link IdleHeapReturn} at start ({@code strata.memory.*}). */
@Singleton
final class MemoryLifecycle {
    private static final Logger LOG = Logger.getLogger(MemoryLifecycle.class);

    void onStart(@Observes StartupEvent start, MemoryConfig config) {
        IdleHeapReturn.apply(config.returnIdleHeapAfter()).ifPresent(LOG::info);
    }
}
