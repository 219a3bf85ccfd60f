package io.strata.gateway.tls;

import io.netty.handler.ssl.SslContext;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.strata.gateway.transport.TransportSecurity;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The CQL port's {@link TransportSecurity}, built from the Quarkus TLS registry's {@value TlsConfigSourceFactory#NAME}
 * configuration (the same certificate HTTPS serves) and the {@code strata.tls.*} mode and client-auth settings.
 * When the registry reloads the certificate files ({@code strata.tls.reload-period}) it fires a
 * {@link CertificateUpdatedEvent}; the CQL context is rebuilt from it, so new connections present the new
 * certificate and open ones keep theirs, as on HTTPS. A reload that fails keeps the previous context.
 *
 * <p>Thread-safe: the event arrives on a worker thread; the swap is atomic.
 */
@ApplicationScoped
public class TlsRegistryBinding {
    private static final Logger LOG = Logger.getLogger(TlsRegistryBinding.class);

    private final TlsConfig config;
    private final Vertx vertx;
    private final TransportSecurity security;
    private volatile String served;

    @Inject
    public TlsRegistryBinding(TlsConfig config, TlsConfigurationRegistry registry, Vertx vertx,
            @ConfigProperty(name = "strata.storage.local.path", defaultValue = "./data") Path dataDir) {
        this.config = config;
        this.vertx = vertx;
        if (!config.mode().equals(io.strata.gateway.transport.TlsMode.OFF)) {
            TlsConfiguration tls = registry.get(TlsConfigSourceFactory.NAME).orElseThrow(() -> new IllegalStateException(
                    "strata.tls.mode=" + config.mode() + " but the TLS registry has no '" + TlsConfigSourceFactory.NAME
                            + "' configuration; set strata.tls.cert-file and key-file, or key-store-file"));
            this.security = TransportSecurity.of(config.mode(), context(tls));
            this.served = describe(tls);
            LOG.infof("TLS %s on the CQL port and HTTPS; certificate %s; client certificates: %s",
                    config.mode().name().toLowerCase(java.util.Locale.ROOT), served,
                    config.clientAuth().name().toLowerCase(java.util.Locale.ROOT));
            if (config.selfSigned() && config.certFile().isEmpty() && config.keyStoreFile().isEmpty()) {
                Path cert = dataDir.resolve("tls").resolve(DevCertificate.CERT);
                LOG.infof("Serving the self-signed development certificate %s (not for production). Clients trust it"
                        + " as their CA file, e.g.%n  SSL_CERTFILE=%s cqlsh --ssl ...%n"
                        + "  curl --cacert %s https://localhost:<quarkus.http.ssl-port>/q/health", cert, cert, cert);
            }
        } else {
            this.security = TransportSecurity.off();
        }
    }

    /** What the CQL server uses. */
    public TransportSecurity security() {
        return security;
    }

    void onCertificateUpdated(@Observes CertificateUpdatedEvent event) {
        if (!TlsConfigSourceFactory.NAME.equals(event.name()) || !security.enabled()) {
            return;
        }
        try {
            security.update(context(event.tlsConfiguration()));
            String now = describe(event.tlsConfiguration());
            if (!now.equals(served)) {
                LOG.infof("TLS certificate reloaded: new connections get %s (was %s)", now, served);
                served = now;
            }
        } catch (Exception e) {
            LOG.errorf(e, "TLS certificate reload failed; the CQL port keeps the previous certificate");
        }
    }

    private SslContext context(TlsConfiguration tls) {
        try {
            TrustOptions trust = tls.getTrustStoreOptions();
            TrustManagerFactory trustManagers = trust == null ? null : trust.getTrustManagerFactory(vertx);
            return TransportSecurity.serverContext(tls.getKeyStoreOptions().getKeyManagerFactory(vertx), trustManagers,
                    config.clientAuth().netty());
        } catch (Exception e) {
            throw new IllegalStateException("could not build the CQL port's TLS context: " + e.getMessage(), e);
        }
    }

    /** The served certificate's subject, serial and expiry, for the log. */
    static String describe(TlsConfiguration tls) {
        KeyStore store = tls.getKeyStore();
        if (store == null) {
            return "(unknown)";
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                Certificate c = store.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    return "'" + x.getSubjectX500Principal().getName() + "' serial " + x.getSerialNumber().toString(16)
                            + " valid until " + x.getNotAfter().toInstant();
                }
            }
        } catch (KeyStoreException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
        return "(none)";
    }
}
