package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/** A contiguous range of clusterings between two {@link Bound}s (see there for prefix semantics). */
public record Slice(Bound start, Bound end) {
    public static final Slice ALL = new Slice(Bound.UNBOUNDED, Bound.UNBOUNDED);

    public Slice {
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
    }

    /** All clusterings that start with {@code prefix} (equality on a clustering prefix). */
    public static Slice prefix(byte[] prefix) {
        return new Slice(new Bound(prefix, true), new Bound(prefix, true));
    }

    public boolean contains(Clustering c) {
        if (c.isStatic()) {
            return false;
        }
        return start.admitsAsStart(c.encoded()) && end.admitsAsEnd(c.encoded());
    }
}
