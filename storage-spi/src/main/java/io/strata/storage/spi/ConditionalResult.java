package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/**
 * Outcome of {@link StorageEngine#applyIf}: whether the updates were applied, and the partition's state
 * as read before deciding (what a lightweight transaction returns when its condition fails).
 */
public record ConditionalResult(boolean applied, ReadResult current) {
    public ConditionalResult {
        requireNonNull(current, "current is null");
    }
}
