package io.strata.storage.engine.segment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Supplier;

/**
 * The uncompressed, verified blocks of every open segment of every table, bounded by bytes (Caffeine,
 * W-TinyLFU eviction). Keyed by segment blob key and block number; blocks are immutable, so entries never
 * go stale. Thread-safe.
 */
final class BlockCache {
    private record BlockKey(String segment, int block) {}

    private final Cache<BlockKey, byte[]> cache;

    BlockCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((BlockKey k, byte[] v) -> v.length + 64)
                .recordStats()
                .build();
    }

    byte[] get(String segment, int block, Supplier<byte[]> load) {
        return cache.get(new BlockKey(segment, block), k -> load.get());
    }

    void invalidate(String segment, int blocks) {
        for (int b = 0; b < blocks; b++) {
            cache.invalidate(new BlockKey(segment, b));
        }
    }

    void invalidateBlock(String segment, int block) {
        cache.invalidate(new BlockKey(segment, block));
    }

    /** Hit ratio since start, for metrics and benchmarks. */
    double hitRate() {
        return cache.stats().hitRate();
    }

    long weightedSize() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }
}
