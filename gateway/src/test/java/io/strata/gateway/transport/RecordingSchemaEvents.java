package io.strata.gateway.transport;

import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaEvents;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link LocalSchemaEvents} that counts live subscriptions. Thread-safe. */
final class RecordingSchemaEvents implements SchemaEvents {
    private final LocalSchemaEvents delegate = new LocalSchemaEvents();
    final AtomicInteger subscriptions = new AtomicInteger();

    @Override
    public void publish(String tenantId, SchemaEvent event) {
        delegate.publish(tenantId, event);
    }

    @Override
    public AutoCloseable subscribe(String tenantId, Listener listener) {
        AutoCloseable subscription = delegate.subscribe(tenantId, listener);
        subscriptions.incrementAndGet();
        return () -> {
            subscriptions.decrementAndGet();
            subscription.close();
        };
    }
}
