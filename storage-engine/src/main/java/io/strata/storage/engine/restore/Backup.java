package io.strata.storage.engine.restore;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.codec.ModelCodec;
import io.strata.storage.spi.BackupInfo;
import io.strata.storage.spi.TableId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An on-demand backup as stored in {@code backups/<tenant>/<name>} (sealed under the tenant's data key): the table it
 * was taken of, when, the segments it holds (by the root that holds each and its id; shared with the table, never
 * copied), their size, and the caller's metadata (the schema). Written once, never changed. Immutable.
 */
public record Backup(String name, TableId table, long createdAtMillis, long bytes, List<SegmentRef> segments,
        byte[] metadata) {
    private static final int FORMAT = 1;

    /** A segment by the table root that holds it and its id. */
    public record SegmentRef(String root, long id) {
        public SegmentRef {
            requireNonNull(root, "root is null");
        }
    }

    public Backup {
        requireNonNull(name, "name is null");
        requireNonNull(table, "table is null");
        segments = List.copyOf(segments);
        requireNonNull(metadata, "metadata is null");
    }

    public BackupInfo info() {
        return new BackupInfo(table.tenant(), name, table, createdAtMillis, bytes, metadata.clone());
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeInt(FORMAT);
            out.writeUTF(name);
            byte[] id = ModelCodec.encodeTableId(table);
            out.writeInt(id.length);
            out.write(id);
            out.writeLong(createdAtMillis);
            out.writeLong(bytes);
            out.writeInt(segments.size());
            for (SegmentRef s : segments) {
                out.writeUTF(s.root());
                out.writeLong(s.id());
            }
            out.writeInt(metadata.length);
            out.write(metadata);
            out.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Backup decode(byte[] stored) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException("unknown backup format " + format);
        }
        String name = in.readUTF();
        TableId table = ModelCodec.decodeTableId(in.readNBytes(in.readInt()));
        long created = in.readLong();
        long bytes = in.readLong();
        int n = in.readInt();
        List<SegmentRef> segs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segs.add(new SegmentRef(in.readUTF(), in.readLong()));
        }
        byte[] metadata = in.readNBytes(in.readInt());
        return new Backup(name, table, created, bytes, segs, metadata);
    }
}
