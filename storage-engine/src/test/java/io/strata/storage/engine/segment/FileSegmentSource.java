package io.strata.storage.engine.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Positional reads of a local segment file, as the disk cache serves them (tests and benchmarks open segments
 * without a store). Thread-safe: positional channel reads.
 */
final class FileSegmentSource implements SegmentSource {
    private final java.nio.channels.FileChannel channel;

    FileSegmentSource(Path file) throws IOException {
        this.channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
    }

    @Override
    public long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public byte[] read(long offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, offset + b.position()) < 0) {
                    throw new IOException("short read");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.array();
    }

    @Override
    public byte[] readRepaired(long offset, int length) {
        return read(offset, length);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
