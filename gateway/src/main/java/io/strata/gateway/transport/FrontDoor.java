package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What the CQL endpoint tolerates from clients before and after they authenticate, so that no client, logged in
 * or not, can take the gateway's memory or its connection slots from the others.
 *
 * <p>Before authentication a connection holds at most {@code preAuthMaxFrameSize} bytes of input (frames and v5
 * segments, compressed or inflated, above it are refused with a PROTOCOL_ERROR before their body arrives), must
 * authenticate within {@code loginTimeout} and has {@code maxAuthAttempts} tries. Buffers grow with the bytes
 * actually received, never with a length a header announces. After authentication the requests of every connection
 * together hold at most {@code maxRequestBytesInFlight} bytes of frame bodies; more are shed with OVERLOADED.
 *
 * @param preAuthMaxFrameSize largest frame body (v5: envelope body and segment payload) before authentication
 * @param loginTimeout time from accept to a successful AUTH_RESPONSE; the connection is closed after it
 * @param maxAuthAttempts failed AUTH_RESPONSEs per connection before it is closed
 * @param maxConnections open connections per gateway, all clients together
 * @param maxConnectionsPerAddress open connections from one source address
 * @param maxConnectionsPerTenant authenticated connections of one tenant
 * @param maxInFlightPerTenant requests of one tenant running at once (all its connections together); more are
 *     answered OVERLOADED, which drivers retry elsewhere or later
 * @param maxRequestBytesInFlight frame body bytes of the requests running at once, every connection and tenant
 *     together: what bounds the memory requests hold when thousands of connections each have many in flight;
 *     beyond it requests are answered OVERLOADED. A request is admitted alone whatever its size, and
 *     {@link CqlServerOptions} raises this to at least its frame limit, so the largest request always fits
 * @param idleTimeout a connection that neither sends nor receives anything for this long is closed (drivers send
 *     a heartbeat every 30 s by default); zero disables
 * @param maxUsernameBytes longest SASL username, checked before it is decoded
 * @param maxPasswordBytes longest SASL password (the token), checked before it is decoded
 */
public record FrontDoor(int preAuthMaxFrameSize, Duration loginTimeout, int maxAuthAttempts, int maxConnections,
        int maxConnectionsPerAddress, int maxConnectionsPerTenant, int maxInFlightPerTenant,
        long maxRequestBytesInFlight, Duration idleTimeout, int maxUsernameBytes, int maxPasswordBytes) {
    public static final int DEFAULT_PRE_AUTH_MAX_FRAME_SIZE = 16 * 1024;
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_AUTH_ATTEMPTS = 3;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1_000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_TENANT = 2_000;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_TENANT = 8_192;
    /** Requests in flight may hold 1/8 of the maximum heap by default ({@link #defaultMaxRequestBytesInFlight()}). */
    public static final int DEFAULT_REQUEST_BYTES_HEAP_DIVISOR = 8;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_USERNAME_BYTES = 256;
    /** As long as the longest token the authenticator accepts. */
    public static final int DEFAULT_MAX_PASSWORD_BYTES = 8192;

    public FrontDoor {
        requireNonNull(loginTimeout, "loginTimeout is null");
        requireNonNull(idleTimeout, "idleTimeout is null");
        positive(preAuthMaxFrameSize, "preAuthMaxFrameSize");
        positive(maxAuthAttempts, "maxAuthAttempts");
        positive(maxConnections, "maxConnections");
        positive(maxConnectionsPerAddress, "maxConnectionsPerAddress");
        positive(maxConnectionsPerTenant, "maxConnectionsPerTenant");
        positive(maxInFlightPerTenant, "maxInFlightPerTenant");
        if (maxRequestBytesInFlight < 1) {
            throw new IllegalArgumentException("maxRequestBytesInFlight must be positive: " + maxRequestBytesInFlight);
        }
        positive(maxUsernameBytes, "maxUsernameBytes");
        positive(maxPasswordBytes, "maxPasswordBytes");
        if (loginTimeout.isNegative() || loginTimeout.isZero()) {
            throw new IllegalArgumentException("loginTimeout must be positive: " + loginTimeout);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
        }
        // the AUTH_RESPONSE carrying the longest credentials must fit before authentication
        int credentials = 4 + 2 + maxUsernameBytes + maxPasswordBytes;
        if (preAuthMaxFrameSize < credentials) {
            throw new IllegalArgumentException("preAuthMaxFrameSize " + preAuthMaxFrameSize
                    + " cannot carry the longest credentials (" + credentials + " bytes)");
        }
    }

    public static FrontDoor defaults() {
        return new FrontDoor(DEFAULT_PRE_AUTH_MAX_FRAME_SIZE, DEFAULT_LOGIN_TIMEOUT, DEFAULT_MAX_AUTH_ATTEMPTS,
                DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_CONNECTIONS_PER_TENANT,
                DEFAULT_MAX_IN_FLIGHT_PER_TENANT, defaultMaxRequestBytesInFlight(), DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_USERNAME_BYTES, DEFAULT_MAX_PASSWORD_BYTES);
    }

    /**
     * An eighth of the maximum heap: the rest stays for what running requests make of their bytes (decoded values,
     * rows read, responses) and for the engine's memtables and caches, so a small heap sheds load rather than
     * running out of memory.
     */
    public static long defaultMaxRequestBytesInFlight() {
        return Runtime.getRuntime().maxMemory() / DEFAULT_REQUEST_BYTES_HEAP_DIVISOR;
    }

    public FrontDoor withLoginTimeout(Duration value) {
        return new FrontDoor(preAuthMaxFrameSize, value, maxAuthAttempts, maxConnections, maxConnectionsPerAddress,
                maxConnectionsPerTenant, maxInFlightPerTenant, maxRequestBytesInFlight, idleTimeout, maxUsernameBytes,
                maxPasswordBytes);
    }

    public FrontDoor withConnectionLimits(int total, int perAddress, int perTenant) {
        return new FrontDoor(preAuthMaxFrameSize, loginTimeout, maxAuthAttempts, total, perAddress, perTenant,
                maxInFlightPerTenant, maxRequestBytesInFlight, idleTimeout, maxUsernameBytes, maxPasswordBytes);
    }

    public FrontDoor withMaxInFlightPerTenant(int value) {
        return new FrontDoor(preAuthMaxFrameSize, loginTimeout, maxAuthAttempts, maxConnections,
                maxConnectionsPerAddress, maxConnectionsPerTenant, value, maxRequestBytesInFlight, idleTimeout,
                maxUsernameBytes, maxPasswordBytes);
    }

    public FrontDoor withMaxRequestBytesInFlight(long value) {
        return new FrontDoor(preAuthMaxFrameSize, loginTimeout, maxAuthAttempts, maxConnections,
                maxConnectionsPerAddress, maxConnectionsPerTenant, maxInFlightPerTenant, value, idleTimeout,
                maxUsernameBytes, maxPasswordBytes);
    }

    public FrontDoor withIdleTimeout(Duration value) {
        return new FrontDoor(preAuthMaxFrameSize, loginTimeout, maxAuthAttempts, maxConnections,
                maxConnectionsPerAddress, maxConnectionsPerTenant, maxInFlightPerTenant, maxRequestBytesInFlight, value,
                maxUsernameBytes, maxPasswordBytes);
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
