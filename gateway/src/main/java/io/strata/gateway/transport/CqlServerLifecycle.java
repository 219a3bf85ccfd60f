package io.strata.gateway.transport;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.schema.SchemaEvents;
import io.strata.gateway.tls.TlsRegistryBinding;
import io.strata.tenancy.Authenticator;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Runs the {@link CqlServer} for the life of the Quarkus application, on the application's Vert.x
 * instance: bound at startup (before the application reports itself started), closed at shutdown.
 */
@ApplicationScoped
public class CqlServerLifecycle {
    private static final Logger LOG = Logger.getLogger(CqlServerLifecycle.class);

    private final CqlConfig config;
    private final CqlServer server;
    private final TransportSecurity security;

    @Inject
    public CqlServerLifecycle(Vertx vertx, CqlConfig config, RequestHandler requestHandler,
            Authenticator authenticator, SchemaEvents schemaEvents, java.time.Clock clock, TlsRegistryBinding tls) {
        this.config = config;
        this.security = tls.security();
        this.server = new CqlServer(vertx, config.toOptions(), requestHandler, authenticator, schemaEvents, clock,
                security);
    }

    void onStart(@Observes StartupEvent event) {
        int port = server.start();
        LOG.infof("CQL endpoint listening on %s:%d (TLS %s)", config.host(), port,
                security.mode().name().toLowerCase(java.util.Locale.ROOT));
    }

    void onStop(@Observes ShutdownEvent event) {
        try {
            server.close();
        } catch (RuntimeException e) {
            // shutting down anyway: report, but let the rest of the shutdown run
            LOG.warnf(e, "CQL endpoint did not stop cleanly");
        }
    }

    /** The bound port, or -1 while the endpoint is not listening; tests configured with port 0 read it here. */
    public int port() {
        return server.port();
    }
}
