package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS in transit on a running gateway ({@code strata.tls.mode=required}, PEM files, reload every second):
 * the Java, Python ({@code ssl_context}) and Node.js ({@code sslOptions}) drivers connect over TLS, a plaintext driver is refused
 * with the server's message, HTTPS serves {@code /q/health} and the admin API (and plain HTTP is closed), and
 * replacing the certificate files reaches new connections without a restart. A second gateway, in {@code optional}
 * mode, asks for {@code strata.tls.self-signed=true}: it creates a private development certificate and keeps it
 * across restarts, and serves plaintext and TLS side by side.
 * Certificates are made here with keytool; no key is committed.
 */
class TestTls {
    @TempDir
    static Path tmp;

    static GatewayProcess gateway;
    static int httpsPort;
    static Path certFile;
    static Path keyFile;
    static X509Certificate first;

    @BeforeAll
    static void start() throws Exception {
        Path tls = Files.createDirectories(tmp.resolve("tls"));
        certFile = tls.resolve("server.crt");
        keyFile = tls.resolve("server.key");
        first = writePem(tls, "strata-e2e", certFile, keyFile);
        httpsPort = freePort();
        gateway = new GatewayProcess(tmp.resolve("data"), Map.of(
                "strata.tls.mode", "required",
                "strata.tls.cert-file", certFile.toString(),
                "strata.tls.key-file", keyFile.toString(),
                "strata.tls.reload-period", "1s",
                "quarkus.http.ssl-port", String.valueOf(httpsPort))).start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void javaDriverConnectsOverTls() throws Exception {
        try (CqlSession session = session(trusting(first))) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS java_tls WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE IF NOT EXISTS java_tls.kv (k int PRIMARY KEY, v text)");
            session.execute("INSERT INTO java_tls.kv (k, v) VALUES (1, 'sealed')");
            assertThat(session.execute("SELECT v FROM java_tls.kv WHERE k = 1").one().getString("v")).isEqualTo("sealed");
        }
    }

    @Test
    void plaintextJavaDriverIsRefusedWithAClearError() {
        assertThatThrownBy(() -> session(null).close())
                .isInstanceOf(AllNodesFailedException.class)
                .hasMessageContaining("this server requires TLS; connect with SSL enabled (see docs/security.md)");
    }

    @Test
    void pythonDriverConnectsWithAnSslContext() throws Exception {
        runScript(List.of("/usr/bin/python3", e2eDir().resolve("python/tls_driver.py").toString()));
    }

    @Test
    void nodeDriverConnectsWithSslOptions() throws Exception {
        if (!Files.isDirectory(e2eDir().resolve("node/node_modules/cassandra-driver"))) {
            // The lock file pins the driver; npm ci installs exactly it from the npm registry (as TestOtherDrivers).
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(e2eDir().resolve("node").toFile()).inheritIO().start();
            assertThat(npm.waitFor(300, TimeUnit.SECONDS) && npm.exitValue() == 0).as("npm ci in src/test/node").isTrue();
        }
        runScript(List.of("node", e2eDir().resolve("node/tls_driver.js").toString()));
    }

    /** Runs a driver script with host, port, token and the CA file of the certificate served now; expects OK. */
    private static void runScript(List<String> command) throws Exception {
        Path out = Files.createTempFile(tmp, "driver", ".log");
        // the reload test may swap the certificate: give the script the one served now
        Path ca = Files.createTempFile(tmp, "ca", ".crt");
        Files.copy(certFile, ca, StandardCopyOption.REPLACE_EXISTING);
        List<String> full = new java.util.ArrayList<>(command);
        full.addAll(List.of("127.0.0.1", String.valueOf(gateway.port()), gateway.devToken(), ca.toString()));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(done && p.exitValue() == 0).as("%s; output:\n%s\ngateway log:\n%s", command, output,
                gateway.logTail()).isTrue();
        assertThat(output).contains("OK");
    }

    @Test
    void httpsServesHealthAndTheAdminApiAndPlainHttpIsClosed() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(currentCertificate())).build();
        HttpResponse<String> health = awaitHttp(https, URI.create("https://localhost:" + httpsPort + "/q/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");

        String operator = Files.readString(gateway.dataDir().resolve("operator-token"), StandardCharsets.UTF_8).trim();
        HttpResponse<String> tenants = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + httpsPort + "/admin/tenants"))
                .header("Authorization", "Bearer " + operator).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tenants.statusCode()).isEqualTo(200);
        assertThat(tenants.body()).contains("dev");

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/q/health")).build(),
                HttpResponse.BodyHandlers.ofString()))
                .as("strata.tls.mode=required opens no plain HTTP port").isInstanceOf(ConnectException.class);
    }

    @Test
    void replacedCertificateFilesReachNewConnectionsWithoutARestart() throws Exception {
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        Path newCert = staging.resolve("server.crt");
        Path newKey = staging.resolve("server.key");
        X509Certificate renewed = writePem(staging, "strata-e2e-renewed", newCert, newKey);
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        // a CQL connection open across the swap keeps working
        try (CqlSession open = session(trusting(first))) {
            Files.move(newKey, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newCert, certFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            Instant deadline = Instant.now().plusSeconds(20);
            BigInteger cql = served(gateway.port());
            while (!cql.equals(renewed.getSerialNumber()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
                cql = served(gateway.port());
            }
            assertThat(cql).as("serial a new CQL connection sees; gateway log:\n%s", gateway.logTail())
                    .isEqualTo(renewed.getSerialNumber());
            while (!served(httpsPort).equals(renewed.getSerialNumber()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            assertThat(served(httpsPort)).as("serial a new HTTPS connection sees").isEqualTo(renewed.getSerialNumber());
            assertThat(open.execute("SELECT release_version FROM system.local").one()).isNotNull();
        }
        try (CqlSession session = session(trusting(renewed))) {
            assertThat(session.execute("SELECT release_version FROM system.local").one()).isNotNull();
        }
        assertThat(Files.readString(gateway.logFile())).contains("TLS certificate reloaded");
    }

    /** Also {@code optional} mode: plaintext and TLS on the CQL port, plain HTTP and HTTPS side by side. */
    @Test
    void selfSignedDevelopmentCertificateIsCreatedOnceAndKeptAcrossRestartsInOptionalMode() throws Exception {
        Path data = tmp.resolve("dev-data");
        int port = freePort();
        try (GatewayProcess dev = new GatewayProcess(data, Map.of("strata.tls.mode", "optional",
                "strata.tls.self-signed", "true", "quarkus.http.ssl-port", String.valueOf(port))).start()) {
            Path cert = data.resolve("tls/strata-dev.crt");
            Path key = data.resolve("tls/strata-dev.key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert))).isEqualTo("rw-------");
            X509Certificate created = readCertificate(cert);
            for (SSLContext ssl : new SSLContext[] {trusting(created), null}) {
                CqlSessionBuilder builder = CqlSession.builder()
                        .addContactPoint(new InetSocketAddress("127.0.0.1", dev.port()))
                        .withLocalDatacenter("datacenter1").withAuthCredentials("token", dev.devToken());
                try (CqlSession session = ssl == null ? builder.build() : builder.withSslContext(ssl).build()) {
                    assertThat(session.execute("SELECT release_version FROM system.local").one()).isNotNull();
                }
            }
            HttpResponse<String> https = awaitHttp(HttpClient.newBuilder().sslContext(trusting(created)).build(),
                    URI.create("https://localhost:" + port + "/q/health"));
            assertThat(https.statusCode()).isEqualTo(200);
            HttpResponse<String> plain = awaitHttp(HttpClient.newHttpClient(),
                    URI.create("http://127.0.0.1:" + dev.httpPort() + "/q/health"));
            assertThat(plain.statusCode()).as("optional keeps plain HTTP").isEqualTo(200);

            dev.stop();
            dev.start();

            assertThat(readCertificate(cert).getSerialNumber()).isEqualTo(created.getSerialNumber());
            assertThat(served(dev.port())).isEqualTo(created.getSerialNumber());
        }
    }

    // the CQL port may listen a moment before HTTP
    private static HttpResponse<String> awaitHttp(HttpClient client, URI uri) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            try {
                return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static CqlSession session(SSLContext ssl) {
        CqlSessionBuilder builder = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", gateway.devToken());
        if (ssl != null) {
            builder.withSslContext(ssl);
        }
        return builder.build();
    }

    private static X509Certificate currentCertificate() throws Exception {
        return readCertificate(certFile);
    }

    /** The serial of the certificate a fresh TLS connection to {@code port} is shown (trusting anything). */
    private static BigInteger served(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // only the serial is looked at; nothing is sent on this connection
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate readCertificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** A fresh self-signed certificate for localhost/127.0.0.1 made with keytool, written as PEM. */
    private static X509Certificate writePem(Path dir, String cn, Path cert, Path key) throws Exception {
        Path store = dir.resolve(cn + ".p12");
        String password = "e2e-password";
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-noprompt", "-alias", "id", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + cn, "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", password, "-keypass", password)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("keytool: %s", output).isTrue();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, password.toCharArray());
        }
        Files.delete(store);
        X509Certificate certificate = (X509Certificate) ks.getCertificate("id");
        Files.writeString(key, pem("PRIVATE KEY", ((PrivateKey) ks.getKey("id", password.toCharArray())).getEncoded()));
        Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
        return certificate;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path e2eDir() {
        return Path.of(System.getProperty("strata.e2e.dir", "src/test"));
    }
}
