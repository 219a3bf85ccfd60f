package io.strata.storage.engine.segment;

import io.strata.storage.spi.PartitionKey;
import java.nio.ByteBuffer;

/**
 * A bloom filter on partition keys, stored in each segment so a point read skips segments that cannot
 * hold the partition. Double hashing over the Murmur3 token (already a good 64-bit hash of the key) and a
 * second mix of it; sized for about 1% false positives. Immutable once built; thread-safe for reads.
 */
final class BloomFilter {
    private static final int BITS_PER_KEY = 10;
    private static final int HASHES = 7;

    private final long[] bits;

    private BloomFilter(long[] bits) {
        this.bits = bits;
    }

    static BloomFilter forKeys(int expected) {
        int nbits = Math.max(64, expected * BITS_PER_KEY);
        return new BloomFilter(new long[(nbits + 63) / 64]);
    }

    void add(PartitionKey key) {
        long[] probes = probes(key);
        for (long bit : probes) {
            bits[(int) (bit >>> 6)] |= 1L << (bit & 63);
        }
    }

    boolean mightContain(PartitionKey key) {
        for (long bit : probes(key)) {
            if ((bits[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The bit positions of a key: double hashing of its token (h1) and a remix of it (h2). */
    private long[] probes(PartitionKey key) {
        long h1 = key.token();
        long h2 = mix(h1 ^ key.key().length);
        long n = (long) bits.length * 64;
        long[] out = new long[HASHES];
        for (int i = 0; i < HASHES; i++) {
            out[i] = Math.floorMod(h1 + i * h2, n);
        }
        return out;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (z ^ (z >>> 33)) | 1;
    }

    byte[] serialize() {
        ByteBuffer b = ByteBuffer.allocate(4 + bits.length * 8);
        b.putInt(bits.length);
        for (long l : bits) {
            b.putLong(l);
        }
        return b.array();
    }

    static BloomFilter deserialize(ByteBuffer b) {
        int n = b.getInt();
        long[] bits = new long[n];
        for (int i = 0; i < n; i++) {
            bits[i] = b.getLong();
        }
        return new BloomFilter(bits);
    }
}
