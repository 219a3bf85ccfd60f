package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what clients hold of one gateway, against the {@link FrontDoor} limits: open connections in total and per
 * source address, authenticated connections per tenant, requests in flight per tenant, and the bytes of all
 * requests in flight ({@link RequestBytesBudget}). Every admission ({@code tryConnect}, {@code tryLogin} or
 * {@code tryStartRequest}) must be matched by exactly one release ({@code disconnect}, {@code logout} or
 * {@code endRequest}, the latter with the same byte count); counts never go negative and entries of addresses and
 * tenants holding nothing are removed, so the maps stay as small as the set of current holders.
 *
 * <p>Once {@link #startDraining()} was called (the gateway is shutting down) nothing new is admitted: connections are
 * refused and {@link #draining()} tells connections to refuse new requests, while those in flight complete.
 *
 * <p>Thread-safe and lock-free: connections on every event loop and request completions on any thread use it.
 */
final class Admission {
    private final FrontDoor limits;
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> byTenant = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final RequestBytesBudget requestBytes;
    private volatile boolean draining;

    Admission(FrontDoor limits) {
        this.limits = requireNonNull(limits, "limits is null");
        this.requestBytes = new RequestBytesBudget(limits.maxRequestBytesInFlight());
    }

    /** Why a connection was not admitted, for the log; null when it was. */
    String tryConnect(String address) {
        if (draining) {
            return "the gateway is shutting down";
        }
        if (connections.incrementAndGet() > limits.maxConnections()) {
            connections.decrementAndGet();
            return "the gateway has " + limits.maxConnections() + " connections open (strata.cql.max-connections)";
        }
        if (!tryAcquire(byAddress, address, limits.maxConnectionsPerAddress())) {
            connections.decrementAndGet();
            return address + " has " + limits.maxConnectionsPerAddress()
                    + " connections open (strata.cql.max-connections-per-address)";
        }
        return null;
    }

    void disconnect(String address) {
        release(byAddress, address);
        connections.decrementAndGet();
    }

    boolean tryLogin(String tenant) {
        return tryAcquire(byTenant, tenant, limits.maxConnectionsPerTenant());
    }

    void logout(String tenant) {
        release(byTenant, tenant);
    }

    /**
     * Admits a request of {@code tenant} whose frame body has {@code bytes} bytes, or says why not: the message of the
     * OVERLOADED answer, telling the client what to do. An admitted request ends with {@link #endRequest}.
     *
     * @return null if admitted
     */
    String tryStartRequest(String tenant, int bytes) {
        requireNonNull(tenant, "tenant is null");
        if (bytes < 0) {
            // checked before anything is taken: nothing to give back
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        if (!tryAcquire(inFlight, tenant, limits.maxInFlightPerTenant())) {
            return "Tenant " + tenant + " has the maximum of " + limits.maxInFlightPerTenant()
                    + " requests in flight on this gateway; retry later or with less concurrency";
        }
        if (!requestBytes.tryAcquire(bytes)) {
            release(inFlight, tenant);
            return "This gateway has " + requestBytes.inFlight() + " bytes of requests in flight (limit "
                    + requestBytes.limit() + ", strata.cql.max-request-bytes-in-flight) and this request has " + bytes
                    + "; retry later or with less concurrency";
        }
        return null;
    }

    /** Ends a request {@link #tryStartRequest} admitted, with the same arguments. */
    void endRequest(String tenant, int bytes) {
        requireNonNull(tenant, "tenant is null");
        release(inFlight, tenant);
        requestBytes.release(bytes);
    }

    /** From now on no connection is admitted, and connections answer new requests with OVERLOADED. */
    void startDraining() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** Requests in flight, every tenant together. */
    int totalInFlight() {
        int total = 0;
        for (AtomicInteger n : inFlight.values()) {
            total += n.get();
        }
        return total;
    }

    /** Frame body bytes of the requests in flight, every tenant together. */
    long requestBytesInFlight() {
        return requestBytes.inFlight();
    }

    int connections() {
        return connections.get();
    }

    int inFlight(String tenant) {
        AtomicInteger n = inFlight.get(tenant);
        return n == null ? 0 : n.get();
    }

    private static boolean tryAcquire(ConcurrentHashMap<String, AtomicInteger> counts, String key, int max) {
        boolean[] admitted = new boolean[1];
        // compute keeps the check and the increment atomic with the removal in release
        counts.compute(key, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            if (c.get() < max) {
                c.incrementAndGet();
                admitted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return admitted[0];
    }

    private static void release(ConcurrentHashMap<String, AtomicInteger> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }
}
