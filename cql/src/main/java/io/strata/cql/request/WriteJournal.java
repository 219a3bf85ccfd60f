package io.strata.cql.request;

import io.strata.storage.spi.PartitionUpdate;
import java.util.List;

/**
 * Updates written atomically with a request's own writes, in the same commit-log record: where the usage ledger
 * records what an acknowledged write consumed, so that no acknowledged write goes unbilled after a crash. A guard
 * sets one on the {@link RequestContext}; the executors ask it once the request's updates are built (its usage is
 * then known) and apply its updates with them. Implementations are thread-safe and must not block.
 */
@FunctionalInterface
public interface WriteJournal {
    /** Journals nothing. */
    WriteJournal NONE = rc -> List.of();

    /** The updates to apply with the request's writes; empty for none. */
    List<PartitionUpdate> entries(RequestContext rc);
}
