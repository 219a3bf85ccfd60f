package io.strata.storage.engine.manifest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * One version of a table's manifest, stored as the immutable blob {@code <table>/manifest/<version:020>}
 * (see {@code StorageKeys}):
 * its live segments (oldest first), the last commit-log file whose records for this table are all in
 * segments (replay skips those), the epoch of the writer that committed it, when, and whether the table
 * was dropped. Version N+1 is committed by creating its key only if absent (compare-and-swap), so of two
 * writers exactly one wins; a writer that loses to a higher epoch is fenced. Old versions are retained
 * for point-in-time recovery until garbage collection. Immutable.
 *
 * <p>A segment is the table's own (under its root) unless {@code borrowed} names the root that holds it: a restored
 * table shares its source's segments instead of copying them (segment ids are unique in the whole data store, since
 * they embed the writer epoch), and garbage collection keeps a segment while any kept manifest lists it.
 * {@code pitrSinceMillis} is when point-in-time recovery was enabled for the table (0: off), which decides how long
 * its history is kept.
 */
public record Manifest(long version, long writerEpoch, long createdAtMillis, boolean dropped, List<Long> segments,
        long flushedLog, Map<Long, String> borrowed, long pitrSinceMillis) {
    private static final int FORMAT = 3;
    private static final int FORMAT_2 = 2;

    public Manifest {
        segments = List.copyOf(segments);
        borrowed = Map.copyOf(borrowed);
    }

    public Manifest(long version, long writerEpoch, long createdAtMillis, boolean dropped, List<Long> segments,
            long flushedLog) {
        this(version, writerEpoch, createdAtMillis, dropped, segments, flushedLog, Map.of(), 0);
    }

    public static Manifest first(long writerEpoch, long now, long flushedLog) {
        return new Manifest(1, writerEpoch, now, false, List.of(), flushedLog);
    }

    /** The next version by this writer, with new contents (borrowed segments that stay keep their root). */
    public Manifest next(long epoch, long now, List<Long> newSegments, long newFlushedLog) {
        Map<Long, String> kept = new HashMap<>();
        for (long id : newSegments) {
            String root = borrowed.get(id);
            if (root != null) {
                kept.put(id, root);
            }
        }
        return new Manifest(version + 1, epoch, now, false, newSegments, newFlushedLog, kept, pitrSinceMillis);
    }

    public Manifest asDropped(long epoch, long now) {
        return new Manifest(version + 1, epoch, now, true, segments, flushedLog, borrowed, pitrSinceMillis);
    }

    /** The next version with point-in-time recovery enabled since {@code since} (or off: 0), contents unchanged. */
    public Manifest withPitr(long epoch, long now, long since) {
        return new Manifest(version + 1, epoch, now, false, segments, flushedLog, borrowed, since);
    }

    /** The root of the table that holds segment {@code id} of this manifest ({@code ownRoot} unless borrowed). */
    public String segmentRoot(String ownRoot, long id) {
        return borrowed.getOrDefault(id, ownRoot);
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
            out.writeLong(pitrSinceMillis);
            out.writeInt(borrowed.size());
            for (var e : new java.util.TreeMap<>(borrowed).entrySet()) {
                out.writeLong(e.getKey());
                out.writeUTF(e.getValue());
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
        if (format != FORMAT && format != FORMAT_2) {
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
        long pitr = 0;
        Map<Long, String> borrowed = new HashMap<>();
        if (format == FORMAT) {
            pitr = in.readLong();
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                borrowed.put(in.readLong(), in.readUTF());
            }
        }
        return new Manifest(version, epoch, created, dropped, segs, flushed, borrowed, pitr);
    }
}
