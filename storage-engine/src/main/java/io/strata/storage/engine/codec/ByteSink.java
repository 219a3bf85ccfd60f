package io.strata.storage.engine.codec;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable in-memory output stream without {@link java.io.ByteArrayOutputStream}'s per-call lock: segment, index
 * and commit-log encoding write a few bytes per call through {@link java.io.DataOutputStream}, and an uncontended
 * monitor on every one of those calls showed up in write-path profiles.
 *
 * <p>Not thread-safe: one writer owns it.
 */
public final class ByteSink extends OutputStream {
    private byte[] buf;
    private int count;

    public ByteSink() {
        this(256);
    }

    public ByteSink(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("negative capacity " + initialCapacity);
        }
        buf = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        if (count == buf.length) {
            grow(count + 1);
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len > buf.length - count) {
            grow(count + len);
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void grow(int needed) {
        if (needed < 0) {
            throw new OutOfMemoryError("in-memory buffer over 2 GiB");
        }
        buf = Arrays.copyOf(buf, Math.max(needed, Math.min(Integer.MAX_VALUE - 8, Math.max(64, buf.length * 2))));
    }

    /** Bytes written since creation or the last {@link #reset}. */
    public int size() {
        return count;
    }

    /** Forgets what was written and keeps the buffer. */
    public void reset() {
        count = 0;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }
}
