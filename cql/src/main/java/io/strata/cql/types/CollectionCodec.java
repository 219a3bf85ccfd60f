package io.strata.cql.types;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Native-protocol (v3+) serialization of collections whose elements are already serialized: an int
 * count, then each element as an int length (-1 for null) and its bytes; maps alternate keys and values.
 * Stateless, thread-safe.
 */
public final class CollectionCodec {
    private CollectionCodec() {}

    public static byte[] list(List<byte[]> elements) {
        int size = 4;
        for (byte[] e : elements) {
            size += 4 + (e == null ? 0 : e.length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(elements.size());
        for (byte[] e : elements) {
            put(b, e);
        }
        return b.array();
    }

    public static byte[] map(Map<byte[], byte[]> entries) {
        int size = 4;
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            size += 8 + e.getKey().length + (e.getValue() == null ? 0 : e.getValue().length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(entries.size());
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            put(b, e.getKey());
            put(b, e.getValue());
        }
        return b.array();
    }

    /** Splits a serialized list or set into its elements (a map yields keys and values alternately). */
    public static List<byte[]> elements(byte[] serialized, boolean isMap) {
        ByteBuffer b = ByteBuffer.wrap(serialized);
        if (b.remaining() < 4) {
            throw new InvalidValueException("Not enough bytes to read a collection size");
        }
        int n = b.getInt();
        if (n < 0) {
            throw new InvalidValueException("Negative collection size: " + n);
        }
        int count = isMap ? 2 * n : n;
        List<byte[]> out = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            if (b.remaining() < 4) {
                throw new InvalidValueException("Not enough bytes to read collection element " + i);
            }
            int len = b.getInt();
            if (len < 0) {
                out.add(null);
                continue;
            }
            if (b.remaining() < len) {
                throw new InvalidValueException("Not enough bytes to read collection element " + i);
            }
            byte[] e = new byte[len];
            b.get(e);
            out.add(e);
        }
        if (b.hasRemaining()) {
            throw new InvalidValueException("Unexpected extraneous bytes after collection value");
        }
        return out;
    }

    private static void put(ByteBuffer b, byte[] e) {
        if (e == null) {
            b.putInt(-1);
        } else {
            b.putInt(e.length).put(e);
        }
    }
}
