package io.strata.cql.request;

import static java.util.Objects.requireNonNull;

import io.strata.cql.capacity.CapacityUnits;
import io.strata.tenancy.core.TenantContext;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one request carries through the whole path, from the session to storage: who asks (tenant
 * and principal), the keyspace names resolve against, the consistency levels, the client's default
 * timestamp, paging, and what the request collects on the way (trace, warnings, storage usage).
 * Later stages attach their decisions (an access decision, a capacity charge) under typed
 * {@link Key keys}. Executors see this, never wire types.
 *
 * <p>The fixed fields are immutable; the collectors and attachments are thread-safe, since the stages of
 * one request may complete on different threads. One instance per request.
 */
public final class RequestContext {
    /** No client-supplied default timestamp: the server's clock decides. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;
    /** Attached by a capacity guard to a request it throttled: "read" or "write". */
    public static final Key<String> THROTTLED = new Key<>("throttled", String.class);
    /** Attached with {@link #THROTTLED}: what ran out ("TABLE", "PARTITION" or "ACCOUNT"). */
    public static final Key<String> THROTTLE_SCOPE = new Key<>("throttle scope", String.class);

    /** A typed attachment slot; identity is the key. */
    public record Key<T>(String name, Class<T> type) {
        public Key {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    private final TenantContext caller;
    private final String keyspace;
    private final Consistency consistency;
    private final Consistency serialConsistency;
    private final long defaultTimestamp;
    private final PageRequest page;
    private final Trace trace;
    private volatile java.net.InetAddress client;
    private volatile PartitionGate gate = PartitionGate.OPEN;
    private volatile WriteJournal journal = WriteJournal.NONE;
    /** When the request began (monotonic), for latency metrics. */
    private final long startedNanos = System.nanoTime();
    private final Warnings warnings = new Warnings();
    private final RequestUsage usage = new RequestUsage();
    /** Created on first attach: most requests carry none. */
    private volatile ConcurrentHashMap<Key<?>, Object> attachments;

    public RequestContext(TenantContext caller, String keyspace, Consistency consistency,
            Consistency serialConsistency, long defaultTimestamp, PageRequest page, Trace trace) {
        this.caller = requireNonNull(caller, "caller is null");
        this.keyspace = keyspace;
        this.consistency = requireNonNull(consistency, "consistency is null");
        this.serialConsistency = requireNonNull(serialConsistency, "serialConsistency is null");
        this.defaultTimestamp = defaultTimestamp;
        this.page = requireNonNull(page, "page is null");
        this.trace = requireNonNull(trace, "trace is null");
    }

    /** A context for internal work of {@code caller} (no paging, no trace, LOCAL_QUORUM). */
    public static RequestContext internal(TenantContext caller, String keyspace) {
        return new RequestContext(caller, keyspace, Consistency.LOCAL_QUORUM, Consistency.SERIAL, NO_TIMESTAMP,
                PageRequest.NONE, Trace.NONE);
    }

    /** The client's address, for audit records; null when unknown (internal requests, tests). */
    public java.net.InetAddress client() {
        return client;
    }

    /** Sets the client's address (the session does, once, before the request runs). */
    public RequestContext client(java.net.InetAddress address) {
        this.client = address;
        return this;
    }

    /** When the request began, on the monotonic clock ({@link System#nanoTime()}). */
    public long startedNanos() {
        return startedNanos;
    }

    /** What the executors write atomically with the request's writes (the usage ledger); none by default. */
    public WriteJournal journal() {
        return journal;
    }

    /** Sets the write journal (a guard does, before the request runs). */
    public void journal(WriteJournal journal) {
        this.journal = java.util.Objects.requireNonNull(journal, "journal is null");
    }

    /** What the executors ask before touching a partition (per-partition limits); open by default. */
    public PartitionGate gate() {
        return gate;
    }

    /** Sets the partition gate (a guard does, before the request runs). */
    public void gate(PartitionGate gate) {
        this.gate = java.util.Objects.requireNonNull(gate, "gate is null");
    }

    public TenantContext caller() {
        return caller;
    }

    /** The tenant, the namespace every name of this request lives in. */
    public String tenant() {
        return caller.tenantId();
    }

    /** The keyspace unqualified names resolve against (the statement's, else the session's), or null. */
    public String keyspace() {
        return keyspace;
    }

    public Consistency consistency() {
        return consistency;
    }

    public Consistency serialConsistency() {
        return serialConsistency;
    }

    /** The client's default timestamp in microseconds, or {@link #NO_TIMESTAMP}. */
    public long defaultTimestamp() {
        return defaultTimestamp;
    }

    public PageRequest page() {
        return page;
    }

    public Trace trace() {
        return trace;
    }

    public Warnings warnings() {
        return warnings;
    }

    public RequestUsage usage() {
        return usage;
    }

    /** The capacity units the request consumed so far, its reads priced at its consistency level. */
    public CapacityUnits capacity() {
        return usage.capacity(consistency);
    }

    public <T> void attach(Key<T> key, T value) {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        ConcurrentHashMap<Key<?>, Object> map = attachments;
        if (map == null) {
            synchronized (this) {
                if (attachments == null) {
                    attachments = new ConcurrentHashMap<>(4);
                }
                map = attachments;
            }
        }
        map.put(key, value);
    }

    public <T> Optional<T> attachment(Key<T> key) {
        ConcurrentHashMap<Key<?>, Object> map = attachments;
        return map == null ? Optional.empty() : Optional.ofNullable(key.type().cast(map.get(key)));
    }
}
