package io.strata.storage.spi;

import java.util.Arrays;
import java.util.HexFormat;

/** Helpers for the byte arrays the model carries. Arrays in the model are never mutated once built. */
public final class Bytes {
    public static final byte[] EMPTY = new byte[0];

    private Bytes() {}

    /** Unsigned lexicographic comparison, the order of every key in the engine. */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    public static boolean startsWith(byte[] array, byte[] prefix) {
        return array.length >= prefix.length
                && Arrays.equals(array, 0, prefix.length, prefix, 0, prefix.length);
    }

    public static String hex(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }
}
