package io.strata.cql.request;

import io.strata.storage.spi.TableId;

/**
 * Asked by the executors before a request touches one partition in storage: where per-partition throughput
 * ceilings plug in (a {@link io.strata.cql.exec.PlanGuard} sets one on the {@link RequestContext}). Refuses by
 * throwing a {@link CqlException}; the request then fails without touching storage. Implementations are
 * thread-safe and must not block.
 */
@FunctionalInterface
public interface PartitionGate {
    /** Admits everything. */
    PartitionGate OPEN = (table, token, write) -> {};

    /**
     * @param token the partition's token
     * @param write whether the request writes it (else it reads it)
     * @throws CqlException to refuse the request
     */
    void admit(TableId table, long token, boolean write);
}
