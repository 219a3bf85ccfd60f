package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whether and how the CQL port speaks TLS ({@link TlsMode}), and the server TLS context new connections
 * handshake with.
 *
 * <p>With TLS on, every accepted connection starts with a {@link TlsSniffer}: a first byte {@code 0x16}
 * (a TLS handshake record) gets an {@link SslHandler} from the context current at that moment; any
 * other first byte leaves the connection plaintext, which {@link TlsMode#REQUIRED} then refuses with a
 * PROTOCOL_ERROR at its first frame (see {@link CqlConnection}). {@link #update} swaps the context for
 * a reloaded certificate: connections opened afterwards present the new one, open ones keep theirs.
 *
 * <p>Thread-safe: the context is an atomic reference read once per accepted connection.
 */
public final class TransportSecurity {
    /** TLS 1.3 first; nothing older than 1.2. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /**
     * AEAD suites with forward secrecy only (TLS 1.3's three, then ECDHE with AES-GCM or ChaCha20 for 1.2),
     * the set Mozilla's "intermediate" profile recommends; every current driver (JDK, OpenSSL) offers some.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    /** What a plaintext client hears from a port that requires TLS. */
    public static final String PLAINTEXT_REFUSAL =
            "this server requires TLS; connect with SSL enabled (see docs/security.md)";

    private static final TransportSecurity OFF = new TransportSecurity(TlsMode.OFF, null);

    private final TlsMode mode;
    private final AtomicReference<SslContext> context;

    private TransportSecurity(TlsMode mode, SslContext context) {
        this.mode = mode;
        this.context = new AtomicReference<>(context);
    }

    /** Plaintext only, as before TLS existed. */
    public static TransportSecurity off() {
        return OFF;
    }

    /**
     * @param mode {@link TlsMode#OPTIONAL} or {@link TlsMode#REQUIRED}
     * @param context a server context, e.g. from {@link #serverContext}
     */
    public static TransportSecurity of(TlsMode mode, SslContext context) {
        requireNonNull(mode, "mode is null");
        requireNonNull(context, "context is null");
        if (mode == TlsMode.OFF) {
            throw new IllegalArgumentException("mode OFF takes no TLS context; use TransportSecurity.off()");
        }
        if (!context.isServer()) {
            throw new IllegalArgumentException("context is not a server context");
        }
        return new TransportSecurity(mode, context);
    }

    /**
     * A server context restricted to {@link #PROTOCOLS} and {@link #CIPHER_SUITES} (those the JDK supports).
     *
     * @param keys the server's certificate chain and private key
     * @param trust the CAs client certificates must chain to, or null when no client certificate is asked for
     * @param clientAuth whether the handshake asks for ({@link ClientAuth#OPTIONAL}) or demands
     *     ({@link ClientAuth#REQUIRE}) a client certificate; anything but {@link ClientAuth#NONE} needs {@code trust}
     */
    public static SslContext serverContext(KeyManagerFactory keys, TrustManagerFactory trust, ClientAuth clientAuth)
            throws SSLException {
        requireNonNull(keys, "keys is null");
        requireNonNull(clientAuth, "clientAuth is null");
        if (clientAuth != ClientAuth.NONE && trust == null) {
            throw new IllegalArgumentException("asking for client certificates needs trusted CAs to check them against");
        }
        SslContextBuilder builder = SslContextBuilder.forServer(keys)
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .clientAuth(clientAuth);
        if (trust != null) {
            builder.trustManager(trust);
        }
        return builder.build();
    }

    public TlsMode mode() {
        return mode;
    }

    /** Whether connections may be TLS at all. */
    public boolean enabled() {
        return mode != TlsMode.OFF;
    }

    /** Whether a plaintext connection is refused. */
    public boolean required() {
        return mode == TlsMode.REQUIRED;
    }

    /** Connections accepted from now on handshake with {@code next}; open connections are unaffected. */
    public void update(SslContext next) {
        requireNonNull(next, "next is null");
        if (mode == TlsMode.OFF) {
            throw new IllegalStateException("TLS is off on this port");
        }
        context.set(next);
    }

    /** The context a connection accepted now handshakes with; null when TLS is off. */
    public SslContext context() {
        return context.get();
    }

    /** Prepares a freshly accepted connection's pipeline: does nothing when TLS is off. Event loop only. */
    void install(ChannelPipeline pipeline) {
        if (mode != TlsMode.OFF) {
            pipeline.addFirst(TlsSniffer.NAME, new TlsSniffer(context.get()));
        }
    }
}
