package io.strata.storage.engine;

/**
 * Tuning of the engine.
 *
 * @param flushThresholdBytes memtables of all tables together are flushed once they exceed this estimate
 * @param stallThresholdBytes writers wait (their acknowledgement is delayed) while memtables exceed this and a flush runs
 * @param readThreads threads serving reads
 * @param gcGraceSeconds how long tombstones are kept before a major compaction may purge them (Cassandra's
 *     gc_grace_seconds default; a table may set its own)
 * @param blockCacheBytes bytes of uncompressed segment blocks cached in memory, shared by every table
 * @param retentionSeconds how long superseded manifests, segments and flushed commit logs are kept (for
 *     point-in-time recovery) before garbage collection deletes them; Keyspaces keeps 35 days
 * @param gcIntervalSeconds how often garbage collection runs
 * @param tenantThreadShare the share of the read threads (and of the conditional-write threads) one tenant may
 *     occupy at once, {@code 0 < share <= 1}: {@code ceil(share × threads)}, at least 1, and below 1 always leaving
 *     one thread to the other tenants
 * @param tenantQueueLimit reads (and, separately, conditional writes) one tenant may have waiting for a thread;
 *     beyond it a request fails at once with {@link io.strata.storage.spi.StorageOverloadedException}
 * @param cellTargetBytes flushes and compactions cut their output into token cells of at least this size, so a
 *     compaction rewrites cells, not whole tables (see {@link io.strata.storage.engine.segment.TokenGrid})
 */
public record EngineOptions(long flushThresholdBytes, long stallThresholdBytes, int readThreads, int gcGraceSeconds,
        long blockCacheBytes, long retentionSeconds, long gcIntervalSeconds, double tenantThreadShare,
        int tenantQueueLimit, long cellTargetBytes) {
    public static final int DEFAULT_GC_GRACE_SECONDS = 864_000;
    public static final long DEFAULT_RETENTION_SECONDS = 35L * 24 * 3600;
    public static final double DEFAULT_TENANT_THREAD_SHARE = 1.0;
    public static final int DEFAULT_TENANT_QUEUE_LIMIT = 10_000;

    /**
     * The engine's memory defaults for a heap of {@code maxHeapBytes} (the JVM's {@code -Xmx}, or its default of a
     * quarter of the machine's or container's memory): memtables flush at 1/16 of the heap (4 to 64 MiB) and stall
     * writers at 1/5 (2 to 4 times the flush threshold); the block cache takes 1/8. What is left serves requests in
     * flight, compaction and restores, so a small container runs without tuning and a large one uses its memory.
     */
    public record HeapBudget(long flushThresholdBytes, long stallThresholdBytes, long blockCacheBytes) {
        public static HeapBudget of(long maxHeapBytes) {
            if (maxHeapBytes <= 0) {
                throw new IllegalArgumentException("heap must be positive, not " + maxHeapBytes);
            }
            long flush = Math.max(4L << 20, Math.min(64L << 20, maxHeapBytes / 16));
            long stall = Math.min(4 * flush, Math.max(2 * flush, maxHeapBytes / 5));
            return new HeapBudget(flush, stall, maxHeapBytes / 8);
        }
    }

    public EngineOptions {
        if (flushThresholdBytes <= 0 || stallThresholdBytes < flushThresholdBytes) {
            throw new IllegalArgumentException("need 0 < flushThresholdBytes <= stallThresholdBytes");
        }
        if (readThreads <= 0 || gcGraceSeconds < 0 || blockCacheBytes < 0 || retentionSeconds < 0 || gcIntervalSeconds <= 0) {
            throw new IllegalArgumentException("bad engine options");
        }
        if (!(tenantThreadShare > 0 && tenantThreadShare <= 1)) { // also refuses NaN
            throw new IllegalArgumentException("tenant-thread-share must be greater than 0 and at most 1, not "
                    + tenantThreadShare);
        }
        if (cellTargetBytes <= 0) {
            throw new IllegalArgumentException("cell target must be positive, not " + cellTargetBytes);
        }
        if (tenantQueueLimit <= 0) {
            throw new IllegalArgumentException("tenant-queue-limit must be at least 1, not " + tenantQueueLimit);
        }
    }

    public EngineOptions(long flushThresholdBytes, long stallThresholdBytes, int readThreads, int gcGraceSeconds,
            long blockCacheBytes, long retentionSeconds, long gcIntervalSeconds) {
        this(flushThresholdBytes, stallThresholdBytes, readThreads, gcGraceSeconds, blockCacheBytes, retentionSeconds,
                gcIntervalSeconds, DEFAULT_TENANT_THREAD_SHARE, DEFAULT_TENANT_QUEUE_LIMIT,
                io.strata.storage.engine.segment.TokenGrid.DEFAULT_TARGET_BYTES);
    }

    public EngineOptions(long flushThresholdBytes, long stallThresholdBytes, int readThreads) {
        this(flushThresholdBytes, stallThresholdBytes, readThreads, DEFAULT_GC_GRACE_SECONDS);
    }

    public EngineOptions(long flushThresholdBytes, long stallThresholdBytes, int readThreads, int gcGraceSeconds) {
        this(flushThresholdBytes, stallThresholdBytes, readThreads, gcGraceSeconds, 256L << 20,
                DEFAULT_RETENTION_SECONDS, 3600);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(64L << 20, 256L << 20, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    public EngineOptions withRetention(long seconds, long gcInterval) {
        return new EngineOptions(flushThresholdBytes, stallThresholdBytes, readThreads, gcGraceSeconds, blockCacheBytes,
                seconds, gcInterval, tenantThreadShare, tenantQueueLimit, cellTargetBytes);
    }

    public EngineOptions withBlockCacheBytes(long bytes) {
        return new EngineOptions(flushThresholdBytes, stallThresholdBytes, readThreads, gcGraceSeconds, bytes,
                retentionSeconds, gcIntervalSeconds, tenantThreadShare, tenantQueueLimit, cellTargetBytes);
    }

    public EngineOptions withTenantShare(double threadShare, int queueLimit) {
        return new EngineOptions(flushThresholdBytes, stallThresholdBytes, readThreads, gcGraceSeconds, blockCacheBytes,
                retentionSeconds, gcIntervalSeconds, threadShare, queueLimit, cellTargetBytes);
    }

    /** Flush and compaction output is cut into token cells of at least this size (see TokenGrid). */
    public EngineOptions withCellTargetBytes(long bytes) {
        return new EngineOptions(flushThresholdBytes, stallThresholdBytes, readThreads, gcGraceSeconds, blockCacheBytes,
                retentionSeconds, gcIntervalSeconds, tenantThreadShare, tenantQueueLimit, bytes);
    }
}
