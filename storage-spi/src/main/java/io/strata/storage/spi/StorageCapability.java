package io.strata.storage.spi;

/** Optional features an engine may support; callers check before relying on them. */
public enum StorageCapability {
    /** Partition-linearizable compare-and-set (lightweight transactions). */
    LWT,
    /** Counter deltas folded on read. */
    COUNTERS,
    /** Writes acknowledged only once a quorum of replicas (zones) has them. */
    REPLICATED_QUORUM
}
