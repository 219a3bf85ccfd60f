package io.strata.storage.spi;

/**
 * Cassandra's Murmur3Partitioner token: the first 64 bits of MurmurHash3_x64_128 (seed 0) of the
 * serialized partition key, computed exactly like Cassandra (including its sign-extension of tail
 * bytes) so that drivers' token-aware routing and {@code token()} agree with Strata. Long.MIN_VALUE
 * is reserved as the minimum token and maps to Long.MAX_VALUE. Stateless and thread-safe.
 */
public final class Murmur3 {
    private Murmur3() {}

    public static long token(byte[] key) {
        long h = hash64(key, 0, key.length, 0);
        return h == Long.MIN_VALUE ? Long.MAX_VALUE : h;
    }

    private static long getBlock(byte[] key, int offset, int index) {
        int i8 = index << 3;
        int blockOffset = offset + i8;
        return ((long) key[blockOffset] & 0xff)
                + (((long) key[blockOffset + 1] & 0xff) << 8)
                + (((long) key[blockOffset + 2] & 0xff) << 16)
                + (((long) key[blockOffset + 3] & 0xff) << 24)
                + (((long) key[blockOffset + 4] & 0xff) << 32)
                + (((long) key[blockOffset + 5] & 0xff) << 40)
                + (((long) key[blockOffset + 6] & 0xff) << 48)
                + (((long) key[blockOffset + 7] & 0xff) << 56);
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    static long hash64(byte[] key, int offset, int length, long seed) {
        final int nblocks = length >> 4;
        long h1 = seed;
        long h2 = seed;
        final long c1 = 0x87c37b91114253d5L;
        final long c2 = 0x4cf5ad432745937fL;
        for (int i = 0; i < nblocks; i++) {
            long k1 = getBlock(key, offset, i * 2);
            long k2 = getBlock(key, offset, i * 2 + 1);
            k1 *= c1; k1 = Long.rotateLeft(k1, 31); k1 *= c2; h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
            k2 *= c2; k2 = Long.rotateLeft(k2, 33); k2 *= c1; h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
        }
        offset += nblocks * 16;
        long k1 = 0;
        long k2 = 0;
        // Cassandra sign-extends the tail bytes (a historical quirk we must match).
        switch (length & 15) {
            case 15: k2 ^= ((long) key[offset + 14]) << 48;
            case 14: k2 ^= ((long) key[offset + 13]) << 40;
            case 13: k2 ^= ((long) key[offset + 12]) << 32;
            case 12: k2 ^= ((long) key[offset + 11]) << 24;
            case 11: k2 ^= ((long) key[offset + 10]) << 16;
            case 10: k2 ^= ((long) key[offset + 9]) << 8;
            case 9:
                k2 ^= key[offset + 8];
                k2 *= c2; k2 = Long.rotateLeft(k2, 33); k2 *= c1; h2 ^= k2;
            case 8: k1 ^= ((long) key[offset + 7]) << 56;
            case 7: k1 ^= ((long) key[offset + 6]) << 48;
            case 6: k1 ^= ((long) key[offset + 5]) << 40;
            case 5: k1 ^= ((long) key[offset + 4]) << 32;
            case 4: k1 ^= ((long) key[offset + 3]) << 24;
            case 3: k1 ^= ((long) key[offset + 2]) << 16;
            case 2: k1 ^= ((long) key[offset + 1]) << 8;
            case 1:
                k1 ^= key[offset];
                k1 *= c1; k1 = Long.rotateLeft(k1, 31); k1 *= c2; h1 ^= k1;
            default:
                break;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        return h1;
    }
}
