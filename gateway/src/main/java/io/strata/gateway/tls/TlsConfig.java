package io.strata.gateway.tls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.strata.gateway.transport.TlsMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * TLS in transit for the CQL port and HTTP ({@code strata.tls.*}, docs/security.md "TLS in transit").
 * These keys are the operator's; {@link TlsConfigSourceFactory} turns them into the Quarkus TLS registry's
 * named configuration {@value TlsConfigSourceFactory#NAME} ({@code quarkus.tls.strata.*}), which loads and
 * reloads the certificate for both the HTTP server and the CQL port.
 */
@ConfigMapping(prefix = "strata.tls")
public interface TlsConfig {
    /** {@code off} (plaintext, the local default), {@code optional} (each client chooses) or {@code required}. */
    @WithDefault("off")
    TlsMode mode();

    /** The server certificate chain, PEM (leaf first); with {@link #keyFile()}. */
    Optional<Path> certFile();

    /** The private key of {@link #certFile()}, PEM (PKCS#8, or PKCS#1 RSA). */
    Optional<Path> keyFile();

    /** A PKCS12 or JKS key store holding the certificate and key, instead of the PEM files. */
    Optional<Path> keyStoreFile();

    /** The key store's password. */
    Optional<String> keyStorePassword();

    /** {@code PKCS12} or {@code JKS}; by default from the file name ({@code .jks} is JKS, anything else PKCS12). */
    Optional<String> keyStoreType();

    /** CA certificates (PEM) client certificates must chain to; needed when {@link #clientAuth()} asks for one. */
    Optional<Path> trustFile();

    /** Whether the CQL port asks clients for a certificate (mTLS): {@code none}, {@code request} or {@code require}. */
    @WithDefault("none")
    ClientAuthMode clientAuth();

    /** How often the certificate files are read again; new connections get what changed. {@code 0} never. */
    @WithDefault("1m")
    Duration reloadPeriod();

    /**
     * Without a certificate configured, create a self-signed development certificate (for localhost and
     * 127.0.0.1) in {@code <strata.storage.local.path>/tls} on first start and use it from then on.
     */
    @WithDefault("false")
    boolean selfSigned();
}
