package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one zone repair pass did. Immutable.
 *
 * @param at when the pass ended
 * @param blobsCopied copies written into zones that lacked a blob or held it corrupt
 * @param zonesMissingCommitLog zones (by index) whose listing lacked the open commit log (wiped or replaced)
 * @param flushed whether the pass flushed the engine to roll the commit log into every zone again
 * @param error what failed, if anything (the next pass retries)
 */
public record RepairPass(Instant at, long blobsCopied, List<Integer> zonesMissingCommitLog, boolean flushed,
        Optional<String> error) {
    public RepairPass {
        requireNonNull(at, "at is null");
        zonesMissingCommitLog = List.copyOf(zonesMissingCommitLog);
        requireNonNull(error, "error is null");
    }
}
