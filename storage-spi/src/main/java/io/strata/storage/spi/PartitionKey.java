package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A partition key: the serialized CQL partition key (for composite keys, Cassandra's composite
 * encoding) and its Murmur3 token. Ordered by token (signed) then key bytes (unsigned), which is
 * the order of a full-table scan. Immutable; the array is never mutated.
 */
public record PartitionKey(long token, byte[] key) implements Comparable<PartitionKey> {
    public PartitionKey {
        requireNonNull(key, "key is null");
    }

    public static PartitionKey of(byte[] key) {
        return new PartitionKey(Murmur3.token(key), key);
    }

    @Override
    public int compareTo(PartitionKey o) {
        int c = Long.compare(token, o.token);
        return c != 0 ? c : Bytes.compare(key, o.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionKey p && token == p.token && Arrays.equals(key, p.key);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(token) * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "PartitionKey[" + token + ":" + Bytes.hex(key) + "]";
    }
}
