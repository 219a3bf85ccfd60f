package io.strata.storage.engine.codec;

import java.io.InputStream;
import java.util.Objects;

/**
 * An input stream over a range of a byte array, without {@link java.io.ByteArrayInputStream}'s per-call lock: rows
 * are decoded a few bytes per call through {@link java.io.DataInputStream} on every read and merge.
 *
 * <p>Not thread-safe: one reader owns it. The array is not copied and must not change while it is read.
 */
public final class ByteSource extends InputStream {
    private final byte[] buf;
    private final int end;
    private int pos;

    public ByteSource(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public ByteSource(byte[] buf, int offset, int length) {
        this.buf = Objects.requireNonNull(buf, "buf is null");
        Objects.checkFromIndexSize(offset, length, buf.length);
        this.pos = offset;
        this.end = offset + length;
    }

    @Override
    public int read() {
        return pos < end ? buf[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos >= end) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, end - pos));
        pos += (int) k;
        return k;
    }

    @Override
    public int available() {
        return end - pos;
    }
}
