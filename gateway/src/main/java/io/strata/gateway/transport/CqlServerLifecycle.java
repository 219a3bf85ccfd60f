package io.strata.gateway.transport;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.schema.SchemaEvents;
import io.strata.gateway.tls.TlsRegistryBinding;
import io.strata.tenancy.Authenticator;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Runs the {@link CqlServer} for the life of the Quarkus application, on the application's Vert.x
 * instance: bound at startup (before the application reports itself started), drained and closed at shutdown.
 *
 * <p><b>Graceful stop</b> (SIGTERM: {@code podman stop}, Kubernetes): the endpoint reports itself stopping at once, so
 * readiness goes DOWN first (with {@code quarkus.shutdown.delay} set, load balancers get that long to notice while
 * CQL still serves); then, before any other shutdown observer and before the storage is closed (its producer's
 * disposer runs after every {@link ShutdownEvent} observer), it stops admitting connections and requests, lets the
 * requests in flight finish within {@code strata.cql.shutdown-drain}, and closes the connections.
 */
@ApplicationScoped
public class CqlServerLifecycle {
    private static final Logger LOG = Logger.getLogger(CqlServerLifecycle.class);

    private final CqlConfig config;
    private final CqlServer server;
    private final TransportSecurity security;
    private volatile boolean stopping;

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

    /** The pre-shutdown delay began ({@code quarkus.shutdown.delay}): readiness DOWN, CQL still serving. */
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
    }

    // first among the shutdown observers: billing, the autoscaler and the storage still run while requests drain
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        try {
            long start = System.nanoTime();
            int inFlight = server.inFlight();
            int left = server.drain(config.shutdownDrain());
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                LOG.warnf("CQL endpoint: %d requests still in flight after %s (strata.cql.shutdown-drain); closing "
                        + "their connections", left, config.shutdownDrain());
            } else {
                LOG.infof("CQL endpoint drained in %d ms (%d requests were in flight)", millis, inFlight);
            }
            int connections = server.connectionCount();
            server.close();
            LOG.infof("CQL endpoint stopped, %d connections closed", connections);
        } catch (RuntimeException e) {
            // shutting down anyway: report, but let the rest of the shutdown run
            LOG.warnf(e, "CQL endpoint did not stop cleanly");
        }
    }

    /** The bound port, or -1 while the endpoint is not listening; tests configured with port 0 read it here. */
    public int port() {
        return server.port();
    }

    /** Whether shutdown has begun: the endpoint is about to stop (or stopped) admitting connections. */
    public boolean stopping() {
        return stopping;
    }
}
