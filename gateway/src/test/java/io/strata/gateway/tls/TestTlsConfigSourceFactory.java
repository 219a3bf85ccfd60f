package io.strata.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code strata.tls.*} becomes the TLS registry's and the HTTP server's configuration. */
final class TestTlsConfigSourceFactory {
    @TempDir
    Path dir;

    private static Map<String, String> derive(Map<String, String> config) {
        return TlsConfigSourceFactory.derive(k -> Optional.ofNullable(config.get(k)), Clock.systemUTC());
    }

    @Test
    void offDerivesNothing() {
        assertThat(derive(Map.of())).isEmpty();
        assertThat(derive(Map.of("strata.tls.mode", "off", "strata.tls.self-signed", "true"))).isEmpty();
    }

    @Test
    void requiredWithPemFilesServesThemOnHttpsOnly() {
        Map<String, String> out = derive(Map.of("strata.tls.mode", "required",
                "strata.tls.cert-file", "/etc/strata/tls.crt", "strata.tls.key-file", "/etc/strata/tls.key"));

        assertThat(out).containsEntry("quarkus.tls.strata.key-store.pem.0.cert", "/etc/strata/tls.crt")
                .containsEntry("quarkus.tls.strata.key-store.pem.0.key", "/etc/strata/tls.key")
                .containsEntry("quarkus.tls.strata.protocols", "TLSv1.3,TLSv1.2")
                .containsEntry("quarkus.tls.strata.reload-period", "1m")
                .containsEntry("quarkus.http.tls-configuration-name", "strata")
                .containsEntry("quarkus.http.insecure-requests", "disabled")
                .doesNotContainKey("quarkus.tls.strata.trust-store.pem.certs");
        assertThat(out.get("quarkus.tls.strata.cipher-suites")).contains("TLS_AES_128_GCM_SHA256")
                .doesNotContain("CBC").doesNotContain("TLS_RSA_"); // AEAD with forward secrecy only
    }

    @Test
    void optionalKeepsPlainHttpAndMapsKeyStoresAndTrust() {
        Map<String, String> out = derive(Map.of("strata.tls.mode", "optional",
                "strata.tls.key-store-file", "/etc/strata/server.jks", "strata.tls.key-store-password", "pw",
                "strata.tls.trust-file", "/etc/strata/ca.pem", "strata.tls.client-auth", "require",
                "strata.tls.reload-period", "0"));

        assertThat(out).containsEntry("quarkus.tls.strata.key-store.jks.path", "/etc/strata/server.jks")
                .containsEntry("quarkus.tls.strata.key-store.jks.password", "pw")
                .containsEntry("quarkus.tls.strata.trust-store.pem.certs", "/etc/strata/ca.pem")
                .containsEntry("quarkus.http.insecure-requests", "enabled")
                .doesNotContainKey("quarkus.tls.strata.reload-period");
        assertThat(derive(Map.of("strata.tls.mode", "required", "strata.tls.key-store-file", "/k/server.p12")))
                .containsEntry("quarkus.tls.strata.key-store.p12.path", "/k/server.p12");
    }

    @Test
    void incompleteSetupsFailWithTheKeyToSet() {
        assertThatThrownBy(() -> derive(Map.of("strata.tls.mode", "required")))
                .hasMessageContaining("needs a certificate: strata.tls.cert-file");
        assertThatThrownBy(() -> derive(Map.of("strata.tls.mode", "required", "strata.tls.cert-file", "/c")))
                .hasMessageContaining("strata.tls.cert-file and strata.tls.key-file go together");
        assertThatThrownBy(() -> derive(Map.of("strata.tls.mode", "required", "strata.tls.cert-file", "/c",
                "strata.tls.key-file", "/k", "strata.tls.client-auth", "require")))
                .hasMessageContaining("needs strata.tls.trust-file");
        assertThatThrownBy(() -> derive(Map.of("strata.tls.mode", "sometimes")))
                .hasMessageContaining("off, optional or required");
    }

    @Test
    void selfSignedCreatesAPrivateDevelopmentCertificateOnceAndKeepsIt() throws Exception {
        Map<String, String> config = new HashMap<>(Map.of("strata.tls.mode", "required", "strata.tls.self-signed", "true",
                "strata.storage.local.path", dir.toString()));

        Map<String, String> first = derive(config);
        Path cert = dir.resolve("tls").resolve(DevCertificate.CERT);
        Path key = dir.resolve("tls").resolve(DevCertificate.KEY);
        assertThat(first).containsEntry("quarkus.tls.strata.key-store.pem.0.cert", cert.toString())
                .containsEntry("quarkus.tls.strata.key-store.pem.0.key", key.toString());
        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls")))).isEqualTo("rwx------");
        String certificate = Files.readString(cert);

        derive(config); // a restart

        assertThat(Files.readString(cert)).as("the same certificate survives restarts").isEqualTo(certificate);
        try (var files = Files.list(dir.resolve("tls"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(DevCertificate.CERT,
                    DevCertificate.KEY);
        }
    }
}
