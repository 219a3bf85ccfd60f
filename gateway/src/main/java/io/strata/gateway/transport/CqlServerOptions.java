package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link CqlServer} listens and what it tolerates per connection.
 *
 * @param host the interface to bind, e.g. {@code 0.0.0.0}
 * @param port the TCP port; 0 picks a free one (see {@link CqlServer#start()})
 * @param maxFrameSize the largest request body accepted, in bytes (v5: the largest envelope body);
 *     a larger one is refused with a PROTOCOL_ERROR and the connection closed
 * @param maxRequestsPerConnection the requests one connection may have in flight before the server
 *     stops reading from it (reading resumes once half of them have completed)
 * @param eventLoops how many event loops serve connections (each connection stays on one)
 * @param frontDoor limits on connections, logins, per-tenant load and request bytes in flight (see
 *     {@link FrontDoor}); its {@link FrontDoor#maxRequestBytesInFlight()} is raised to {@code maxFrameSize} if
 *     lower, so a request of the largest size accepted always fits the budget
 */
public record CqlServerOptions(String host, int port, int maxFrameSize, int maxRequestsPerConnection, int eventLoops,
        FrontDoor frontDoor) {
    public static final int DEFAULT_PORT = 9042;
    public static final int DEFAULT_MAX_FRAME_SIZE = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 2048;
    /** The protocol caps a frame body at 256 MiB. */
    public static final int MAX_FRAME_SIZE_LIMIT = 256 * 1024 * 1024;
    static final int MIN_FRAME_SIZE = 1024;

    public CqlServerOptions {
        requireNonNull(host, "host is null");
        requireNonNull(frontDoor, "frontDoor is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within [0, 65535]: " + port);
        }
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxFrameSize must be within [" + MIN_FRAME_SIZE + ", "
                    + MAX_FRAME_SIZE_LIMIT + "]: " + maxFrameSize);
        }
        if (maxRequestsPerConnection < 1) {
            throw new IllegalArgumentException("maxRequestsPerConnection must be positive: " + maxRequestsPerConnection);
        }
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be positive: " + eventLoops);
        }
        if (frontDoor.maxRequestBytesInFlight() < maxFrameSize) {
            // a default sized from a small heap would otherwise turn away a legal request whenever another runs
            frontDoor = frontDoor.withMaxRequestBytesInFlight(maxFrameSize);
        }
    }

    /** The frame body limit before authentication: the front door's, unless the general limit is lower. */
    int preAuthMaxFrameSize() {
        return Math.min(maxFrameSize, frontDoor.preAuthMaxFrameSize());
    }

    /** With the default {@link FrontDoor}. */
    public CqlServerOptions(String host, int port, int maxFrameSize, int maxRequestsPerConnection, int eventLoops) {
        this(host, port, maxFrameSize, maxRequestsPerConnection, eventLoops, FrontDoor.defaults());
    }

    /** All interfaces, port 9042, 16 MiB frames, 2048 requests in flight, one event loop per CPU. */
    public static CqlServerOptions defaults() {
        return new CqlServerOptions("0.0.0.0", DEFAULT_PORT, DEFAULT_MAX_FRAME_SIZE,
                DEFAULT_MAX_REQUESTS_PER_CONNECTION, Runtime.getRuntime().availableProcessors(), FrontDoor.defaults());
    }

    public CqlServerOptions withHost(String host) {
        return new CqlServerOptions(host, port, maxFrameSize, maxRequestsPerConnection, eventLoops, frontDoor);
    }

    public CqlServerOptions withPort(int port) {
        return new CqlServerOptions(host, port, maxFrameSize, maxRequestsPerConnection, eventLoops, frontDoor);
    }

    public CqlServerOptions withMaxFrameSize(int maxFrameSize) {
        return new CqlServerOptions(host, port, maxFrameSize, maxRequestsPerConnection, eventLoops, frontDoor);
    }

    public CqlServerOptions withMaxRequestsPerConnection(int maxRequestsPerConnection) {
        return new CqlServerOptions(host, port, maxFrameSize, maxRequestsPerConnection, eventLoops, frontDoor);
    }

    public CqlServerOptions withEventLoops(int eventLoops) {
        return new CqlServerOptions(host, port, maxFrameSize, maxRequestsPerConnection, eventLoops, frontDoor);
    }

    public CqlServerOptions withFrontDoor(FrontDoor frontDoor) {
        return new CqlServerOptions(host, port, maxFrameSize, maxRequestsPerConnection, eventLoops, frontDoor);
    }
}
