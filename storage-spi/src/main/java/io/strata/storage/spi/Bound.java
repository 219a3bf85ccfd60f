package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/**
 * One end of a clustering slice: a clustering prefix (byte-comparable encoding, possibly empty =
 * unbounded) and whether clusterings that start with the prefix are included. With prefix
 * semantics, for a start bound: inclusive means {@code c >= prefix}; exclusive means {@code c > prefix
 * and not c.startsWith(prefix)}. For an end bound: inclusive means {@code c < prefix or
 * c.startsWith(prefix)}; exclusive means {@code c < prefix}. An empty inclusive prefix is unbounded.
 */
public record Bound(byte[] prefix, boolean inclusive) {
    public static final Bound UNBOUNDED = new Bound(Bytes.EMPTY, true);

    public Bound {
        requireNonNull(prefix, "prefix is null");
    }

    public boolean isUnbounded() {
        return prefix.length == 0 && inclusive;
    }

    /** True when {@code c} lies at or after this bound used as a slice start. */
    public boolean admitsAsStart(byte[] c) {
        if (inclusive) {
            return Bytes.compare(c, prefix) >= 0;
        }
        return Bytes.compare(c, prefix) > 0 && !Bytes.startsWith(c, prefix);
    }

    /** True when {@code c} lies at or before this bound used as a slice end. */
    public boolean admitsAsEnd(byte[] c) {
        if (inclusive) {
            return Bytes.compare(c, prefix) < 0 || Bytes.startsWith(c, prefix);
        }
        return Bytes.compare(c, prefix) < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bound b && inclusive == b.inclusive && java.util.Arrays.equals(prefix, b.prefix);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(prefix) * 2 + (inclusive ? 1 : 0);
    }

    @Override
    public String toString() {
        return (inclusive ? "incl:" : "excl:") + Bytes.hex(prefix);
    }
}
