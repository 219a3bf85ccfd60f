package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

import io.strata.cql.session.RequestHandler;
import io.strata.cql.schema.SchemaEvents;
import io.strata.tenancy.Authenticator;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The CQL native-protocol endpoint (protocol v3, v4 and v5) on a Vert.x TCP server: it accepts
 * connections, authenticates them with the {@link Authenticator} and hands their CQL requests to the
 * {@link RequestHandler}; see {@link CqlConnection} for the per-connection protocol.
 *
 * <p>One server instance runs per event loop ({@link CqlServerOptions#eventLoops()}), all sharing
 * the listening socket; Vert.x spreads accepted connections over them and a connection stays on its
 * loop for life. With port 0 the instances share one ephemeral port, reported by {@link #port()}.
 *
 * <p>With {@link TransportSecurity} on, each connection's first byte decides between TLS and plaintext
 * ({@link TlsSniffer}); {@link TlsMode#REQUIRED} answers a plaintext client's first frame with a
 * PROTOCOL_ERROR saying TLS is required and closes it.
 *
 * <p>{@link #start()} and {@link #close()} block until the listener is bound or released, so they
 * must not be called on an event loop. Thread-safe.
 */
public final class CqlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CqlServer.class);
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, java.time.Duration.ofSeconds(10));
    private static final long TIMEOUT_SECONDS = 30;
    // Vert.x shares a random port among servers listening on the same negative port number
    private static final AtomicInteger SHARED_EPHEMERAL_KEYS = new AtomicInteger();

    private final Vertx vertx;
    private final CqlServerOptions options;
    private final ServerResources resources;
    private String deploymentId;
    private volatile int port = -1;

    public CqlServer(Vertx vertx, CqlServerOptions options, RequestHandler requestHandler,
            Authenticator authenticator, SchemaEvents schemaEvents) {
        this(vertx, options, requestHandler, authenticator, schemaEvents, java.time.Clock.systemUTC());
    }

    /** @param clock judges when a connection's credential has expired */
    public CqlServer(Vertx vertx, CqlServerOptions options, RequestHandler requestHandler,
            Authenticator authenticator, SchemaEvents schemaEvents, java.time.Clock clock) {
        this(vertx, options, requestHandler, authenticator, schemaEvents, clock, TransportSecurity.off());
    }

    /**
     * @param clock judges when a connection's credential has expired
     * @param security whether connections speak TLS, and with which certificate ({@link TransportSecurity})
     */
    public CqlServer(Vertx vertx, CqlServerOptions options, RequestHandler requestHandler,
            Authenticator authenticator, SchemaEvents schemaEvents, java.time.Clock clock,
            TransportSecurity security) {
        this.vertx = requireNonNull(vertx, "vertx is null");
        this.options = requireNonNull(options, "options is null");
        this.resources = new ServerResources(options, new Codecs(options.maxFrameSize(), options.preAuthMaxFrameSize()),
                requestHandler, authenticator, schemaEvents, ConcurrentHashMap.newKeySet(),
                new Admission(options.frontDoor()), clock, security);
    }

    /**
     * Binds the listener and starts accepting connections.
     *
     * @return the bound port (the chosen one when the options ask for port 0)
     * @throws IllegalStateException if already started, called on an event loop, or binding failed
     */
    public synchronized int start() {
        if (deploymentId != null) {
            throw new IllegalStateException("CQL server already started");
        }
        requireBlockingAllowed("start");
        int listenPort = options.port() == 0 && options.eventLoops() > 1
                ? -1 - Math.floorMod(SHARED_EPHEMERAL_KEYS.getAndIncrement(), 60_000)
                : options.port();
        NetServerOptions serverOptions = new NetServerOptions()
                .setHost(options.host())
                .setPort(listenPort)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.frontDoor().idleTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        AtomicInteger boundPort = new AtomicInteger(-1);
        Future<String> deployment = vertx.deployVerticle(
                () -> new Listener(serverOptions, resources, boundPort),
                new DeploymentOptions().setInstances(options.eventLoops()));
        deploymentId = await(deployment, "bind the CQL endpoint to " + options.host() + ":" + options.port());
        port = boundPort.get();
        return port;
    }

    /** The bound port, or -1 before {@link #start()}. */
    public int port() {
        return port;
    }

    /** How many client connections are open. */
    public int connectionCount() {
        return resources.connections().size();
    }

    /**
     * The first half of a graceful stop: from now on new connections are closed as they arrive and new requests are
     * answered OVERLOADED (drivers retry those elsewhere), while the requests already in flight run to their
     * answers. Waits until none is left or {@code deadline} has passed; {@link #close()} then closes the
     * connections. Idempotent; blocks, so not on an event loop.
     *
     * @return the requests still in flight at the deadline (0: every one was answered)
     */
    public int drain(java.time.Duration deadline) {
        requireNonNull(deadline, "deadline is null");
        requireBlockingAllowed("drain");
        resources.admission().startDraining();
        long until = System.nanoTime() + deadline.toNanos();
        int left;
        while ((left = resources.admission().totalInFlight()) > 0 && System.nanoTime() - until < 0) {
            sleep(10);
        }
        if (left == 0) {
            // a completion leaves the count before its answer is written on the connection's event loop
            sleep(50);
        }
        return left;
    }

    /** Requests in flight on every connection together. */
    public int inFlight() {
        return resources.admission().totalInFlight();
    }

    /** Frame body bytes of the requests in flight on every connection together (see {@link FrontDoor}). */
    public long requestBytesInFlight() {
        return resources.admission().requestBytesInFlight();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while draining the CQL endpoint", e);
        }
    }

    /** Stops accepting, closes every open connection and releases the port. Idempotent. */
    @Override
    public synchronized void close() {
        if (deploymentId == null) {
            return;
        }
        requireBlockingAllowed("close");
        String id = deploymentId;
        deploymentId = null;
        port = -1;
        await(vertx.undeploy(id), "stop the CQL endpoint"); // no new connections after this
        List<CqlConnection> open = List.copyOf(resources.connections());
        List<Future<Void>> closed = open.stream().map(CqlConnection::close).collect(Collectors.toList());
        await(Future.join(closed), "close CQL connections");
        LOG.debugf("CQL endpoint stopped, %d connections closed", open.size());
    }

    private static void requireBlockingAllowed(String operation) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("CqlServer." + operation + "() blocks and must not run on an event loop");
        }
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Failed to " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out trying to " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted trying to " + what, e);
        }
    }

    @Override
    public String toString() {
        return "CqlServer[" + options.host() + ":" + (port >= 0 ? port : options.port()) + ", connections="
                + resources.connections().size() + "]";
    }

    /** One listening instance, bound to the event loop Vert.x gives this verticle. */
    private static final class Listener extends AbstractVerticle {
        private final NetServerOptions serverOptions;
        private final ServerResources resources;
        private final AtomicInteger boundPort;

        Listener(NetServerOptions serverOptions, ServerResources resources, AtomicInteger boundPort) {
            this.serverOptions = serverOptions;
            this.resources = resources;
            this.boundPort = boundPort;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createNetServer(serverOptions)
                    .connectHandler(this::accept)
                    .listen()
                    .onSuccess(server -> {
                        boundPort.set(server.actualPort());
                        started.complete();
                    })
                    .onFailure(started::fail);
        }

        private void accept(NetSocket socket) {
            String address = socket.remoteAddress() == null || socket.remoteAddress().hostAddress() == null
                    ? "unknown" : socket.remoteAddress().hostAddress();
            String refusal = resources.admission().tryConnect(address);
            if (refusal != null) {
                // refused before reading a byte: a flood of connections costs the server no buffers
                REFUSALS.warn(() -> "Refusing CQL connections: " + refusal);
                socket.close();
                return;
            }
            // before the connection reads a byte (Vert.x calls this handler as the channel is set up), so the
            // sniffer sees the first one; the connection still refuses plaintext on its own when TLS is required
            resources.security().install(((NetSocketInternal) socket).channelHandlerContext().pipeline());
            CqlConnection connection = new CqlConnection(socket, context, resources, address);
            resources.connections().add(connection);
            connection.start();
        }
    }
}
