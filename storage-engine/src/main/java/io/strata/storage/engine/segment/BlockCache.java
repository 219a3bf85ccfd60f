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
        int[] budget = CACHED_ONLY.get();
        if (budget != null) {
            byte[] cached = --budget[0] < 0 ? null : cache.getIfPresent(new BlockKey(segment, block));
            if (cached == null) {
                throw NotCached.INSTANCE;
            }
            return cached;
        }
        return cache.get(new BlockKey(segment, block), k -> load.get());
    }

    /** Set while a thread may use only cached blocks, at most budget[0] more of them. */
    private static final ThreadLocal<int[]> CACHED_ONLY = new ThreadLocal<>();

    /** Thrown (without a stack) when a cached-only read needs a block that is not cached, or too many. */
    static final class NotCached extends RuntimeException {
        static final NotCached INSTANCE = new NotCached();

        private NotCached() {
            super("block not cached", null, false, false);
        }
    }

    /**
     * Runs {@code work} on cached blocks only (of any cache: the flag is the thread's): its result, or null when it
     * needed a block that is not cached or more than {@code maxBlocks} blocks. Never does I/O.
     */
    static <T> T cachedOnly(int maxBlocks, Supplier<T> work) {
        if (CACHED_ONLY.get() != null) {
            throw new IllegalStateException("cached-only reads do not nest");
        }
        CACHED_ONLY.set(new int[] {maxBlocks});
        try {
            return work.get();
        } catch (NotCached e) {
            return null;
        } finally {
            CACHED_ONLY.remove();
        }
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
