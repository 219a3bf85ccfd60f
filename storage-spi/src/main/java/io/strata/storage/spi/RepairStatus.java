package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Zone repair progress since start. Immutable.
 *
 * @param passes passes run (periodic and on demand)
 * @param blobsCopied copies written into lagging zones, every pass together
 * @param last the latest pass, once one ran
 */
public record RepairStatus(long passes, long blobsCopied, Optional<RepairPass> last) {
    public RepairStatus {
        requireNonNull(last, "last is null");
    }
}
