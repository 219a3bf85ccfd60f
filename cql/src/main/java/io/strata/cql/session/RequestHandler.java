package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.protocol.internal.Message;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * Executes authenticated CQL requests: QUERY, PREPARE, EXECUTE and BATCH messages (the native-protocol
 * request classes). The transport owns everything else (OPTIONS, STARTUP, AUTH_RESPONSE, REGISTER,
 * framing, compression).
 *
 * <p>The returned {@link Uni} emits the response: a {@code Result} subtype or an {@code Error} carrying the
 * CQL error code, with the tracing session id (when the request asked for tracing) and the warnings the
 * frame carries. It fails only for bugs, which the transport answers with SERVER_ERROR. It may emit on
 * any thread; the handler never blocks the calling thread for I/O.
 */
public interface RequestHandler {
    Uni<Response> handle(ClientState state, Request request);

    /** A request message and the frame flags that matter to execution. */
    record Request(Message message, boolean tracing) {
        public Request {
            requireNonNull(message, "message is null");
        }
    }

    /** A response message and what its frame carries besides: the tracing id (or null) and warnings. */
    record Response(Message message, UUID tracingId, List<String> warnings,
            java.util.Map<String, java.nio.ByteBuffer> customPayload) {
        public Response {
            requireNonNull(message, "message is null");
            warnings = List.copyOf(warnings);
            customPayload = java.util.Map.copyOf(customPayload);
        }

        public Response(Message message, UUID tracingId, List<String> warnings) {
            this(message, tracingId, warnings, java.util.Map.of());
        }

        public static Response of(Message message) {
            return new Response(message, null, List.of());
        }
    }
}
