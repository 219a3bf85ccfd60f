package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import io.strata.cql.expr.TimeUuids;
import io.strata.cql.request.Trace;
import io.strata.cql.system.NodeInfo;
import io.strata.cql.system.TraceLog;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The traced requests of every tenant, kept in memory for {@code system_traces}: per tenant the newest
 * {@link #MAX_SESSIONS} sessions of the last day (Cassandra keeps query traces a day), each with at most
 * {@link #MAX_EVENTS} events, so tracing can never grow without bound. Traces are per gateway node, as a
 * coordinator's traces are in Cassandra before they are replicated. Thread-safe.
 */
public final class TraceStore implements TraceLog {
    static final int MAX_SESSIONS = 1_000;
    static final int MAX_EVENTS = 500;
    static final long RETENTION_MILLIS = 24L * 3600 * 1000;

    private final TimeUuids time;
    private final Supplier<NodeInfo> node;
    private final Map<String, Deque<Recording>> byTenant = new ConcurrentHashMap<>();

    /**
     * @param node this node's address and port (the coordinator and source of every event)
     */
    public TraceStore(TimeUuids time, Supplier<NodeInfo> node) {
        this.time = requireNonNull(time, "time is null");
        this.node = requireNonNull(node, "node is null");
    }

    /** Starts tracing one request of {@code tenant}; its session id goes back to the client. */
    Recording start(String tenant, InetAddress client, String request, Map<String, String> parameters) {
        Recording r = new Recording(time.next(), client, request, parameters, time.nowMillis(), System.nanoTime());
        Deque<Recording> sessions = byTenant.computeIfAbsent(tenant, t -> new ArrayDeque<>());
        synchronized (sessions) {
            sessions.addLast(r);
            long cutoff = time.nowMillis() - RETENTION_MILLIS;
            while (sessions.size() > MAX_SESSIONS || !sessions.isEmpty() && sessions.peekFirst().startedAt < cutoff) {
                sessions.removeFirst();
            }
        }
        return r;
    }

    @Override
    public List<Session> sessions(String tenant) {
        Deque<Recording> sessions = byTenant.get(tenant);
        if (sessions == null) {
            return List.of();
        }
        List<Recording> copy;
        synchronized (sessions) {
            copy = new ArrayList<>(sessions);
        }
        List<Session> out = new ArrayList<>(copy.size());
        for (Recording r : copy) {
            out.add(r.snapshot());
        }
        return out;
    }

    /** One request being traced: records events until {@link #finish}. Thread-safe. */
    final class Recording implements Trace {
        final UUID sessionId;
        private final InetAddress client;
        private final String request;
        private final Map<String, String> parameters;
        private final long startedAt;
        private final long startNanos;
        private final List<Event> events = new ArrayList<>();
        private Integer durationMicros;

        Recording(UUID sessionId, InetAddress client, String request, Map<String, String> parameters, long startedAt,
                long startNanos) {
            this.sessionId = sessionId;
            this.client = client;
            this.request = request;
            this.parameters = Map.copyOf(parameters);
            this.startedAt = startedAt;
            this.startNanos = startNanos;
        }

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void event(String activity) {
            int elapsed = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1000);
            NodeInfo n = node.get();
            Event e = new Event(time.next(), activity, n.address(), n.nativePort(), elapsed, Thread.currentThread().getName());
            synchronized (this) {
                if (events.size() < MAX_EVENTS && durationMicros == null) {
                    events.add(e);
                }
            }
        }

        synchronized void finish() {
            if (durationMicros == null) {
                durationMicros = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1000);
            }
        }

        synchronized Session snapshot() {
            NodeInfo n = node.get();
            return new Session(sessionId, client, "QUERY", n.address(), n.nativePort(), durationMicros, parameters, request,
                    startedAt, List.copyOf(events));
        }
    }
}
