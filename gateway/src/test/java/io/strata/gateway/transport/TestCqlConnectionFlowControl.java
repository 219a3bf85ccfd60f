package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Compressor;
import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.FrameCodec;
import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.request.AuthResponse;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.Startup;
import com.datastax.oss.protocol.internal.response.AuthSuccess;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read pausing around a full socket write queue, driven step by step on the connection's event loop
 * through a scripted {@link NetSocket}, which a real socket cannot make deterministic.
 */
final class TestCqlConnectionFlowControl {
    private static Vertx vertx;

    private final FrameCodec<ByteBuf> client = FrameCodec.defaultClient(ByteBufPrimitiveCodec.INSTANCE, Compressor.none());
    private final ScriptedRequestHandler handler = new ScriptedRequestHandler();
    private final ScriptedSocket socket = new ScriptedSocket();
    private Context context;
    private CqlConnection connection;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("deprecation") // Buffer.buffer(ByteBuf): see CqlConnection
    void readingPausesWhileTheWriteQueueIsFullAndResumesOnDrain() throws Exception {
        context = vertx.getOrCreateContext();
        ServerResources resources = new ServerResources(CqlServerOptions.defaults(), new Codecs(1 << 20), handler,
                new FakeAuthenticator(), new RecordingSchemaEvents(), ConcurrentHashMap.newKeySet(),
                new Admission(FrontDoor.defaults()), java.time.Clock.systemUTC(), TransportSecurity.off());
        onLoop(() -> {
            connection = new CqlConnection(socket.proxy(), context, resources, "127.0.0.1");
            connection.start();
        });
        feed(request(0, new Startup(Map.of(Startup.CQL_VERSION_KEY, RawCqlClient.CQL))));
        feed(request(1, new AuthResponse(RawCqlClient.plain("alice", FakeAuthenticator.GOOD_PASSWORD))));
        awaitResponses(2);
        assertThat(socket.responses(client).get(1).message).isInstanceOf(AuthSuccess.class);

        socket.writeQueueFull = true;
        feed(request(2, new Query("echo:first")));
        assertThat(socket.paused).as("paused once a write leaves the queue full").isTrue();

        // bytes that were already on their way are kept, not dispatched
        feed(request(3, new Query("echo:second")));
        assertThat(handler.states).hasSize(1);

        socket.writeQueueFull = false;
        onLoop(() -> socket.drainHandler.handle(null));
        onLoop(() -> { }); // the drain scheduled by the dispatch above

        assertThat(socket.paused).isFalse();
        assertThat(handler.states).hasSize(2);
        List<Frame> responses = socket.responses(client);
        assertThat(responses).hasSize(4);
        assertThat(CannedRows.onlyText((Rows) responses.get(2).message)).isEqualTo("first");
        assertThat(CannedRows.onlyText((Rows) responses.get(3).message)).isEqualTo("second");
    }

    private byte[] request(int stream, Message message) {
        return ByteBufUtil.getBytes(client.encode(Frame.forRequest(4, stream, false, Frame.NO_PAYLOAD, message)));
    }

    /** Delivers bytes as the socket would, then lets the drain it schedules run. */
    @SuppressWarnings("deprecation")
    private void feed(byte[] bytes) throws InterruptedException {
        onLoop(() -> socket.dataHandler.handle(Buffer.buffer(Unpooled.wrappedBuffer(bytes))));
        onLoop(() -> { });
    }

    private void awaitResponses(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (socket.written.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Only " + socket.written.size() + " responses were written");
            }
            Thread.sleep(5);
        }
    }

    private void onLoop(Runnable action) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.runOnContext(ignored -> {
            try {
                action.run();
            } finally {
                done.countDown();
            }
        });
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    }

    /** The parts of a NetSocket the connection uses, scripted by the test. */
    private static final class ScriptedSocket {
        final List<byte[]> written = new CopyOnWriteArrayList<>();
        volatile boolean writeQueueFull;
        volatile boolean paused;
        Handler<Buffer> dataHandler;
        Handler<Void> drainHandler;

        @SuppressWarnings({"unchecked", "deprecation"})
        NetSocket proxy() {
            return (NetSocket) Proxy.newProxyInstance(NetSocket.class.getClassLoader(), new Class<?>[] {NetSocket.class},
                    (self, method, args) -> {
                        switch (method.getName()) {
                            case "handler":
                                dataHandler = (Handler<Buffer>) args[0];
                                return self;
                            case "drainHandler":
                                drainHandler = (Handler<Void>) args[0];
                                return self;
                            case "exceptionHandler":
                            case "closeHandler":
                                return self;
                            case "pause":
                                paused = true;
                                return self;
                            case "resume":
                                paused = false;
                                return self;
                            case "write":
                                written.add(ByteBufUtil.getBytes(((Buffer) args[0]).getByteBuf()));
                                return Future.succeededFuture();
                            case "writeQueueFull":
                                return writeQueueFull;
                            case "close":
                                return Future.succeededFuture();
                            case "remoteAddress":
                                return null;
                            case "toString":
                                return "ScriptedSocket";
                            default:
                                throw new UnsupportedOperationException(method.getName());
                        }
                    });
        }

        List<Frame> responses(FrameCodec<ByteBuf> codec) {
            List<Frame> frames = new ArrayList<>();
            for (byte[] write : written) {
                ByteBuf bytes = Unpooled.wrappedBuffer(write);
                while (bytes.isReadable()) {
                    frames.add(codec.decode(bytes));
                }
            }
            return frames;
        }
    }
}
