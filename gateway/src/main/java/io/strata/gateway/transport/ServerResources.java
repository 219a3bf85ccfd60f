package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

import io.strata.cql.session.RequestHandler;
import io.strata.cql.schema.SchemaEvents;
import io.strata.tenancy.Authenticator;
import java.util.Set;

/**
 * What every connection of one {@link CqlServer} shares. The connection set is concurrent: a
 * connection adds itself on accept and removes itself on close, on its own event loop, while
 * {@link CqlServer#close()} iterates it from another thread.
 */
record ServerResources(
        CqlServerOptions options,
        Codecs codecs,
        RequestHandler requestHandler,
        Authenticator authenticator,
        SchemaEvents schemaEvents,
        Set<CqlConnection> connections,
        Admission admission,
        java.time.Clock clock,
        TransportSecurity security) {
    ServerResources {
        requireNonNull(options, "options is null");
        requireNonNull(codecs, "codecs is null");
        requireNonNull(requestHandler, "requestHandler is null");
        requireNonNull(authenticator, "authenticator is null");
        requireNonNull(schemaEvents, "schemaEvents is null");
        requireNonNull(connections, "connections is null");
        requireNonNull(admission, "admission is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(security, "security is null");
    }
}
