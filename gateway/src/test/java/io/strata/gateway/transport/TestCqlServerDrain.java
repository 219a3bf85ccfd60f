package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Frame;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.ProtocolConstants.ErrorCode;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A graceful stop of the CQL endpoint: what is in flight is answered, nothing new is admitted, within a deadline. */
final class TestCqlServerDrain {
    private static final int V4 = ProtocolConstants.Version.V4;
    private static Vertx vertx;

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

    private int start() {
        server = new CqlServer(vertx, CqlServerOptions.defaults().withHost("127.0.0.1").withPort(0).withEventLoops(2),
                handler, new FakeAuthenticator(), new RecordingSchemaEvents());
        return server.start();
    }

    @Test
    void inFlightRequestsAreAnsweredWhileNewConnectionsAndRequestsAreRefused() throws Exception {
        int port = start();
        try (RawCqlClient client = RawCqlClient.connect(port)) {
            client.authenticate(V4, null);
            client.send(V4, 1, new Query("hold:slow"));
            ScriptedRequestHandler.Held held = handler.nextHeld();
            assertThat(server.inFlight()).isEqualTo(1);

            CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> server.drain(Duration.ofSeconds(20)));
            Thread.sleep(200);
            assertThat(drained).isNotDone();

            // a new request on an open connection: refused, so the driver retries it elsewhere
            client.send(V4, 2, new Query("echo:late"));
            Frame refused = client.receive();
            assertThat(refused.streamId).isEqualTo(2);
            assertThat(refused.message).isInstanceOf(Error.class);
            assertThat(((Error) refused.message).code).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(((Error) refused.message).message).contains("shutting down");

            // a new connection: closed before a byte is read
            try (RawCqlClient late = RawCqlClient.connect(port)) {
                assertThat(late.closedByServer()).isTrue();
            }

            held.complete(CannedRows.text("done"));
            Frame answer = client.receive();
            assertThat(answer.streamId).isEqualTo(1);
            assertThat(answer.message).isInstanceOf(Rows.class);
            assertThat(drained.get(10, TimeUnit.SECONDS)).isZero();

            server.close();
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void theDeadlineBoundsTheWaitForRequestsThatDoNotFinish() throws Exception {
        int port = start();
        try (RawCqlClient client = RawCqlClient.connect(port)) {
            client.authenticate(V4, null);
            client.send(V4, 1, new Query("hold:forever"));
            handler.nextHeld();

            long start = System.nanoTime();
            int left = server.drain(Duration.ofMillis(300));
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(left).isEqualTo(1);
            assertThat(millis).isBetween(250L, 5_000L);
            server.close();
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void drainingAnIdleServerReturnsAtOnce() {
        start();
        long start = System.nanoTime();
        assertThat(server.drain(Duration.ofSeconds(10))).isZero();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000L);
    }
}
