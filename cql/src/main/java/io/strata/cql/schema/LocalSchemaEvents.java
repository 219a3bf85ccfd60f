package io.strata.cql.schema;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * In-process schema event bus: delivers each tenant's events to the listeners of that tenant only.
 * Listeners are called on the publishing thread and must not block (the transport just enqueues a
 * frame). A later multi-gateway deployment adds a bus fed by the shared catalog. Thread-safe.
 */
public final class LocalSchemaEvents implements SchemaEvents {
    private static final Logger LOG = Logger.getLogger(LocalSchemaEvents.class);

    private final ConcurrentHashMap<String, Set<Listener>> listeners = new ConcurrentHashMap<>();

    @Override
    public void publish(String tenantId, SchemaEvent event) {
        Set<Listener> set = listeners.get(tenantId);
        if (set == null) {
            return;
        }
        for (Listener l : set) {
            try {
                l.onSchemaChange(event);
            } catch (RuntimeException e) {
                LOG.debugf(e, "schema event listener failed");
            }
        }
    }

    @Override
    public AutoCloseable subscribe(String tenantId, Listener listener) {
        listeners.computeIfAbsent(tenantId, t -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(tenantId, (t, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }
}
