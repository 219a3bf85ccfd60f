package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A row's clustering: the byte-comparable encoding of its clustering column values, produced by the
 * CQL layer so that unsigned byte order equals CQL clustering order (DESC columns already inverted).
 * Each component's encoding is prefix-free, so the encoding of a clustering prefix is a byte prefix of
 * every clustering that starts with those values. Tables without clustering columns use {@link #EMPTY}.
 * The static row of a partition uses {@link #STATIC}, which sorts before every other clustering.
 */
public record Clustering(byte[] encoded, boolean isStatic) implements Comparable<Clustering> {
    public static final Clustering EMPTY = new Clustering(Bytes.EMPTY, false);
    public static final Clustering STATIC = new Clustering(Bytes.EMPTY, true);

    public Clustering {
        requireNonNull(encoded, "encoded is null");
        if (isStatic && encoded.length != 0) {
            throw new IllegalArgumentException("static clustering has no values");
        }
    }

    public static Clustering of(byte[] encoded) {
        return encoded.length == 0 ? EMPTY : new Clustering(encoded, false);
    }

    @Override
    public int compareTo(Clustering o) {
        if (isStatic != o.isStatic) {
            return isStatic ? -1 : 1;
        }
        return Bytes.compare(encoded, o.encoded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Clustering c && isStatic == c.isStatic && Arrays.equals(encoded, c.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded) + (isStatic ? 1 : 0);
    }

    @Override
    public String toString() {
        return isStatic ? "STATIC" : "Clustering[" + Bytes.hex(encoded) + "]";
    }
}
