package io.strata.gateway.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Self-signed certificates made for a test with the JDK's keytool (nothing is committed): a key pair and
 * certificate per call, and the JDK key and trust managers and client contexts built from them.
 */
final class Certificates {
    static final char[] PASSWORD = "test-password".toCharArray();

    /** A certificate and its key in a PKCS12 store. */
    record Identity(Path store, KeyStore keyStore, X509Certificate certificate) {
        KeyManagerFactory keyManagers() throws Exception {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, PASSWORD);
            return kmf;
        }

        /** Trusts exactly this certificate. */
        TrustManagerFactory trustManagers() throws Exception {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("trusted", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf;
        }
    }

    private Certificates() {
    }

    /** A fresh self-signed certificate for {@code cn}, valid for localhost and 127.0.0.1. */
    static Identity generate(Path dir, String cn) throws Exception {
        Files.createDirectories(dir);
        Path store = Files.createTempFile(dir, cn, ".p12");
        Files.delete(store); // keytool creates it
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-noprompt", "-alias", "id",
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=" + cn + ", O=Strata tests",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        return new Identity(store, ks, (X509Certificate) ks.getCertificate("id"));
    }

    /** A client context trusting {@code server}, presenting {@code client} when not null. */
    static SSLContext clientContext(Identity server, Identity client) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(client == null ? null : client.keyManagers().getKeyManagers(),
                server.trustManagers().getTrustManagers(), null);
        return context;
    }
}
