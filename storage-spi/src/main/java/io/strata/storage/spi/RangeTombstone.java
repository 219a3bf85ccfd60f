package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/** A deletion of every row whose clustering lies in {@code slice} (DELETE with a clustering range). */
public record RangeTombstone(Slice slice, DeletionTime deletion) {
    public RangeTombstone {
        requireNonNull(slice, "slice is null");
        requireNonNull(deletion, "deletion is null");
    }
}
