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
        if (budget[0] != OFF) {
            byte[] cached = --budget[0] < 0 ? null : cache.getIfPresent(new BlockKey(segment, block));
            if (cached == null) {
                throw NotCached.INSTANCE;
            }
            return cached;
        }
        return cache.get(new BlockKey(segment, block), k -> load.get());
    }

    /** The budget of a thread not in a cached-only read. */
    private static final int OFF = Integer.MIN_VALUE;

    /**
     * The thread's cached-only budget: {@link #OFF}, or how many more cached blocks it may use (below zero: none).
     * One holder per thread, so a cached attempt allocates nothing.
     */
    private static final ThreadLocal<int[]> CACHED_ONLY = ThreadLocal.withInitial(() -> new int[] {OFF});

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
        int[] budget = CACHED_ONLY.get();
        if (budget[0] != OFF) {
            throw new IllegalStateException("cached-only reads do not nest");
        }
        budget[0] = Math.max(0, maxBlocks);
        try {
            return work.get();
        } catch (NotCached e) {
            return null;
        } finally {
            budget[0] = OFF;
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
