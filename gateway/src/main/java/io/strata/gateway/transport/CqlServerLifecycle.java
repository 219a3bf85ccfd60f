package io.strata.gateway.transport;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.schema.SchemaEvents;
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

    @Inject
    public CqlServerLifecycle(Vertx vertx, CqlConfig config, RequestHandler requestHandler,
            Authenticator authenticator, SchemaEvents schemaEvents, java.time.Clock clock) {
        this.config = config;
        this.server = new CqlServer(vertx, config.toOptions(), requestHandler, authenticator, schemaEvents, clock);
    }

    void onStart(@Observes StartupEvent event) {
        int port = server.start();
        LOG.infof("CQL endpoint listening on %s:%d", config.host(), port);
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
