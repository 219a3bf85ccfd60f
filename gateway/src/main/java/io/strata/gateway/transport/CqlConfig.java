package io.strata.gateway.transport;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** Configuration of the CQL native-protocol endpoint ({@code strata.cql.*}). */
@ConfigMapping(prefix = "strata.cql")
public interface CqlConfig {
    /** The interface to bind. */
    @WithDefault("0.0.0.0")
    String host();

    /** The TCP port; 0 picks a free one (tests). */
    @WithDefault("9042")
    int port();

    /**
     * The largest request frame body accepted (v5: envelope body), e.g. {@code 16M}; larger requests
     * are refused with a PROTOCOL_ERROR and the connection is closed. At most 256M.
     */
    @WithDefault("16M")
    MemorySize maxFrameSize();

    /**
     * Requests one connection may have in flight before the server stops reading from it; reading
     * resumes once half of them have completed.
     */
    @WithDefault("2048")
    int maxRequestsPerConnection();

    /** Event loops serving CQL connections; defaults to the number of available processors. */
    OptionalInt eventLoops();

    /** The largest frame body a connection may send before it authenticates (holds the longest credentials). */
    @WithDefault("16K")
    MemorySize preAuthMaxFrameSize();

    /** Time from connect to a successful login; the connection is closed after it. */
    @WithDefault("10s")
    Duration loginTimeout();

    /** Failed logins one connection may make; the last one closes it. */
    @WithDefault("3")
    int maxAuthAttempts();

    /** Open CQL connections per gateway; more are closed at once. */
    @WithDefault("10000")
    int maxConnections();

    /** Open CQL connections from one source address. */
    @WithDefault("1000")
    int maxConnectionsPerAddress();

    /** Authenticated connections of one tenant on this gateway. */
    @WithDefault("2000")
    int maxConnectionsPerTenant();

    /** Requests of one tenant in flight on this gateway; more are answered OVERLOADED. */
    @WithDefault("8192")
    int maxInFlightPerTenant();

    /**
     * Frame body bytes of the requests in flight on this gateway, every connection and tenant together, e.g.
     * {@code 512M}; beyond it new requests are answered OVERLOADED (drivers retry them on another node or later)
     * instead of being executed, so overload sheds requests rather than exhausting the heap. Defaults to the maximum
     * heap / 8, but at least {@code max-frame-size} so a single maximal request still fits; a value set below
     * {@code max-frame-size} is refused.
     */
    Optional<MemorySize> maxRequestBytesInFlight();

    /** A connection with no traffic either way for this long is closed; 0 disables (drivers heartbeat every 30 s). */
    @WithDefault("10m")
    Duration idleTimeout();

    /**
     * How long a stopping gateway (SIGTERM) lets the requests in flight finish before it closes the connections and
     * then the storage; meanwhile new connections are refused and new requests answered OVERLOADED. Keep it, with
     * {@code quarkus.shutdown.delay}, below the container runtime's stop timeout (podman: 10 s; Kubernetes:
     * terminationGracePeriodSeconds).
     */
    @WithDefault("5s")
    Duration shutdownDrain();

    /** These settings as server options. */
    default CqlServerOptions toOptions() {
        long frameSize = maxFrameSize().asLongValue();
        if (frameSize > CqlServerOptions.MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("strata.cql.max-frame-size must be at most 256M: " + frameSize);
        }
        long preAuth = preAuthMaxFrameSize().asLongValue();
        if (preAuth > frameSize) {
            throw new IllegalArgumentException("strata.cql.pre-auth-max-frame-size must not exceed max-frame-size: "
                    + preAuth);
        }
        long requestBytes = maxRequestBytesInFlight().map(MemorySize::asLongValue)
                .orElseGet(FrontDoor::defaultMaxRequestBytesInFlight); // the options raise it to frameSize
        if (maxRequestBytesInFlight().isPresent() && requestBytes < frameSize) {
            throw new IllegalArgumentException("strata.cql.max-request-bytes-in-flight must be at least "
                    + "max-frame-size (" + frameSize + ") so that the largest request fits: " + requestBytes);
        }
        FrontDoor frontDoor = new FrontDoor((int) preAuth, loginTimeout(), maxAuthAttempts(), maxConnections(),
                maxConnectionsPerAddress(), maxConnectionsPerTenant(), maxInFlightPerTenant(), requestBytes,
                idleTimeout(), FrontDoor.DEFAULT_MAX_USERNAME_BYTES, FrontDoor.DEFAULT_MAX_PASSWORD_BYTES);
        return new CqlServerOptions(host(), port(), (int) frameSize, maxRequestsPerConnection(),
                eventLoops().orElse(Runtime.getRuntime().availableProcessors()), frontDoor);
    }
}
