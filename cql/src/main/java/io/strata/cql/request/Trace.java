package io.strata.cql.request;

/**
 * Where the stages of one traced request are recorded (CQL tracing: {@code system_traces.events}). Every
 * layer the request passes through adds what it did, so a user can see where time went. {@link #NONE}
 * records nothing and costs nothing; requests without the tracing flag carry it. Implementations are
 * thread-safe: stages of one request may run on several threads.
 */
public interface Trace {
    /** A trace that records nothing. */
    Trace NONE = new Trace() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public void event(String activity) {
            // not traced
        }
    };

    /** Whether events are recorded (callers skip building costly activity texts when not). */
    boolean enabled();

    /** Records that {@code activity} happened now, on the calling thread. */
    void event(String activity);
}
