package io.strata.storage.engine;

import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.zip.CRC32C;

/**
 * An immutable, sorted segment file: partitions in (token, key) order, each a length- and CRC32C-framed
 * record, then a partition index and a footer (index offset, index CRC, magic, format version). The index
 * is held in memory; a partition read is one positional read, verified by its checksum. Thread-safe.
 */
final class Segment implements AutoCloseable {
    private static final long MAGIC = 0x5354524154415347L; // "STRATASG"
    private static final int FORMAT_VERSION = 1;
    private static final int FOOTER_SIZE = 8 + 4 + 4 + 8;

    final long id;
    final Path path;
    private final FileChannel channel;
    private final PartitionKey[] keys;
    private final long[] offsets;
    private final int[] lengths;

    private Segment(long id, Path path, FileChannel channel, PartitionKey[] keys, long[] offsets, int[] lengths) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.keys = keys;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** Writes the partitions (already in key order) to {@code path} and forces it to disk. */
    static void write(Path path, Collection<PartitionState> partitions) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteArrayOutputStream index = new ByteArrayOutputStream();
            DataOutputStream idx = new DataOutputStream(index);
            idx.writeInt(partitions.size());
            long pos = 0;
            ByteArrayOutputStream buf = new ByteArrayOutputStream(64 * 1024);
            for (PartitionState p : partitions) {
                ByteArrayOutputStream rec = new ByteArrayOutputStream(256);
                DataOutputStream out = new DataOutputStream(rec);
                ModelCodec.writeKey(out, p.key);
                ModelCodec.writePartitionBody(out, p.partitionDeletion, p.rangeTombstones, p.staticRow, p.rows.values());
                out.flush();
                byte[] body = rec.toByteArray();
                CRC32C crc = new CRC32C();
                crc.update(body);
                DataOutputStream b = new DataOutputStream(buf);
                b.writeInt(body.length);
                b.writeInt((int) crc.getValue());
                b.write(body);
                ModelCodec.writeKey(idx, p.key);
                idx.writeLong(pos);
                idx.writeInt(body.length);
                pos += 8 + body.length;
                if (buf.size() > 1 << 20) {
                    writeFully(ch, buf.toByteArray());
                    buf.reset();
                }
            }
            writeFully(ch, buf.toByteArray());
            idx.flush();
            byte[] indexBytes = index.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(indexBytes);
            writeFully(ch, indexBytes);
            ByteBuffer footer = ByteBuffer.allocate(FOOTER_SIZE);
            footer.putLong(pos).putInt((int) crc.getValue()).putInt(FORMAT_VERSION).putLong(MAGIC).flip();
            while (footer.hasRemaining()) {
                ch.write(footer);
            }
            ch.force(true);
        }
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    static Segment open(long id, Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = ch.size();
            if (size < FOOTER_SIZE) {
                throw new StorageException("segment " + path + " is truncated");
            }
            ByteBuffer footer = ByteBuffer.allocate(FOOTER_SIZE);
            readFully(ch, footer, size - FOOTER_SIZE);
            footer.flip();
            long indexOffset = footer.getLong();
            int indexCrc = footer.getInt();
            int version = footer.getInt();
            long magic = footer.getLong();
            if (magic != MAGIC || version != FORMAT_VERSION) {
                throw new StorageException("segment " + path + " has a bad footer (magic/version)");
            }
            ByteBuffer index = ByteBuffer.allocate((int) (size - FOOTER_SIZE - indexOffset));
            readFully(ch, index, indexOffset);
            CRC32C crc = new CRC32C();
            crc.update(index.array());
            if ((int) crc.getValue() != indexCrc) {
                throw new StorageException("segment " + path + " index checksum mismatch");
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(index.array()));
            int n = in.readInt();
            PartitionKey[] keys = new PartitionKey[n];
            long[] offsets = new long[n];
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ModelCodec.readKey(in);
                offsets[i] = in.readLong();
                lengths[i] = in.readInt();
            }
            return new Segment(id, path, ch, keys, offsets, lengths);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    int size() {
        return keys.length;
    }

    /** Index of the first key >= k (or size()). */
    int ceiling(PartitionKey k) {
        int i = Arrays.binarySearch(keys, k);
        return i >= 0 ? i : -i - 1;
    }

    PartitionKey keyAt(int i) {
        return keys[i];
    }

    PartitionState get(PartitionKey k) {
        int i = Arrays.binarySearch(keys, k);
        return i < 0 ? null : read(i);
    }

    PartitionState read(int i) {
        try {
            ByteBuffer b = ByteBuffer.allocate(8 + lengths[i]);
            readFully(channel, b, offsets[i]);
            b.flip();
            int len = b.getInt();
            int crcValue = b.getInt();
            byte[] body = new byte[len];
            b.get(body);
            CRC32C crc = new CRC32C();
            crc.update(body);
            if ((int) crc.getValue() != crcValue) {
                throw new StorageException("segment " + path + ": checksum mismatch in partition " + i);
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            PartitionState p = new PartitionState(ModelCodec.readKey(in));
            p.partitionDeletion = ModelCodec.readDeletion(in);
            p.rangeTombstones.addAll(ModelCodec.readRangeTombstones(in));
            p.staticRow = in.readBoolean() ? ModelCodec.readRow(in) : null;
            int n = in.readInt();
            for (int r = 0; r < n; r++) {
                Row row = ModelCodec.readRow(in);
                p.rows.put(row.clustering(), row);
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
