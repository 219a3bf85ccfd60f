package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which name of a client certificate becomes the connection's principal. */
final class TestTlsPeer {
    @TempDir
    Path dir;

    @Test
    void theCommonNameWins() throws Exception {
        X509Certificate c = certificate("CN=svc-billing, OU=payments, O=Acme", "SAN=dns:billing.acme.internal");
        assertThat(TlsPeer.principalOf(c)).isEqualTo("svc-billing");
    }

    @Test
    void withoutACommonNameTheFirstAlternativeNameIsUsed() throws Exception {
        X509Certificate c = certificate("OU=workloads, O=Acme", "SAN=uri:spiffe://acme.internal/ns/prod/sa/billing");
        assertThat(TlsPeer.principalOf(c)).isEqualTo("spiffe://acme.internal/ns/prod/sa/billing");
    }

    @Test
    void withNeitherTheSubjectIsUsed() throws Exception {
        X509Certificate c = certificate("OU=workloads, O=Acme", null);
        assertThat(TlsPeer.principalOf(c)).isEqualTo("OU=workloads,O=Acme");
    }

    @Test
    void aConnectionWithoutAHandshakeIsPlaintext() {
        assertThat(TlsPeer.of(null)).isEqualTo(TlsPeer.PLAINTEXT);
        assertThat(TlsPeer.PLAINTEXT.secured()).isFalse();
    }

    private X509Certificate certificate(String dname, String ext) throws Exception {
        Path store = dir.resolve("c" + System.nanoTime() + ".p12");
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-noprompt",
                "-alias", "id", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "password", "-keypass", "password"));
        if (ext != null) {
            command.addAll(List.of("-ext", ext));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "password".toCharArray());
        }
        return (X509Certificate) ks.getCertificate("id");
    }
}
