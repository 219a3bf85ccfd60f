package io.strata.gateway.transport;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.smallrye.mutiny.Uni;
import io.strata.cql.session.ClientState;
import io.strata.cql.session.RequestHandler;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers QUERY messages by a small script in the query text. Thread-safe.
 * <ul>
 *   <li>{@code echo:<text>}: a row with {@code <text>}
 *   <li>{@code delay:<millis>:<text>}: the same, completed later on another thread
 *   <li>{@code length:<anything>}: a row with the query's length (large requests)
 *   <li>{@code blob:<n>}: a row with an n-byte blob (large responses)
 *   <li>{@code hold:<text>}: a row completed when the test releases it ({@link #held})
 *   <li>{@code fail}, {@code throw}, {@code null}: a failed stage, a synchronous exception, a null answer
 *   <li>anything else: RESULT Void
 * </ul>
 */
final class ScriptedRequestHandler implements RequestHandler {
    final List<ClientState> states = new CopyOnWriteArrayList<>();
    final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    final AtomicInteger outstandingHeld = new AtomicInteger();
    final AtomicInteger maxOutstandingHeld = new AtomicInteger();

    /** A request the test completes. */
    final class Held {
        private final String text;
        private final CompletableFuture<Message> future = new CompletableFuture<>();

        Held(String text) {
            this.text = text;
        }

        String text() {
            return text;
        }

        /** Answers the request; it stops counting as outstanding before the server can see the answer. */
        void complete(Message answer) {
            outstandingHeld.decrementAndGet();
            future.complete(answer);
        }
    }

    @Override
    public Uni<Response> handle(ClientState state, Request request) {
        CompletionStage<Message> answer = answer(state, request.message());
        return answer == null ? null : Uni.createFrom().completionStage(answer).map(m -> m == null ? null : Response.of(m));
    }

    private CompletionStage<Message> answer(ClientState state, Message request) {
        states.add(state);
        if (!(request instanceof Query)) {
            return CompletableFuture.completedFuture(Void.INSTANCE);
        }
        String query = ((Query) request).query;
        if (query.startsWith("echo:")) {
            return CompletableFuture.completedFuture(CannedRows.text(query.substring(5)));
        }
        if (query.startsWith("delay:")) {
            String[] parts = query.split(":", 3);
            return CompletableFuture.supplyAsync(() -> CannedRows.text(parts[2]),
                    CompletableFuture.delayedExecutor(Long.parseLong(parts[1]), TimeUnit.MILLISECONDS));
        }
        if (query.startsWith("length:")) {
            return CompletableFuture.completedFuture(CannedRows.text(Integer.toString(query.length())));
        }
        if (query.startsWith("blob:")) {
            byte[] blob = new byte[Integer.parseInt(query.substring(5))];
            Arrays.fill(blob, (byte) 'x');
            for (int i = 0; i < blob.length; i += 1000) {
                blob[i] = (byte) (i / 1000); // not all alike, so a slicing bug changes the bytes
            }
            return CompletableFuture.completedFuture(CannedRows.blob(blob));
        }
        if (query.startsWith("hold:")) {
            int outstanding = outstandingHeld.incrementAndGet();
            maxOutstandingHeld.accumulateAndGet(outstanding, Math::max);
            Held holder = new Held(query.substring(5));
            held.add(holder);
            return holder.future;
        }
        switch (query) {
            case "fail":
                return CompletableFuture.failedFuture(new IllegalStateException("storage unavailable"));
            case "throw":
                throw new IllegalStateException("handler bug");
            case "null":
                return CompletableFuture.completedFuture(null);
            default:
                return CompletableFuture.completedFuture(Void.INSTANCE);
        }
    }

    /** The next held request, failing the test if none arrives within the client read timeout. */
    Held nextHeld() throws InterruptedException {
        Held next = held.poll(RawCqlClient.READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("No held request arrived");
        }
        return next;
    }
}
