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
        add(key.token(), key.key().length);
    }

    void add(long token, int keyLength) {
        long[] probes = probes(token, keyLength);
        for (long bit : probes) {
            bits[(int) (bit >>> 6)] |= 1L << (bit & 63);
        }
    }

    boolean mightContain(PartitionKey key) {
        for (long bit : probes(key.token(), key.key().length)) {
            if ((bits[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** The bit positions of a key: double hashing of its token (h1) and a remix of it (h2). */
    private long[] probes(long token, int keyLength) {
        long h1 = token;
        long h2 = mix(h1 ^ keyLength);
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

    /**
     * Collects keys while a segment is written, so its filter is sized by the keys it really holds (a writer
     * cutting a stream into several segments cannot know each one's count in advance): 12 bytes per key.
     */
    static final class Builder {
        private long[] tokens = new long[1024];
        private int[] lengths = new int[1024];
        private int n;

        void add(PartitionKey key) {
            if (n == tokens.length) {
                tokens = java.util.Arrays.copyOf(tokens, n * 2);
                lengths = java.util.Arrays.copyOf(lengths, n * 2);
            }
            tokens[n] = key.token();
            lengths[n++] = key.key().length;
        }

        BloomFilter build() {
            BloomFilter f = forKeys(n);
            for (int i = 0; i < n; i++) {
                f.add(tokens[i], lengths[i]);
            }
            return f;
        }
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
