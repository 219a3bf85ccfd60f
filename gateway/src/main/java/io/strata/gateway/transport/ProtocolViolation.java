package io.strata.gateway.transport;

/**
 * A client broke the protocol in a way the connection cannot recover from: the transport answers
 * with a PROTOCOL_ERROR on {@link #streamId()}, encoded in {@link #responseVersion()}, and closes the
 * connection once that answer is written (as Cassandra does for every ProtocolException).
 */
final class ProtocolViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int responseVersion;
    private final int streamId;

    /**
     * @param responseVersion the protocol version to encode the error in, one the client can read;
     *     {@code -1} for the connection's negotiated version
     * @param streamId the stream the error answers (0 when the offending frame's stream is unknown)
     */
    ProtocolViolation(int responseVersion, int streamId, String message) {
        super(message, null, false, false);
        this.responseVersion = responseVersion;
        this.streamId = streamId;
    }

    ProtocolViolation(int streamId, String message) {
        this(-1, streamId, message);
    }

    int responseVersion() {
        return responseVersion;
    }

    int streamId() {
        return streamId;
    }
}
