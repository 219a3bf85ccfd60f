package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whole reads and writes of heap bytes on file channels, in slices of at most {@link #SLICE} bytes. The JDK copies a
 * heap buffer through a temporary direct buffer of the same size and keeps that buffer cached in the thread for its
 * next I/O: one 20 MB group commit or blob written from a thread pins 20 MB of native memory to it for good (a
 * gateway held 86 MB of them after an overload of 10 KB rows). Slices bound what each thread keeps.
 *
 * <p>Stateless; thread-safe as far as the channels are.
 */
public final class ChannelIO {
    /** The largest single channel call: what the JDK may cache per thread for it. */
    public static final int SLICE = 256 * 1024;

    private ChannelIO() {}

    /** Writes all of {@code bytes} at the channel's position. */
    public static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        writeFully(ch, ByteBuffer.wrap(requireNonNull(bytes, "bytes is null")));
    }

    /** Writes the buffer's remaining bytes at the channel's position; the buffer's limit is restored. */
    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        int limit = b.limit();
        try {
            while (b.position() < limit) {
                b.limit(Math.min(limit, b.position() + SLICE));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        } finally {
            b.limit(limit);
        }
    }

    /** Writes the buffer's remaining bytes at {@code position} (the channel's own position is untouched). */
    public static void writeFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        int start = b.position();
        int limit = b.limit();
        try {
            while (b.position() < limit) {
                b.limit(Math.min(limit, b.position() + SLICE));
                while (b.hasRemaining()) {
                    ch.write(b, position + b.position() - start);
                }
            }
        } finally {
            b.limit(limit);
        }
    }

    /** Writes {@code length} zero bytes at {@code position}. */
    public static void writeZeros(FileChannel ch, long position, long length) throws IOException {
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(SLICE, length - done);
            done += ch.write(ByteBuffer.wrap(ZEROS, 0, n), position + done);
        }
    }

    private static final byte[] ZEROS = new byte[SLICE];

    /**
     * Fills the buffer from {@code position} on (positional: the channel's own position is untouched); stops early
     * only at the end of the file. Returns the bytes read.
     */
    public static int readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        int start = b.position();
        int limit = b.limit();
        try {
            while (b.position() < limit) {
                b.limit(Math.min(limit, b.position() + SLICE));
                if (ch.read(b, position + b.position() - start) < 0) {
                    break;
                }
            }
        } finally {
            b.limit(limit);
        }
        return b.position() - start;
    }

    /** The whole file (at most 2 GiB). */
    public static byte[] readAll(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + " is too large to read whole: " + size + " bytes");
            }
            ByteBuffer b = ByteBuffer.allocate((int) size);
            int n = readFully(ch, b, 0);
            return n == size ? b.array() : java.util.Arrays.copyOf(b.array(), n);
        }
    }
}
