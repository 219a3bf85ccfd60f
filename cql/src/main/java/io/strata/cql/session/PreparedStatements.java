package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import io.strata.cql.parse.CqlParser;
import io.strata.cql.request.CqlException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The prepared-statement cache: one Caffeine cache per tenant, so tenants never share, see or evict each
 * other's statements. Ids are MD5 of the keyspace and query text, like Cassandra's, so re-preparing the
 * same text yields the same id.
 *
 * <p>Budgets are bytes, not counts ({@link PreparedCacheLimits}): each statement weighs an estimate of the
 * heap it retains ({@link Prepared#weight()}). A tenant over its budget evicts its own statements (Caffeine's
 * W-TinyLFU: rarely used ones first). When all tenants together exceed the global budget, the tenant holding
 * most loses its coldest statements until the total fits, so a tenant flooding the cache pays for it itself.
 * A statement heavier than {@link PreparedCacheLimits#maxStatementBytes()} is refused. An evicted statement
 * answers UNPREPARED and the driver re-prepares transparently.
 *
 * <p>Thread-safe; eviction runs on the calling thread (no background executor), so weights are settled when
 * a call returns, up to concurrent calls. The global total may exceed its budget by the statements being
 * added concurrently, never by more.
 */
final class PreparedStatements {
    /** A statement id with value equality. */
    private record Id(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Id i && Arrays.equals(bytes, i.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final PreparedCacheLimits limits;
    // One small cache per tenant that ever prepared; never removed, since a put racing the removal of an
    // empty cache would lose a statement and its weight
    private final Map<String, Cache<Id, Prepared>> tenants = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final ReentrantLock globalEviction = new ReentrantLock();

    PreparedStatements(PreparedCacheLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    static byte[] id(String keyspace, String query) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            if (keyspace != null) {
                md5.update(keyspace.getBytes(StandardCharsets.UTF_8));
            }
            md5.update(query.getBytes(StandardCharsets.UTF_8));
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The weight a statement of this text will have, refusing (before it is parsed) one heavier than a
     * statement may be.
     *
     * @throws CqlException INVALID, with Cassandra's wording
     */
    long weigh(String query) {
        long weight = Prepared.estimateWeight(query.length(), CqlParser.tokenCount(query));
        check(weight, query);
        return weight;
    }

    /**
     * Caches {@code p} for {@code tenant}, evicting as the budgets require.
     *
     * @throws CqlException INVALID if {@code p} weighs more than a statement may
     */
    void put(String tenant, Prepared p) {
        check(p.weight(), p.query());
        Cache<Id, Prepared> cache = tenants.computeIfAbsent(tenant, t -> newCache());
        total.addAndGet(p.weight());
        cache.put(new Id(p.id()), p);
        if (total.get() > limits.globalBytes()) {
            evictGlobally();
        }
    }

    Prepared get(String tenant, byte[] id) {
        Cache<Id, Prepared> cache = tenants.get(tenant);
        return cache == null ? null : cache.getIfPresent(new Id(id));
    }

    void invalidate(String tenant, byte[] id) {
        Cache<Id, Prepared> cache = tenants.get(tenant);
        if (cache != null) {
            cache.invalidate(new Id(id));
        }
    }

    /** The weight {@code tenant}'s statements hold. */
    long weight(String tenant) {
        Cache<Id, Prepared> cache = tenants.get(tenant);
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return eviction(cache).weightedSize().orElseThrow();
    }

    /** The weight all tenants' statements hold. */
    long totalWeight() {
        tenants.values().forEach(Cache::cleanUp);
        return total.get();
    }

    private void check(long weight, String query) {
        if (weight > limits.maxStatementBytes()) {
            throw CqlException.invalid(String.format("Prepared statement of size %d bytes is larger than allowed maximum "
                    + "of %d MiB: %s...", weight, limits.maxStatementBytes() >> 20,
                    query.substring(0, Math.min(200, query.length()))));
        }
    }

    private Cache<Id, Prepared> newCache() {
        return Caffeine.newBuilder()
                .maximumWeight(limits.perTenantBytes())
                .weigher((Id id, Prepared p) -> (int) p.weight())
                // every removal (eviction, replacement, invalidation) gives its weight back exactly once
                .removalListener((Id id, Prepared p, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (p != null) {
                        total.addAndGet(-p.weight());
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    /** Over the global budget: the heaviest tenant loses its coldest statements until the total fits. */
    private void evictGlobally() {
        // one thread evicts at a time; the others' additions are seen by its loop
        if (!globalEviction.tryLock()) {
            return;
        }
        try {
            while (total.get() > limits.globalBytes()) {
                Cache<Id, Prepared> heaviest = null;
                long most = 0;
                for (Cache<Id, Prepared> c : tenants.values()) {
                    long w = eviction(c).weightedSize().orElseThrow();
                    if (w > most) {
                        most = w;
                        heaviest = c;
                    }
                }
                if (heaviest == null) {
                    return;
                }
                Map<Id, Prepared> coldest = eviction(heaviest).coldest(1);
                if (coldest.isEmpty()) {
                    return;
                }
                heaviest.invalidateAll(coldest.keySet());
                heaviest.cleanUp();
            }
        } finally {
            globalEviction.unlock();
        }
    }

    private static Policy.Eviction<Id, Prepared> eviction(Cache<Id, Prepared> cache) {
        return cache.policy().eviction().orElseThrow();
    }
}
