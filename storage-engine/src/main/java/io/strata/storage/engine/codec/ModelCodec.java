package io.strata.storage.engine.codec;

import io.strata.storage.spi.Bound;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Binary serialization of the storage model, shared by the commit log, segment files and table identity
 * blobs. The encodings are on-disk formats: change them only with a format version. Stateless; thread-safe.
 */
public final class ModelCodec {
    private ModelCodec() {}

    public static void writeTableId(DataOutputStream out, TableId id) throws IOException {
        out.writeUTF(id.tenant());
        out.writeUTF(id.keyspace());
        out.writeUTF(id.table());
        out.writeLong(id.id().getMostSignificantBits());
        out.writeLong(id.id().getLeastSignificantBits());
    }

    public static TableId readTableId(DataInputStream in) throws IOException {
        return new TableId(in.readUTF(), in.readUTF(), in.readUTF(), new UUID(in.readLong(), in.readLong()));
    }

    /** A table's identity as the bytes of its {@code TABLE} blob. */
    public static byte[] encodeTableId(TableId id) {
        try {
            ByteSink bytes = new ByteSink();
            DataOutputStream out = new DataOutputStream(bytes);
            writeTableId(out, id);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen: in-memory stream
        }
    }

    public static TableId decodeTableId(byte[] bytes) throws IOException {
        return readTableId(new DataInputStream(new ByteSource(bytes)));
    }

    public static void writeUpdate(DataOutputStream out, PartitionUpdate u) throws IOException {
        writeTableId(out, u.table());
        writeKey(out, u.key());
        writePartitionBody(out, u.partitionDeletion(), u.rangeTombstones(), u.staticRow(), u.rows());
    }

    public static PartitionUpdate readUpdate(DataInputStream in) throws IOException {
        TableId table = readTableId(in);
        PartitionKey key = readKey(in);
        DeletionTime pd = readDeletion(in);
        List<RangeTombstone> rts = readRangeTombstones(in);
        Row staticRow = in.readBoolean() ? readRow(in) : null;
        int n = in.readInt();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(readRow(in));
        }
        return new PartitionUpdate(table, key, pd, rts, staticRow, rows);
    }

    public static void writePartitionBody(DataOutputStream out, DeletionTime pd, List<RangeTombstone> rts, Row staticRow,
            Iterable<Row> rows) throws IOException {
        writeDeletion(out, pd);
        out.writeInt(rts.size());
        for (RangeTombstone rt : rts) {
            writeBound(out, rt.slice().start());
            writeBound(out, rt.slice().end());
            writeDeletion(out, rt.deletion());
        }
        out.writeBoolean(staticRow != null);
        if (staticRow != null) {
            writeRow(out, staticRow);
        }
        List<Row> list = new ArrayList<>();
        rows.forEach(list::add);
        out.writeInt(list.size());
        for (Row r : list) {
            writeRow(out, r);
        }
    }

    public static List<RangeTombstone> readRangeTombstones(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<RangeTombstone> rts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Bound s = readBound(in);
            Bound e = readBound(in);
            rts.add(new RangeTombstone(new Slice(s, e), readDeletion(in)));
        }
        return rts;
    }

    public static void writeKey(DataOutputStream out, PartitionKey k) throws IOException {
        out.writeLong(k.token());
        writeBytes(out, k.key());
    }

    public static PartitionKey readKey(DataInputStream in) throws IOException {
        long token = in.readLong();
        return new PartitionKey(token, readBytes(in));
    }

    public static void writeDeletion(DataOutputStream out, DeletionTime d) throws IOException {
        out.writeLong(d.markedForDeleteAt());
        out.writeInt(d.localDeletionTime());
    }

    public static DeletionTime readDeletion(DataInputStream in) throws IOException {
        long at = in.readLong();
        int ldt = in.readInt();
        return at == Long.MIN_VALUE ? DeletionTime.LIVE : new DeletionTime(at, ldt);
    }

    public static void writeBound(DataOutputStream out, Bound b) throws IOException {
        writeBytes(out, b.prefix());
        out.writeBoolean(b.inclusive());
    }

    public static Bound readBound(DataInputStream in) throws IOException {
        byte[] p = readBytes(in);
        return new Bound(p, in.readBoolean());
    }

    public static void writeRow(DataOutputStream out, Row r) throws IOException {
        out.writeBoolean(r.clustering().isStatic());
        writeBytes(out, r.clustering().encoded());
        out.writeLong(r.liveness().timestamp());
        out.writeInt(r.liveness().ttl());
        out.writeInt(r.liveness().localExpirationTime());
        writeDeletion(out, r.deletion());
        out.writeInt(r.complexDeletions().size());
        for (Map.Entry<String, DeletionTime> e : r.complexDeletions().entrySet()) {
            out.writeUTF(e.getKey());
            writeDeletion(out, e.getValue());
        }
        out.writeInt(r.cells().size());
        for (Cell c : r.cells()) {
            out.writeUTF(c.column());
            out.writeBoolean(c.path() != null);
            if (c.path() != null) {
                writeBytes(out, c.path());
            }
            out.writeByte(c.kind().ordinal());
            out.writeLong(c.timestamp());
            out.writeInt(c.ttl());
            out.writeInt(c.localDeletionTime());
            if (c.value() != null) {
                writeBytes(out, c.value());
            }
        }
    }

    public static Row readRow(DataInputStream in) throws IOException {
        boolean isStatic = in.readBoolean();
        byte[] ck = readBytes(in);
        Clustering clustering = isStatic ? Clustering.STATIC : Clustering.of(ck);
        long ts = in.readLong();
        int ttl = in.readInt();
        int exp = in.readInt();
        LivenessInfo li = ts == Long.MIN_VALUE ? LivenessInfo.NONE : new LivenessInfo(ts, ttl, exp);
        DeletionTime del = readDeletion(in);
        int ncd = in.readInt();
        Map<String, DeletionTime> cds = new LinkedHashMap<>();
        for (int i = 0; i < ncd; i++) {
            cds.put(in.readUTF(), readDeletion(in));
        }
        int nc = in.readInt();
        List<Cell> cells = new ArrayList<>(nc);
        for (int i = 0; i < nc; i++) {
            String col = in.readUTF();
            byte[] path = in.readBoolean() ? readBytes(in) : null;
            Cell.Kind kind = Cell.Kind.values()[in.readUnsignedByte()];
            long cts = in.readLong();
            int cttl = in.readInt();
            int ldt = in.readInt();
            byte[] value = kind == Cell.Kind.TOMBSTONE ? null : readBytes(in);
            cells.add(new Cell(col, path, kind, cts, cttl, ldt, value));
        }
        return new Row(clustering, li, del, cds, cells);
    }

    public static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    public static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (256 << 20)) {
            throw new IOException("corrupt length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }
}
