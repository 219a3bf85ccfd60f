package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.netty.handler.ssl.ClientAuth;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CQL port with TLS, through the real Java driver (4.19, {@code withSslContext}): required, optional,
 * client certificates (mTLS) and a certificate swap. Certificates are made per run with keytool.
 */
final class TestCqlServerTls {
    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static Certificates.Identity server;
    private static Certificates.Identity client;
    private static Certificates.Identity stranger;

    private final TestCqlServerWithJavaDriver.SystemTablesHandler handler =
            new TestCqlServerWithJavaDriver.SystemTablesHandler();
    private final FakeAuthenticator authenticator = new FakeAuthenticator();
    private CqlServer cql;
    private int port;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        server = Certificates.generate(dir, "strata-test-server");
        client = Certificates.generate(dir, "svc-billing");
        stranger = Certificates.generate(dir, "svc-unknown");
    }

    @AfterAll
    static void tearDown() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (cql != null) {
            cql.close();
        }
    }

    private TransportSecurity start(TlsMode mode, ClientAuth clientAuth) throws Exception {
        TransportSecurity security = TransportSecurity.of(mode, TransportSecurity.serverContext(server.keyManagers(),
                clientAuth == ClientAuth.NONE ? null : client.trustManagers(), clientAuth));
        cql = new CqlServer(vertx, CqlServerOptions.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(2),
                handler, authenticator, new RecordingSchemaEvents(), java.time.Clock.systemUTC(), security);
        port = cql.start();
        handler.rpcPort = port;
        return security;
    }

    @Test
    void requiredAcceptsTheJavaDriverOverTls() throws Exception {
        start(TlsMode.REQUIRED, ClientAuth.NONE);

        try (CqlSession session = session(Certificates.clientContext(server, null))) {
            assertThat(session.execute("SELECT release_version FROM system.local").one().getString("release_version")).isEqualTo("4.1.0");
        }
        assertThat(authenticator.clients).isNotEmpty().allSatisfy(c -> assertThat(c).doesNotContain("certificate"));
    }

    @Test
    void requiredRefusesAPlaintextDriverWithAClearError() throws Exception {
        start(TlsMode.REQUIRED, ClientAuth.NONE);

        assertThatThrownBy(() -> session(null).close())
                .isInstanceOf(AllNodesFailedException.class)
                .hasMessageContaining("this server requires TLS; connect with SSL enabled (see docs/security.md)");
        assertThat(authenticator.calls).hasValue(0);
    }

    @Test
    void optionalAcceptsBothPlaintextAndTls() throws Exception {
        start(TlsMode.OPTIONAL, ClientAuth.NONE);

        try (CqlSession plain = session(null);
                CqlSession tls = session(Certificates.clientContext(server, null))) {
            assertThat(plain.execute("SELECT release_version FROM system.local").one().getString("release_version")).isEqualTo("4.1.0");
            assertThat(tls.execute("SELECT release_version FROM system.local").one().getString("release_version")).isEqualTo("4.1.0");
        }
    }

    @Test
    void requiredClientCertificateRefusesAClientWithoutOneAtTheHandshake() throws Exception {
        start(TlsMode.REQUIRED, ClientAuth.REQUIRE);

        assertThatThrownBy(() -> session(Certificates.clientContext(server, null)).close())
                .isInstanceOf(AllNodesFailedException.class);
        assertThatThrownBy(() -> session(Certificates.clientContext(server, stranger)).close())
                .isInstanceOf(AllNodesFailedException.class);
        assertThat(authenticator.calls).as("no login reaches the authenticator").hasValue(0);
    }

    @Test
    void aVerifiedClientCertificateConnectsAndNamesItsPrincipalInTheLoginRecord() throws Exception {
        start(TlsMode.REQUIRED, ClientAuth.REQUIRE);

        try (CqlSession session = session(Certificates.clientContext(server, client))) {
            assertThat(session.execute("SELECT release_version FROM system.local").one().getString("release_version")).isEqualTo("4.1.0");
        }
        assertThat(authenticator.clients).isNotEmpty()
                .allSatisfy(c -> assertThat(c).matches("/?127\\.0\\.0\\.1:\\d+ \\(client certificate svc-billing\\)"));
    }

    @Test
    void anUpdatedContextServesNewConnectionsTheNewCertificate() throws Exception {
        TransportSecurity security = start(TlsMode.REQUIRED, ClientAuth.NONE);
        Certificates.Identity renewed = Certificates.generate(dir, "strata-test-server");
        assertThat(served(server)).isEqualTo(server.certificate().getSerialNumber());

        security.update(TransportSecurity.serverContext(renewed.keyManagers(), null, ClientAuth.NONE));

        assertThat(served(renewed)).isEqualTo(renewed.certificate().getSerialNumber())
                .isNotEqualTo(server.certificate().getSerialNumber());
    }

    @Test
    void tlsBelow12IsRefused() throws Exception {
        start(TlsMode.REQUIRED, ClientAuth.NONE);
        SSLContext context = Certificates.clientContext(server, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        } catch (IllegalArgumentException jdkDisabledIt) {
            // this JDK does not even offer TLS 1.1: nothing older than 1.2 can be negotiated either way
        }
    }

    /** The serial of the certificate a fresh TLS connection is shown, trusting {@code expected}. */
    private BigInteger served(Certificates.Identity expected) throws Exception {
        SSLContext context = Certificates.clientContext(expected, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private CqlSession session(SSLContext ssl) {
        CqlSessionBuilder builder = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", port))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", FakeAuthenticator.GOOD_PASSWORD)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
                        .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, false)
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                        .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
                        .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
                        .build());
        if (ssl != null) {
            builder.withSslContext(ssl);
        }
        return builder.build();
    }
}
