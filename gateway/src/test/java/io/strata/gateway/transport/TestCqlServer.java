package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.request.AuthResponse;
import com.datastax.oss.protocol.internal.request.Options;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.Register;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.AuthSuccess;
import com.datastax.oss.protocol.internal.response.Authenticate;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.Ready;
import com.datastax.oss.protocol.internal.response.Supported;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import io.strata.cql.schema.SchemaEvent;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CQL endpoint over loopback, driven byte by byte with {@link RawCqlClient}. */
final class TestCqlServer {
    private static final int V3 = ProtocolConstants.Version.V3;
    private static final int V4 = ProtocolConstants.Version.V4;
    private static final int V5 = ProtocolConstants.Version.V5;

    private static Vertx vertx;

    private final FakeAuthenticator authenticator = new FakeAuthenticator();
    private final ScriptedRequestHandler handler = new ScriptedRequestHandler();
    private final RecordingSchemaEvents events = new RecordingSchemaEvents();
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

    private int start(CqlServerOptions options) {
        server = new CqlServer(vertx, options, handler, authenticator, events);
        return server.start();
    }

    private int start() {
        return start(CqlServerOptions.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(2));
    }

    // ------------------------------------------------------------------ handshake

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void optionsIsAnsweredWithSupported(int version) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.send(version, 7, Options.INSTANCE);
            Frame answer = client.receive();

            assertThat(answer.protocolVersion).isEqualTo(version);
            assertThat(answer.streamId).isEqualTo(7);
            assertThat(answer.message).isInstanceOf(Supported.class);
            assertThat(((Supported) answer.message).options)
                    .containsEntry("CQL_VERSION", List.of("3.4.7"))
                    .containsEntry("COMPRESSION", List.of("lz4"))
                    .containsEntry("PROTOCOL_VERSIONS", List.of("3/v3", "4/v4", "5/v5"));
        }
    }

    @Test
    void tooNewVersionIsRefusedInTheHighestSupportedVersion() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            // a v6 OPTIONS frame: the header layout is unchanged from v3
            client.writeRaw(new byte[] {0x06, 0x00, 0x00, 0x2A, 0x05, 0, 0, 0, 0});
            Frame answer = client.receive();

            assertThat(answer.protocolVersion).isEqualTo(V5);
            assertThat(answer.streamId).isEqualTo(42);
            assertProtocolError(answer, "Invalid or unsupported protocol version (6); supported versions are (3/v3, 4/v4, 5/v5)");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void obsoleteVersionIsRefusedInItsOwnFormat() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            // v2 STARTUP header: version, flags, one-byte stream, opcode, length
            client.writeRaw(new byte[] {0x02, 0x00, 0x05, 0x01, 0, 0, 0, 0});
            byte[] header = client.receiveRaw(8);
            ByteBuffer headerBuffer = ByteBuffer.wrap(header);
            byte[] body = client.receiveRaw(headerBuffer.getInt(4));
            ByteBuffer bodyBuffer = ByteBuffer.wrap(body);

            assertThat(header[0]).isEqualTo((byte) 0x82);
            assertThat(header[2]).isEqualTo((byte) 5);
            assertThat(header[3]).isEqualTo((byte) ProtocolConstants.Opcode.ERROR);
            assertThat(bodyBuffer.getInt()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            byte[] message = new byte[bodyBuffer.getShort()];
            bodyBuffer.get(message);
            assertThat(new String(message, StandardCharsets.UTF_8)).contains("Invalid or unsupported protocol version (2)");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void betaV5IsRefusedInV4() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.writeRaw(new byte[] {0x05, ProtocolConstants.FrameFlag.USE_BETA, 0x00, 0x03, 0x05, 0, 0, 0, 0});
            Frame answer = client.receive();

            assertThat(answer.protocolVersion).isEqualTo(V4);
            assertThat(answer.streamId).isEqualTo(3);
            assertProtocolError(answer, "Invalid or unsupported protocol version (5/v5-beta)");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void authenticationYieldsTheTenantsClientState(int version) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.send(version, 0, new Startup(Map.of(Startup.CQL_VERSION_KEY, RawCqlClient.CQL)));
            Frame challenge = client.receive();
            assertThat(challenge.message).isInstanceOf(Authenticate.class);
            assertThat(((Authenticate) challenge.message).authenticator)
                    .isEqualTo("org.apache.cassandra.auth.PasswordAuthenticator");
            if (version == V5) {
                client.useSegments(false);
            }
            // an authorization identity before the first NUL is tolerated and ignored
            client.send(version, 9, new AuthResponse(ByteBuffer.wrap(
                    ("someone-else\0alice\0" + FakeAuthenticator.GOOD_PASSWORD).getBytes(StandardCharsets.UTF_8))));
            Frame success = client.receive();
            assertThat(success.message).isInstanceOf(AuthSuccess.class);
            assertThat(success.streamId).isEqualTo(9);

            client.send(version, 10, new Query("echo:hello"));
            Frame result = client.receive();

            assertThat(CannedRows.onlyText((Rows) result.message)).isEqualTo("hello");
            assertThat(handler.states).singleElement().satisfies(state -> {
                assertThat(state.tenant().tenantId()).isEqualTo(FakeAuthenticator.TENANT);
                assertThat(state.tenant().principal()).isEqualTo("alice");
                assertThat(state.protocolVersion()).isEqualTo(version);
            });
            assertThat(authenticator.calledOnEventLoop).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void badCredentialsGetAnAuthErrorAndMayBeRetried(int version) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            Frame refused = client.login(version, null, "mallory", "forged");

            assertThat(refused.message).isInstanceOf(Error.class);
            assertThat(((Error) refused.message).code).isEqualTo(ErrorCode.AUTH_ERROR);
            assertThat(((Error) refused.message).message).isEqualTo("Invalid token for user mallory");

            client.send(version, 2, new AuthResponse(RawCqlClient.plain("alice", FakeAuthenticator.GOOD_PASSWORD)));
            assertThat(client.receive().message).isInstanceOf(AuthSuccess.class);
        }
    }

    @Test
    void malformedSaslTokenGetsAnAuthError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.send(V4, 0, new Startup(Map.of(Startup.CQL_VERSION_KEY, RawCqlClient.CQL)));
            client.receive();
            client.send(V4, 1, new AuthResponse(ByteBuffer.wrap("no-nul-at-all".getBytes(StandardCharsets.UTF_8))));
            Frame answer = client.receive();

            assertThat(((Error) answer.message).code).isEqualTo(ErrorCode.AUTH_ERROR);
            assertThat(authenticator.calls).hasValue(0);
        }
    }

    @Test
    void queryBeforeStartupIsAProtocolError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.send(V4, 3, new Query("echo:x"));
            Frame answer = client.receive();

            assertThat(answer.streamId).isEqualTo(3);
            assertProtocolError(answer, "Unexpected message QUERY, expecting STARTUP or OPTIONS");
            assertThat(client.closedByServer()).isTrue();
            assertThat(handler.states).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void requestsBeforeAuthenticationAreProtocolErrors(int version) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.send(version, 0, new Startup(Map.of(Startup.CQL_VERSION_KEY, RawCqlClient.CQL)));
            client.receive();
            if (version == V5) {
                client.useSegments(false);
            }
            client.send(version, 4, new Register(List.of(ProtocolConstants.EventType.SCHEMA_CHANGE)));
            Frame answer = client.receive();

            assertProtocolError(answer, "Unexpected message REGISTER, expecting AUTH_RESPONSE");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void snappyIsRefused() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.send(V4, 0, new Startup(Map.of(Startup.CQL_VERSION_KEY, RawCqlClient.CQL,
                    Startup.COMPRESSION_KEY, "snappy")));
            Frame answer = client.receive();

            assertProtocolError(answer, "Unsupported compression algorithm: snappy");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aSecondStartupIsAProtocolError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, null);
            client.send(V4, 5, new Startup(Map.of(Startup.CQL_VERSION_KEY, RawCqlClient.CQL)));

            assertProtocolError(client.receive(), "the connection is already initialized");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aChangeOfVersionMidConnectionIsAProtocolError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, null);
            client.send(V3, 6, new Query("echo:x"));
            Frame answer = client.receive();

            assertThat(answer.protocolVersion).isEqualTo(V4);
            assertProtocolError(answer, "Got 3 but previous messages on this connection had version 4");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    // ------------------------------------------------------------------ framing and compression

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void v5SegmentsCarryLargeRequestsAndResponses(boolean lz4) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V5, lz4 ? "lz4" : null);
            String largeQuery = "length:" + "q".repeat(300_000);

            client.send(V5, 1, new Query(largeQuery));
            Frame lengthAnswer = client.receive();
            int slicesBefore = client.slicesReceived();
            client.send(V5, 2, new Query("blob:400000"));
            Frame blobAnswer = client.receive();

            assertThat(CannedRows.onlyText((Rows) lengthAnswer.message)).isEqualTo(Integer.toString(largeQuery.length()));
            ByteBuffer blob = ((Rows) blobAnswer.message).getData().peek().get(0);
            assertThat(blob.remaining()).isEqualTo(400_000);
            assertThat(blob.get(5000)).isEqualTo((byte) 5);
            assertThat(blob.get(399_000)).isEqualTo((byte) 399);
            assertThat(client.slicesReceived() - slicesBefore).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void optionsAfterTheV5HandshakeIsFramed() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V5, "lz4");
            int segmentsBefore = client.segmentsReceived();
            client.send(V5, 33, Options.INSTANCE);
            Frame answer = client.receive();

            assertThat(answer.streamId).isEqualTo(33);
            assertThat(answer.message).isInstanceOf(Supported.class);
            assertThat(client.segmentsReceived()).isEqualTo(segmentsBefore + 1);
        }
    }

    @Test
    void v5BatchesSmallResponsesIntoSharedSegments() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V5, null);
            int segmentsBefore = client.segmentsReceived();
            List<Frame> requests = new ArrayList<>();
            for (int stream = 0; stream < 200; stream++) {
                requests.add(Frame.forRequest(V5, stream, false, Frame.NO_PAYLOAD, new Query("echo:" + stream)));
            }
            client.sendAll(requests);
            Map<Integer, String> answers = new HashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                Frame answer = client.receive();
                answers.put(answer.streamId, CannedRows.onlyText((Rows) answer.message));
            }

            assertThat(answers).hasSize(200).allSatisfy((stream, text) -> assertThat(text).isEqualTo(stream.toString()));
            assertThat(client.segmentsReceived() - segmentsBefore).isLessThan(200);
        }
    }

    @Test
    void v4FramesAreCompressedWithLz4OnceNegotiated() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, "lz4");
            client.send(V4, 1, new Query("length:" + "z".repeat(100_000)));
            Frame lengthAnswer = client.receive();
            client.send(V4, 2, new Query("blob:200000"));
            Frame blobAnswer = client.receive();

            assertThat(CannedRows.onlyText((Rows) lengthAnswer.message)).isEqualTo("100007");
            assertThat(lengthAnswer.compressedSize).isPositive();
            assertThat(((Rows) blobAnswer.message).getData().peek().get(0).remaining()).isEqualTo(200_000);
            assertThat(blobAnswer.compressedSize).isPositive().isLessThan(blobAnswer.size);
        }
    }

    @Test
    void tracingFlagAndCustomPayloadAreAcceptedAndIgnored() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, null);
            client.send(Frame.forRequest(V4, 12, true,
                    Map.of("k", ByteBuffer.wrap(new byte[] {1, 2})), new Query("echo:traced")));
            Frame answer = client.receive();

            assertThat(answer.streamId).isEqualTo(12);
            assertThat(answer.tracingId).isNull();
            assertThat(CannedRows.onlyText((Rows) answer.message)).isEqualTo("traced");
        }
    }

    // ------------------------------------------------------------------ streams and flow control

    @Test
    void responsesFollowCompletionOrderNotRequestOrder() throws Exception {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V5, null);
            List<Frame> requests = new ArrayList<>();
            for (int stream = 1; stream <= 50; stream++) {
                requests.add(Frame.forRequest(V5, stream, false, Frame.NO_PAYLOAD, new Query("hold:" + stream)));
            }
            client.sendAll(requests);
            List<ScriptedRequestHandler.Held> held = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                held.add(handler.nextHeld());
            }
            // a request dispatched after them proves the connection is done dispatching the held ones
            client.send(V5, 100, new Query("echo:barrier"));
            assertThat(client.receive().streamId).isEqualTo(100);
            Collections.reverse(held);
            for (ScriptedRequestHandler.Held request : held) {
                request.complete(CannedRows.text("done " + request.text()));
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Frame answer = client.receive();
                assertThat(CannedRows.onlyText((Rows) answer.message)).isEqualTo("done " + answer.streamId);
                order.add(answer.streamId);
            }

            List<Integer> expected = new ArrayList<>();
            for (int stream = 50; stream >= 1; stream--) {
                expected.add(stream);
            }
            assertThat(order).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void thousandsOfStreamsInFlightCompleteOutOfOrder(int version) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(version, null);
            Random random = new Random(42);
            List<Frame> requests = new ArrayList<>();
            for (int stream = 30_000; stream < 32_000; stream++) {
                requests.add(Frame.forRequest(version, stream, false, Frame.NO_PAYLOAD,
                        new Query("delay:" + random.nextInt(20) + ":s" + stream)));
            }
            client.sendAll(requests);
            Map<Integer, String> answers = new HashMap<>();
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                Frame answer = client.receive();
                answers.put(answer.streamId, CannedRows.onlyText((Rows) answer.message));
                order.add(answer.streamId);
            }

            assertThat(answers).hasSize(2000).allSatisfy((stream, text) -> assertThat(text).isEqualTo("s" + stream));
            List<Integer> sorted = new ArrayList<>(order);
            Collections.sort(sorted);
            assertThat(order).isNotEqualTo(sorted);
        }
    }

    @Test
    void readingPausesWhileTooManyRequestsAreInFlight() throws Exception {
        int limit = 4;
        try (RawCqlClient client = RawCqlClient.connect(start(CqlServerOptions.defaults().withHost("127.0.0.1")
                .withPort(0).withEventLoops(1).withMaxRequestsPerConnection(limit)))) {
            client.authenticate(V4, null);
            int total = 10;
            List<Frame> requests = new ArrayList<>();
            for (int stream = 0; stream < total; stream++) {
                requests.add(Frame.forRequest(V4, stream, false, Frame.NO_PAYLOAD, new Query("hold:" + stream)));
            }
            client.sendAll(requests);

            // release two whenever the limit is reached: reading resumes at half the limit
            int released = 0;
            List<ScriptedRequestHandler.Held> pending = new ArrayList<>();
            while (released < total) {
                while (pending.size() < Math.min(limit, total - released)) {
                    pending.add(handler.nextHeld());
                }
                int batch = Math.min(2, pending.size());
                for (int i = 0; i < batch; i++) {
                    ScriptedRequestHandler.Held request = pending.remove(0);
                    request.complete(CannedRows.text(request.text()));
                    released++;
                }
            }
            for (int i = 0; i < total; i++) {
                Frame answer = client.receive();
                assertThat(CannedRows.onlyText((Rows) answer.message)).isEqualTo(Integer.toString(answer.streamId));
            }

            assertThat(handler.maxOutstandingHeld).hasValue(limit);
        }
    }

    @Test
    void manyConnectionsAreServedConcurrently() throws Exception {
        int port = start();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < 8; c++) {
            int connection = c;
            Thread thread = new Thread(() -> {
                try (RawCqlClient client = RawCqlClient.connect(port)) {
                    client.authenticate(connection % 2 == 0 ? V5 : V4, null);
                    for (int i = 0; i < 50; i++) {
                        client.send(connection % 2 == 0 ? V5 : V4, i, new Query("echo:" + connection + "/" + i));
                        Frame answer = client.receive();
                        assertThat(CannedRows.onlyText((Rows) answer.message)).isEqualTo(connection + "/" + i);
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }

        assertThat(failures).isEmpty();
        assertThat(handler.states).hasSize(400);
    }

    // ------------------------------------------------------------------ failures

    @Test
    void failedOrBrokenRequestsGetServerErrorsAndTheConnectionLivesOn() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V5, null);
            client.send(V5, 1, new Query("fail"));
            Frame failed = client.receive();
            client.send(V5, 2, new Query("throw"));
            Frame thrown = client.receive();
            client.send(V5, 3, new Query("null"));
            Frame empty = client.receive();
            client.send(V5, 4, new Query("echo:still here"));
            Frame alive = client.receive();

            assertThat(failed.streamId).isEqualTo(1);
            assertThat(((Error) failed.message).code).isEqualTo(ErrorCode.SERVER_ERROR);
            // internal details stay in the log; the client gets an id to quote
            assertThat(((Error) failed.message).message).matches("Internal server error \\(correlation id [0-9a-f]+\\)")
                    .doesNotContain("storage unavailable");
            assertThat(((Error) thrown.message).code).isEqualTo(ErrorCode.SERVER_ERROR);
            assertThat(((Error) thrown.message).message).startsWith("Internal server error (correlation id")
                    .doesNotContain("handler bug");
            assertThat(((Error) empty.message).code).isEqualTo(ErrorCode.SERVER_ERROR);
            assertThat(CannedRows.onlyText((Rows) alive.message)).isEqualTo("still here");
        }
    }

    @Test
    void oversizeFrameIsRefusedBeforeItsBodyArrives() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(CqlServerOptions.defaults().withHost("127.0.0.1")
                .withPort(0).withEventLoops(1).withMaxFrameSize(64 * 1024)))) {
            client.authenticate(V4, null);
            // only the header of a QUERY announcing a 1 MiB body
            client.writeRaw(new byte[] {0x04, 0x00, 0x00, 0x11, 0x07, 0x00, 0x10, 0x00, 0x00});
            Frame answer = client.receive();

            assertThat(answer.streamId).isEqualTo(0x11);
            assertProtocolError(answer, "Request is too big: length 1048576 exceeds maximum allowed length 65536");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void oversizeV5EnvelopeIsRefusedFromItsFirstSlice() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start(CqlServerOptions.defaults().withHost("127.0.0.1")
                .withPort(0).withEventLoops(1).withMaxFrameSize(200 * 1024)))) {
            client.authenticate(V5, null);
            byte[] envelope = client.encodeEnvelope(
                    Frame.forRequest(V5, 21, false, Frame.NO_PAYLOAD, new Query("x".repeat(300_000))));
            byte[] firstSlice = java.util.Arrays.copyOf(envelope, 100_000);
            client.writeRaw(client.segmentBytes(firstSlice, false));
            Frame answer = client.receive();

            assertThat(answer.streamId).isEqualTo(21);
            assertProtocolError(answer, "Request is too big");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void garbageInsteadOfAFrameIsAProtocolError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.writeRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Frame answer = client.receive();

            assertProtocolError(answer, "Invalid or unsupported protocol version (71)");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void malformedBodyIsAProtocolError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, null);
            // QUERY whose [long string] claims 1000 bytes but carries 3
            client.writeRaw(new byte[] {0x04, 0x00, 0x00, 0x08, 0x07, 0, 0, 0, 7, 0, 0, 0x03, (byte) 0xE8, 'a', 'b', 'c'});
            Frame answer = client.receive();

            assertThat(answer.streamId).isEqualTo(8);
            assertProtocolError(answer, "Invalid or malformed message");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void responseOpcodeFromAClientIsAProtocolError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            // a request-direction frame with the RESULT opcode
            client.writeRaw(new byte[] {0x04, 0x00, 0x00, 0x01, 0x08, 0, 0, 0, 0});

            assertProtocolError(client.receive(), "Invalid or malformed message");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void corruptSegmentIsAProtocolError(boolean corruptHeader) throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V5, null);
            byte[] segment = client.segmentBytes(client.encodeEnvelope(
                    Frame.forRequest(V5, 1, false, Frame.NO_PAYLOAD, new Query("echo:x"))), true);
            segment[corruptHeader ? 1 : segment.length - 1] ^= 0x5A;
            client.writeRaw(segment);
            Frame answer = client.receive();

            assertProtocolError(answer, corruptHeader ? "Segment header checksum mismatch" : "Segment payload checksum mismatch");
            assertThat(client.closedByServer()).isTrue();
            assertThat(handler.states).isEmpty();
        }
    }

    @Test
    void compressedFrameWithoutNegotiatedCompressionIsAProtocolError() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, null);
            client.writeRaw(new byte[] {0x04, ProtocolConstants.FrameFlag.COMPRESSED, 0x00, 0x02, 0x05, 0, 0, 0, 0});

            assertProtocolError(client.receive(), "no compression was negotiated");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    // ------------------------------------------------------------------ events and lifecycle

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void registeredConnectionsReceiveTheirTenantsSchemaEvents(int version) throws Exception {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(version, null);
            client.send(version, 3, new Register(List.of(ProtocolConstants.EventType.SCHEMA_CHANGE,
                    ProtocolConstants.EventType.TOPOLOGY_CHANGE, ProtocolConstants.EventType.STATUS_CHANGE)));
            assertThat(client.receive().message).isInstanceOf(Ready.class);

            events.publish("other-tenant", SchemaEvent.keyspace(SchemaEvent.Change.CREATED, "not_mine"));
            events.publish(FakeAuthenticator.TENANT, SchemaEvent.table(SchemaEvent.Change.CREATED, "ks", "users"));
            Frame event = client.receive();

            assertThat(event.streamId).isEqualTo(-1);
            assertThat(event.message).isInstanceOf(SchemaChangeEvent.class);
            SchemaChangeEvent change = (SchemaChangeEvent) event.message;
            assertThat(change.keyspace).isEqualTo("ks");
            assertThat(change.object).isEqualTo("users");
            assertThat(change.target).isEqualTo(ProtocolConstants.SchemaChangeTarget.TABLE);
            assertThat(events.subscriptions).hasValue(1);
        }
        awaitCondition(() -> events.subscriptions.get() == 0, "the closed connection to unsubscribe");
    }

    @Test
    void aScopedConnectionIsToldOnlyOfChangesItsTokenSees() throws Exception {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            Frame login = client.login(V4, null, FakeAuthenticator.SCOPED + "SELECT:ks.users", FakeAuthenticator.GOOD_PASSWORD);
            assertThat(login.message).isInstanceOf(AuthSuccess.class);
            client.send(V4, 3, new Register(List.of(ProtocolConstants.EventType.SCHEMA_CHANGE)));
            assertThat(client.receive().message).isInstanceOf(Ready.class);

            events.publish(FakeAuthenticator.TENANT, SchemaEvent.table(SchemaEvent.Change.CREATED, "ks", "secret"));
            events.publish(FakeAuthenticator.TENANT, SchemaEvent.keyspace(SchemaEvent.Change.CREATED, "other"));
            events.publish(FakeAuthenticator.TENANT, SchemaEvent.table(SchemaEvent.Change.UPDATED, "other", "users"));
            events.publish(FakeAuthenticator.TENANT, SchemaEvent.keyspace(SchemaEvent.Change.UPDATED, "ks"));
            events.publish(FakeAuthenticator.TENANT, SchemaEvent.table(SchemaEvent.Change.UPDATED, "ks", "users"));

            // events are pushed in order: the first two that arrive are the visible ones
            SchemaChangeEvent first = (SchemaChangeEvent) client.receive().message;
            SchemaChangeEvent second = (SchemaChangeEvent) client.receive().message;
            assertThat(first.keyspace).isEqualTo("ks");
            assertThat(first.target).isEqualTo(ProtocolConstants.SchemaChangeTarget.KEYSPACE);
            assertThat(second.keyspace + "." + second.object).isEqualTo("ks.users");
        }
    }

    @Test
    void unknownEventTypeIsRefused() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, null);
            client.send(V4, 3, new Register(List.of("TABLE_DROPPED")));
            Frame answer = client.receive();

            assertThat(((Error) answer.message).code).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(events.subscriptions).hasValue(0);
        }
    }

    @Test
    void closingTheServerClosesItsConnections() throws IOException {
        try (RawCqlClient client = RawCqlClient.connect(start())) {
            client.authenticate(V4, null);
            assertThat(server.connectionCount()).isEqualTo(1);

            server.close();

            assertThat(client.closedByServer()).isTrue();
            assertThat(server.port()).isEqualTo(-1);
        }
    }

    @Test
    void serverOnAFixedPortReportsIt() throws IOException {
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        int port = start(CqlServerOptions.defaults().withHost("127.0.0.1").withPort(free).withEventLoops(2));

        assertThat(port).isEqualTo(free);
        try (RawCqlClient client = RawCqlClient.connect(port)) {
            client.send(V4, 0, Options.INSTANCE);
            assertThat(client.receive().message).isInstanceOf(Supported.class);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void assertProtocolError(Frame answer, String messagePart) {
        assertThat(answer.message).isInstanceOf(Error.class);
        Error error = (Error) answer.message;
        assertThat(error.code).isEqualTo(ErrorCode.PROTOCOL_ERROR);
        assertThat(error.message).contains(messagePart);
    }

    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RawCqlClient.READ_TIMEOUT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
