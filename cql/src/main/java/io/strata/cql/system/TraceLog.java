package io.strata.cql.system;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where traced requests of a tenant can be read back: the rows of {@code system_traces.sessions} and
 * {@code system_traces.events}. A tenant only ever sees its own traces. Implementations are thread-safe.
 */
public interface TraceLog {
    /** A log with no traces. */
    TraceLog NONE = tenant -> List.of();

    /** The tenant's retained traced requests, oldest first. */
    List<Session> sessions(String tenant);

    /**
     * One traced request: {@code durationMicros} is null while it runs; {@code events} in order.
     */
    record Session(UUID sessionId, InetAddress client, String command, InetAddress coordinator, int coordinatorPort,
            Integer durationMicros, Map<String, String> parameters, String request, long startedAtMillis,
            List<Event> events) {}

    /** One stage of a traced request, with the microseconds elapsed since the request started. */
    record Event(UUID eventId, String activity, InetAddress source, int sourcePort, int sourceElapsedMicros,
            String thread) {}
}
