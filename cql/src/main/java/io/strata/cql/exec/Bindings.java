package io.strata.cql.exec;

import com.datastax.oss.protocol.internal.ProtocolConstants;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bound values of one execution, positional, already matched to the statement's variables. A value
 * is a byte array, null (CQL null), or {@link #UNSET} (protocol v4+ "unset": leave the column alone).
 */
final class Bindings {
    static final byte[] UNSET = new byte[0];
    static final Bindings NONE = new Bindings(new byte[0][]);

    private final byte[][] values;

    private Bindings(byte[][] values) {
        this.values = values;
    }

    static Bindings of(List<ByteBuffer> buffers) {
        byte[][] v = new byte[buffers.size()][];
        for (int i = 0; i < v.length; i++) {
            ByteBuffer b = buffers.get(i);
            if (b == null) {
                v[i] = null;
            } else if (b == ProtocolConstants.UNSET_VALUE) {
                v[i] = UNSET;
            } else {
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                v[i] = bytes;
            }
        }
        return new Bindings(v);
    }

    int size() {
        return values.length;
    }

    byte[] get(int index) {
        return values[index];
    }

    static boolean isUnset(byte[] v) {
        return v == UNSET;
    }
}
