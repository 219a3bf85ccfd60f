package io.strata.storage.engine.manifest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One version of a table's manifest, stored as the immutable blob {@code <table>/manifest/<version:020>}
 * (see {@code StorageKeys}):
 * its live segments (oldest first), the last commit-log file whose records for this table are all in
 * segments (replay skips those), the epoch of the writer that committed it, when, and whether the table
 * was dropped. Version N+1 is committed by creating its key only if absent (compare-and-swap), so of two
 * writers exactly one wins; a writer that loses to a higher epoch is fenced. Old versions are retained
 * for point-in-time recovery until garbage collection. Immutable.
 */
public record Manifest(long version, long writerEpoch, long createdAtMillis, boolean dropped, List<Long> segments,
        long flushedLog) {
    private static final int FORMAT = 2;

    public Manifest {
        segments = List.copyOf(segments);
    }

    public static Manifest first(long writerEpoch, long now, long flushedLog) {
        return new Manifest(1, writerEpoch, now, false, List.of(), flushedLog);
    }

    /** The next version by this writer, with new contents. */
    public Manifest next(long epoch, long now, List<Long> newSegments, long newFlushedLog) {
        return new Manifest(version + 1, epoch, now, false, newSegments, newFlushedLog);
    }

    public Manifest asDropped(long epoch, long now) {
        return new Manifest(version + 1, epoch, now, true, segments, flushedLog);
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(FORMAT);
            out.writeLong(version);
            out.writeLong(writerEpoch);
            out.writeLong(createdAtMillis);
            out.writeBoolean(dropped);
            out.writeLong(flushedLog);
            out.writeInt(segments.size());
            for (long s : segments) {
                out.writeLong(s);
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Manifest decode(byte[] b) throws IOException {
        if (b.length < 8) {
            throw new IOException("manifest truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        if (java.nio.ByteBuffer.wrap(b, b.length - 4, 4).getInt() != (int) crc.getValue()) {
            throw new IOException("manifest checksum mismatch");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown manifest format " + format);
        }
        long version = in.readLong();
        long epoch = in.readLong();
        long created = in.readLong();
        boolean dropped = in.readBoolean();
        long flushed = in.readLong();
        int n = in.readInt();
        List<Long> segs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segs.add(in.readLong());
        }
        return new Manifest(version, epoch, created, dropped, segs, flushed);
    }
}
