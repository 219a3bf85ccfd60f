package io.strata.cql.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The prepared-statement cache, keyed by (tenant, statement id) so tenants never share or see each
 * other's statements. Ids are MD5 of the keyspace and query text, like Cassandra's, so re-preparing the
 * same text yields the same id. Bounded (Caffeine); an evicted statement answers UNPREPARED and the
 * driver re-prepares transparently. Thread-safe.
 */
final class PreparedStatements {
    record Key(String tenant, byte[] id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && tenant.equals(k.tenant) && Arrays.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return tenant.hashCode() * 31 + Arrays.hashCode(id);
        }
    }

    private final Cache<Key, Prepared> cache;

    PreparedStatements(long maxEntries) {
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).build();
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

    void put(String tenant, Prepared p) {
        cache.put(new Key(tenant, p.id()), p);
    }

    Prepared get(String tenant, byte[] id) {
        return cache.getIfPresent(new Key(tenant, id));
    }

    void invalidate(String tenant, byte[] id) {
        cache.invalidate(new Key(tenant, id));
    }
}
