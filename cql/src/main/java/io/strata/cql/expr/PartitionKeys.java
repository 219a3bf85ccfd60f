package io.strata.cql.expr;

import io.strata.cql.request.CqlException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cassandra's partition-key serialization: a single column is its value; a composite key is, per
 * component, a 2-byte length, the value and a 0 byte. Drivers compute the same bytes for token-aware
 * routing, so tokens agree.
 */
public final class PartitionKeys {
    private PartitionKeys() {}

    public static byte[] serialize(List<byte[]> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            if (p.length > 0xffff) {
                throw CqlException.invalid("Partition key component is too long (" + p.length + " bytes)");
            }
            out.write(p.length >>> 8);
            out.write(p.length);
            out.write(p, 0, p.length);
            out.write(0);
        }
        return out.toByteArray();
    }

    public static List<byte[]> split(byte[] key, int count) {
        if (count == 1) {
            return List.of(key);
        }
        List<byte[]> parts = new ArrayList<>(count);
        ByteBuffer b = ByteBuffer.wrap(key);
        for (int i = 0; i < count; i++) {
            int len = b.getShort() & 0xffff;
            byte[] p = new byte[len];
            b.get(p);
            b.get();
            parts.add(p);
        }
        return parts;
    }
}
