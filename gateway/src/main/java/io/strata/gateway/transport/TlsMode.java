package io.strata.gateway.transport;

/** Whether a port speaks TLS: never, on the client's choice, or always. */
public enum TlsMode {
    /** Plaintext only (the local default, on loopback). */
    OFF,
    /** Each connection chooses: a TLS ClientHello starts TLS, anything else stays plaintext. */
    OPTIONAL,
    /** TLS only; a plaintext client is answered with a PROTOCOL_ERROR saying so, then closed. */
    REQUIRED
}
