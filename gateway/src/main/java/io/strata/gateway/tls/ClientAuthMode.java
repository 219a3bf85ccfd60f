package io.strata.gateway.tls;

import io.netty.handler.ssl.ClientAuth;

/** Whether the CQL port's TLS handshake asks clients for a certificate ({@code strata.tls.client-auth}). */
public enum ClientAuthMode {
    /** No client certificate is asked for. */
    NONE(ClientAuth.NONE),
    /** Asked for; a client without one still connects, one with an untrusted one does not. */
    REQUEST(ClientAuth.OPTIONAL),
    /** Demanded: a client without a certificate the trusted CAs signed fails the handshake. */
    REQUIRE(ClientAuth.REQUIRE);

    private final ClientAuth netty;

    ClientAuthMode(ClientAuth netty) {
        this.netty = netty;
    }

    ClientAuth netty() {
        return netty;
    }
}
