package io.strata.cql.server;

import com.datastax.oss.protocol.internal.Message;
import java.util.concurrent.CompletionStage;

/**
 * Executes authenticated CQL requests: QUERY, PREPARE, EXECUTE and BATCH messages (the native-protocol
 * request classes). The transport owns everything else (OPTIONS, STARTUP, AUTH_RESPONSE, REGISTER,
 * framing, compression).
 *
 * <p>The returned stage completes with the response message: a {@code Result} subtype, or an
 * {@code Error} carrying the CQL error code (the stage itself fails only for bugs, which the transport
 * answers with SERVER_ERROR). It may complete on any thread; the transport must not assume the event
 * loop. The handler never blocks the calling thread for I/O.
 */
public interface RequestHandler {
    CompletionStage<Message> handle(ClientState state, Message request);
}
