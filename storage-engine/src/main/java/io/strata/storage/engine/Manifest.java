package io.strata.storage.engine;

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
 * A table's manifest: its live segments (newest last) and the number of the last commit-log file whose
 * records for this table are all in segments (replay skips those). Versioned; the engine replaces it
 * atomically. Immutable.
 */
record Manifest(long version, List<Long> segments, long flushedLog) {
    private static final int FORMAT = 1;

    Manifest {
        segments = List.copyOf(segments);
    }

    static Manifest empty(long flushedLog) {
        return new Manifest(0, List.of(), flushedLog);
    }

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(FORMAT);
            out.writeLong(version);
            out.writeLong(flushedLog);
            out.writeInt(segments.size());
            for (long s : segments) {
                out.writeLong(s);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifest decode(byte[] b) throws IOException {
        if (b.length < 4) {
            throw new IOException("manifest truncated");
        }
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        if (java.nio.ByteBuffer.wrap(b, b.length - 4, 4).getInt() != (int) crc.getValue()) {
            throw new IOException("manifest checksum mismatch");
        }
        if (in.readInt() != FORMAT) {
            throw new IOException("unknown manifest format");
        }
        long version = in.readLong();
        long flushed = in.readLong();
        int n = in.readInt();
        List<Long> segs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segs.add(in.readLong());
        }
        return new Manifest(version, segs, flushed);
    }
}
