package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.request.AuthResponse;
import com.datastax.oss.protocol.internal.request.Options;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.AuthSuccess;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Supported;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The front door's limits over loopback: what a connection may send before it logs in, how long and how often it
 * may try, how many connections an address and a tenant may hold, how many requests a tenant may run, and how many
 * bytes of requests the gateway holds in flight.
 */
final class TestFrontDoor {
    private static final int V4 = ProtocolConstants.Version.V4;
    private static final int V5 = ProtocolConstants.Version.V5;

    private static Vertx vertx;

    private final FakeAuthenticator authenticator = new FakeAuthenticator();
    private final ScriptedRequestHandler handler = new ScriptedRequestHandler();
    private CqlServer server;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private int start(FrontDoor frontDoor) {
        server = new CqlServer(vertx, CqlServerOptions.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(1)
                .withFrontDoor(frontDoor), handler, authenticator, new RecordingSchemaEvents());
        return server.start();
    }

    private static byte[] header(int version, int stream, int opcode, long bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(FrameReader.HEADER_LENGTH);
        b.put((byte) version).put((byte) 0).putShort((short) stream).put((byte) opcode).putInt((int) bodyLength);
        return b.array();
    }

    @ParameterizedTest
    @ValueSource(longs = {16 * 1024 + 1, 16 * 1024 * 1024 + 1, 0xFFFFFFFFL})
    void beforeLoginAFrameAboveTheSmallLimitIsRefusedFromItsHeader(long announced) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()))) {
            client.writeRaw(header(V4, 3, ProtocolConstants.Opcode.OPTIONS, announced));
            Frame answer = client.receive();
            assertThat(answer.streamId).isEqualTo(3);
            assertThat(((Error) answer.message).code).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(((Error) answer.message).message).contains("Request is too big").contains("16384");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void afterLoginTheFullFrameLimitApplies() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()))) {
            client.authenticate(V4, null);
            String big = "echo:" + "x".repeat(64 * 1024);
            client.send(V4, 5, new Query(big));
            assertThat(CannedRows.onlyText((Rows) client.receive().message)).hasSize(64 * 1024);
        }
    }

    @Test
    void v5SegmentsAboveTheLimitAreRefusedBeforeLogin() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()))) {
            client.send(V5, 0, new Startup(Map.of(Startup.CQL_VERSION_KEY, "3.0.0")));
            client.receive();
            client.useSegments(false);
            // an AUTH_RESPONSE of 20 KiB: below the 128 KiB a segment may carry, above the pre-login limit
            byte[] password = new byte[20 * 1024];
            java.util.Arrays.fill(password, (byte) 'p');
            client.send(V5, 1, new AuthResponse(ByteBuffer.wrap(concat("\0token\0".getBytes(StandardCharsets.UTF_8),
                    password))));
            Frame answer = client.receive();
            assertThat(((Error) answer.message).code).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void lz4BodiesDoNotInflateBeyondTheLimitBeforeLogin() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()))) {
            client.send(V4, 0, new Startup(Map.of(Startup.CQL_VERSION_KEY, "3.0.0", Startup.COMPRESSION_KEY, "lz4")));
            client.receive();
            // 4-byte uncompressed length of 1 MiB, then a few bytes: refused before anything is inflated
            byte[] body = ByteBuffer.allocate(12).putInt(1024 * 1024).putLong(0).array();
            byte[] head = header(V4, 1, ProtocolConstants.Opcode.AUTH_RESPONSE, body.length);
            head[1] = ProtocolConstants.FrameFlag.COMPRESSED;
            client.writeRaw(concat(head, body));
            Frame answer = client.receive();
            assertThat(((Error) answer.message).code).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(((Error) answer.message).message).contains("exceeds maximum allowed length 16384");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aConnectionThatDoesNotLogInInTimeIsClosed() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()
                .withLoginTimeout(Duration.ofMillis(300))))) {
            client.send(V4, 0, Options.INSTANCE); // talking is not logging in
            assertThat(client.receive().message).isInstanceOf(Supported.class);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aLoggedInConnectionOutlivesTheLoginTimeout() throws Exception {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()
                .withLoginTimeout(Duration.ofMillis(200))))) {
            client.authenticate(V4, null);
            Thread.sleep(400);
            client.send(V4, 2, new Query("echo:alive"));
            assertThat(CannedRows.onlyText((Rows) client.receive().message)).isEqualTo("alive");
        }
    }

    @Test
    void theThirdFailedLoginClosesTheConnection() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()))) {
            Frame first = client.login(V4, null, "token", "wrong");
            assertThat(((Error) first.message).code).isEqualTo(ErrorCode.AUTH_ERROR);
            client.send(V4, 2, new AuthResponse(RawCqlClient.plain("token", "wrong")));
            assertThat(((Error) client.receive().message).code).isEqualTo(ErrorCode.AUTH_ERROR);
            client.send(V4, 3, new AuthResponse(RawCqlClient.plain("token", "wrong")));
            Error third = (Error) client.receive().message;
            assertThat(third.code).isEqualTo(ErrorCode.AUTH_ERROR);
            assertThat(third.message).contains("3 failed attempts");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(authenticator.calls).hasValue(3);
    }

    @Test
    void oversizedCredentialsAreRefusedWithoutReachingTheAuthenticator() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()))) {
            Frame user = client.login(V4, null, "u".repeat(300), FakeAuthenticator.GOOD_PASSWORD);
            assertThat(((Error) user.message).code).isEqualTo(ErrorCode.AUTH_ERROR);
            assertThat(((Error) user.message).message).contains("Username is longer than 256 bytes");
            client.send(V4, 2, new AuthResponse(RawCqlClient.plain("token", "p".repeat(8193))));
            Error password = (Error) client.receive().message;
            assertThat(password.code).isEqualTo(ErrorCode.AUTH_ERROR);
            assertThat(password.message).contains("Password is longer than 8192 bytes");
        }
        assertThat(authenticator.calls).hasValue(0);
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreClosedAtOnce() throws IOException {
        int port = start(FrontDoor.defaults().withConnectionLimits(100, 2, 100));
        try (RawCqlClient a = RawCqlClient.connect(port); RawCqlClient b = RawCqlClient.connect(port);
                RawCqlClient c = RawCqlClient.connect(port)) {
            assertThat(c.closedByServer()).isTrue();
            a.authenticate(V4, null);
            b.authenticate(V4, null);
        }
        // the slots come back when connections close
        awaitConnections(0);
        try (RawCqlClient d = RawCqlClient.connect(port)) {
            d.authenticate(V4, null);
        }
    }

    @Test
    void connectionsBeyondTheTotalLimitAreClosedAtOnce() throws IOException {
        int port = start(FrontDoor.defaults().withConnectionLimits(1, 10, 10));
        try (RawCqlClient a = RawCqlClient.connect(port); RawCqlClient b = RawCqlClient.connect(port)) {
            assertThat(b.closedByServer()).isTrue();
            a.authenticate(V4, null);
        }
    }

    @Test
    void aTenantBeyondItsConnectionLimitIsRefusedAtLoginWhileOthersGetIn() throws IOException {
        int port = start(FrontDoor.defaults().withConnectionLimits(100, 100, 2));
        List<RawCqlClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                RawCqlClient c = RawCqlClient.connect(port);
                open.add(c);
                c.authenticate(V4, null);
            }
            RawCqlClient third = RawCqlClient.connect(port);
            open.add(third);
            Error refused = (Error) third.login(V4, null, "token", FakeAuthenticator.GOOD_PASSWORD).message;
            assertThat(refused.code).isEqualTo(ErrorCode.AUTH_ERROR);
            assertThat(refused.message).contains("Tenant acme has the maximum of 2 connections open");
            assertThat(third.closedByServer()).isTrue();

            RawCqlClient other = RawCqlClient.connect(port);
            open.add(other);
            assertThat(other.login(V4, null, "token", FakeAuthenticator.GOOD_PASSWORD + ":globex").message)
                    .isInstanceOf(AuthSuccess.class);
        } finally {
            for (RawCqlClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void requestsBeyondATenantsInFlightLimitAreOverloadedAndOtherTenantsAreServed() throws Exception {
        int port = start(FrontDoor.defaults().withMaxInFlightPerTenant(2));
        try (RawCqlClient acme = RawCqlClient.connect(port); RawCqlClient globex = RawCqlClient.connect(port)) {
            acme.authenticate(V4, null);
            assertThat(globex.login(V4, null, "token", FakeAuthenticator.GOOD_PASSWORD + ":globex").message)
                    .isInstanceOf(AuthSuccess.class);
            acme.send(V4, 10, new Query("hold:a"));
            acme.send(V4, 11, new Query("hold:b"));
            ScriptedRequestHandler.Held a = handler.nextHeld();
            ScriptedRequestHandler.Held b = handler.nextHeld();
            acme.send(V4, 12, new Query("echo:too many"));
            Frame overloaded = acme.receive();
            assertThat(overloaded.streamId).isEqualTo(12);
            assertThat(((Error) overloaded.message).code).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(((Error) overloaded.message).message).contains("maximum of 2 requests in flight");

            globex.send(V4, 1, new Query("echo:served"));
            assertThat(CannedRows.onlyText((Rows) globex.receive().message)).isEqualTo("served");

            a.complete(CannedRows.text("a"));
            b.complete(CannedRows.text("b"));
            acme.receive();
            acme.receive();
            acme.send(V4, 13, new Query("echo:again"));
            assertThat(CannedRows.onlyText((Rows) acme.receive().message)).isEqualTo("again");
        }
    }

    // LZ4 bodies are charged as inflated (these compress to almost nothing): what decoding them holds
    @ParameterizedTest(name = "v{0} {1}")
    @CsvSource({"4, none", "4, lz4", "5, none", "5, lz4"})
    void requestsBeyondTheGatewaysRequestBytesAreOverloadedUntilThoseInFlightEnd(int v, String compression)
            throws Exception {
        String lz4 = "none".equals(compression) ? null : compression;
        int port = startWithRequestBytes(64 * 1024);
        try (RawCqlClient acme = RawCqlClient.connect(port); RawCqlClient globex = RawCqlClient.connect(port)) {
            acme.authenticate(v, lz4);
            assertThat(globex.login(v, lz4, "token", FakeAuthenticator.GOOD_PASSWORD + ":globex").message)
                    .isInstanceOf(AuthSuccess.class);
            // two tenants, two connections: the budget is the gateway's, not a connection's or a tenant's
            acme.send(v, 10, new Query("hold:" + "a".repeat(20 * 1024)));
            globex.send(v, 20, new Query("hold:" + "b".repeat(20 * 1024)));
            ScriptedRequestHandler.Held first = handler.nextHeld();
            ScriptedRequestHandler.Held second = handler.nextHeld();
            assertThat(server.requestBytesInFlight()).isBetween(40L * 1024, 41L * 1024);

            String large = "length:" + "c".repeat(30 * 1024);
            acme.send(v, 11, new Query(large));
            Frame overloaded = acme.receive();
            assertThat(overloaded.streamId).isEqualTo(11);
            assertThat(((Error) overloaded.message).code).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(((Error) overloaded.message).message)
                    .contains("bytes of requests in flight (limit 65536, strata.cql.max-request-bytes-in-flight)")
                    .contains("retry later or with less concurrency");
            assertThat(handler.states).as("the refused request never ran").hasSize(2);

            // what still fits is served meanwhile
            acme.send(v, 12, new Query("echo:small"));
            assertThat(CannedRows.onlyText((Rows) acme.receive().message)).isEqualTo("small");

            first.complete(CannedRows.text("first"));
            second.complete(CannedRows.text("second"));
            assertThat(acme.receive().message).isInstanceOf(Rows.class);
            assertThat(globex.receive().message).isInstanceOf(Rows.class);
            acme.send(v, 13, new Query(large));
            assertThat(CannedRows.onlyText((Rows) acme.receive().message)).isEqualTo(Integer.toString(large.length()));
            assertThat(server.requestBytesInFlight()).isZero();
        }
    }

    @Test
    void everyWayARequestEndsGivesItsBytesBack() throws Exception {
        int port = startWithRequestBytes(64 * 1024);
        try (RawCqlClient client = RawCqlClient.connect(port)) {
            client.authenticate(V4, null);
            // a failed stage, a synchronous exception, a null stage: each a SERVER_ERROR, none keeps its bytes
            for (String failing : List.of("fail", "throw", "null")) {
                client.send(V4, 2, new Query(failing));
                assertThat(((Error) client.receive().message).code).isEqualTo(ErrorCode.SERVER_ERROR);
            }
            assertThat(server.requestBytesInFlight()).isZero();

            client.send(V4, 3, new Query("hold:" + "x".repeat(30 * 1024)));
            ScriptedRequestHandler.Held orphan = handler.nextHeld();
            client.close();
            awaitConnections(0);
            // the handler still holds the request of a closed connection: its bytes stay charged until it ends
            assertThat(server.requestBytesInFlight()).isGreaterThan(30L * 1024);
            orphan.complete(CannedRows.text("nobody listens"));
            assertThat(server.requestBytesInFlight()).isZero();
        }
    }

    private int startWithRequestBytes(int bytes) {
        server = new CqlServer(vertx, CqlServerOptions.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(1)
                .withMaxFrameSize(bytes).withFrontDoor(FrontDoor.defaults().withMaxRequestBytesInFlight(bytes)),
                handler, authenticator, new RecordingSchemaEvents());
        return server.start();
    }

    @Test
    void aTokenExpiringMidConnectionEndsTheConnectionAtItsNextRequest() throws Exception {
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-12-07T00:00:00Z"));
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        io.strata.tenancy.Authenticator expiring = (user, password) -> new io.strata.tenancy.core.TenantContext(
                "acme", user, io.strata.tenancy.core.AccessPolicy.ALL, now.get().plusSeconds(60));
        server = new CqlServer(vertx, CqlServerOptions.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(1),
                handler, expiring, new RecordingSchemaEvents(), clock);
        try (RawCqlClient client = RawCqlClient.connect(server.start())) {
            client.authenticate(V4, null);
            client.send(V4, 2, new Query("echo:fresh"));
            assertThat(CannedRows.onlyText((Rows) client.receive().message)).isEqualTo("fresh");
            now.set(now.get().plusSeconds(61));
            client.send(V4, 3, new Query("echo:stale"));
            Frame answer = client.receive();
            assertThat(answer.streamId).isEqualTo(3);
            assertThat(((Error) answer.message).code).isEqualTo(ErrorCode.AUTH_ERROR);
            assertThat(((Error) answer.message).message).contains("expired").contains("reconnect with a fresh token");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosed() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(FrontDoor.defaults()
                .withIdleTimeout(Duration.ofMillis(300))))) {
            client.authenticate(V4, null);
            assertThat(client.closedByServer()).isTrue();
        }
    }

    private void awaitConnections(int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.connectionCount() != expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(server.connectionCount()).isEqualTo(expected);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
