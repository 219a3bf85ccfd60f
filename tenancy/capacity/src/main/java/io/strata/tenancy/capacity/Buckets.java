package io.strata.tenancy.capacity;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import java.util.function.Supplier;

/**
 * Where a {@link CapacityMeter}'s token buckets live. {@link LocalBuckets} keeps them in this process (one gateway
 * node); a cluster of gateways plugs in Bucket4j's distributed {@code ProxyManager} over shared storage here, so
 * that a table's rate is shared across nodes, without changing the meter. Implementations are thread-safe.
 */
public interface Buckets {
    /**
     * The bucket under {@code key}, created with {@code configuration} if absent.
     *
     * @param key identifies the bucket across nodes (tenant, table id, operation, partition)
     */
    Bucket bucket(String key, Supplier<BucketConfiguration> configuration);

    /** Forgets buckets not used for a while (partition buckets come and go with traffic). */
    void forgetIdle();
}
