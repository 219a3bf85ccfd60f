package io.strata.gateway.tls;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import io.strata.gateway.transport.TransportSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns the operator's {@code strata.tls.*} keys ({@link TlsConfig}) into the Quarkus configuration that
 * serves them: the TLS registry's named configuration {@value #NAME} (certificate, trusted CAs, protocols,
 * cipher suites, reload period) and the HTTP server's use of it ({@code quarkus.http.tls-configuration-name},
 * {@code quarkus.http.insecure-requests}). The CQL port reads the same registry entry
 * ({@link TlsRegistryBinding}), so one certificate, loaded and reloaded in one place, serves both.
 *
 * <p>The derived values sit at ordinal {@value #ORDINAL}, below {@code application.properties}: an operator
 * who sets a {@code quarkus.tls.strata.*} or {@code quarkus.http.*} key directly wins. With
 * {@code strata.tls.self-signed=true} and no certificate configured this is also where the development
 * certificate is created, because the registry loads its files before any application bean starts.
 *
 * <p>Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; stateless.
 */
public final class TlsConfigSourceFactory implements ConfigSourceFactory {
    /** The TLS registry configuration Strata's ports use. */
    public static final String NAME = "strata";
    static final int ORDINAL = 200;
    private static final String TLS = "quarkus.tls." + NAME + ".";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> derived = derive(name -> {
            ConfigValue value = context.getValue(name);
            return Optional.ofNullable(value == null ? null : value.getValue()).map(String::strip)
                    .filter(v -> !v.isEmpty());
        }, Clock.systemUTC());
        return List.of(new PropertiesConfigSource(derived, "strata.tls (derived)", ORDINAL));
    }

    /**
     * The Quarkus keys for these {@code strata.tls.*} values: none when TLS is off.
     *
     * @throws IllegalArgumentException when the values do not make a working TLS setup (the message says which key)
     */
    static Map<String, String> derive(Function<String, Optional<String>> config, Clock clock) {
        String mode = config.apply("strata.tls.mode").orElse("off").toLowerCase(Locale.ROOT);
        Map<String, String> out = new LinkedHashMap<>();
        switch (mode) {
            case "off":
                return out;
            case "optional", "required":
                break;
            default:
                throw new IllegalArgumentException("strata.tls.mode must be off, optional or required: " + mode);
        }
        Optional<String> cert = config.apply("strata.tls.cert-file");
        Optional<String> key = config.apply("strata.tls.key-file");
        Optional<String> store = config.apply("strata.tls.key-store-file");
        boolean selfSigned = Boolean.parseBoolean(config.apply("strata.tls.self-signed").orElse("false"));
        if (cert.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("strata.tls.cert-file and strata.tls.key-file go together; set both");
        }
        if (cert.isPresent() && store.isPresent()) {
            throw new IllegalArgumentException(
                    "set either strata.tls.cert-file/key-file (PEM) or strata.tls.key-store-file, not both");
        }
        if (cert.isPresent()) {
            out.put(TLS + "key-store.pem.0.cert", cert.get());
            out.put(TLS + "key-store.pem.0.key", key.get());
        } else if (store.isPresent()) {
            String type = config.apply("strata.tls.key-store-type")
                    .orElse(store.get().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12")
                    .toUpperCase(Locale.ROOT);
            String prefix = switch (type) {
                case "PKCS12", "P12" -> TLS + "key-store.p12.";
                case "JKS" -> TLS + "key-store.jks.";
                default -> throw new IllegalArgumentException("strata.tls.key-store-type must be PKCS12 or JKS: " + type);
            };
            out.put(prefix + "path", store.get());
            config.apply("strata.tls.key-store-password").ifPresent(p -> out.put(prefix + "password", p));
        } else if (selfSigned) {
            Path dir = Path.of(config.apply("strata.storage.local.path").orElse("./data")).resolve("tls");
            try {
                DevCertificate.Pair pair = DevCertificate.ensure(dir, clock);
                out.put(TLS + "key-store.pem.0.cert", pair.cert().toString());
                out.put(TLS + "key-store.pem.0.key", pair.key().toString());
            } catch (IOException e) {
                throw new UncheckedIOException("could not create the development certificate in " + dir, e);
            }
        } else {
            throw new IllegalArgumentException("strata.tls.mode=" + mode + " needs a certificate: strata.tls.cert-file"
                    + " and key-file (PEM), strata.tls.key-store-file, or strata.tls.self-signed=true for development");
        }
        String clientAuth = config.apply("strata.tls.client-auth").orElse("none").toLowerCase(Locale.ROOT);
        if (!List.of("none", "request", "require").contains(clientAuth)) {
            throw new IllegalArgumentException("strata.tls.client-auth must be none, request or require: " + clientAuth);
        }
        Optional<String> trust = config.apply("strata.tls.trust-file");
        if (!clientAuth.equals("none") && trust.isEmpty()) {
            throw new IllegalArgumentException("strata.tls.client-auth=" + clientAuth
                    + " needs strata.tls.trust-file: the CA certificates (PEM) client certificates must chain to");
        }
        trust.ifPresent(t -> out.put(TLS + "trust-store.pem.certs", t));
        out.put(TLS + "protocols", String.join(",", TransportSecurity.PROTOCOLS));
        out.put(TLS + "cipher-suites", String.join(",", TransportSecurity.CIPHER_SUITES));
        String reload = config.apply("strata.tls.reload-period").orElse("1m");
        if (!isZero(reload)) {
            out.put(TLS + "reload-period", reload);
        }
        out.put("quarkus.http.tls-configuration-name", NAME);
        // required: no plaintext HTTP port at all; optional: both ports
        out.put("quarkus.http.insecure-requests", mode.equals("required") ? "disabled" : "enabled");
        return out;
    }

    private static boolean isZero(String duration) {
        String d = duration.strip();
        if (d.equals("0") || d.equalsIgnoreCase("off")) {
            return true;
        }
        try {
            return Duration.parse(d.startsWith("P") || d.startsWith("p") ? d : "PT" + d).isZero();
        } catch (RuntimeException e) {
            return false; // let the registry report a malformed period
        }
    }
}
