package io.strata.cql.schema;

/**
 * Where the CQL layer announces schema changes, so the transport can push SCHEMA_CHANGE events to
 * connections that REGISTERed for them. Events are per tenant: a connection only ever receives the
 * events of its own tenant. Implementations must be thread-safe and must not block.
 */
public interface SchemaEvents {
    void publish(String tenantId, SchemaEvent event);

    /** A listener a connection registers; the transport removes it when the connection closes. */
    interface Listener {
        void onSchemaChange(SchemaEvent event);
    }

    AutoCloseable subscribe(String tenantId, Listener listener);
}
