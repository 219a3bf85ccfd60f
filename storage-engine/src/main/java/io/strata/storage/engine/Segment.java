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
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An immutable, sorted segment file: partitions in (token, key) order, each a length- and CRC32C-framed
 * record, then a partition index and a footer (index offset, index CRC, magic, format version). The index
 * is held in memory; a partition read is one positional read, verified by its checksum. Thread-safe.
 */
final class Segment implements AutoCloseable {
    private static final long MAGIC = 0x5354524154415347L; // "STRATASG"
    private static final int FORMAT_VERSION = 2;
    /** bloom offset, index offset, stats (min ts, max ts, tombstones, earliest expiry), metadata CRC, version, magic. */
    private static final int FOOTER_SIZE = 8 + 8 + 8 + 8 + 8 + 4 + 4 + 4 + 8;

    /** What a segment holds, for compaction choices and (later) TTL/tombstone purge scheduling. */
    record Stats(long minTimestamp, long maxTimestamp, long tombstones, int earliestExpiry) {
        static final Stats EMPTY = new Stats(Long.MAX_VALUE, Long.MIN_VALUE, 0, Integer.MAX_VALUE);
    }

    final long id;
    final Path path;
    private final FileChannel channel;
    private final PartitionKey[] keys;
    private final long[] offsets;
    private final int[] lengths;
    private final BloomFilter bloom;
    final Stats stats;
    final long fileSize;

    private Segment(long id, Path path, FileChannel channel, PartitionKey[] keys, long[] offsets, int[] lengths,
            BloomFilter bloom, Stats stats, long fileSize) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.keys = keys;
        this.offsets = offsets;
        this.lengths = lengths;
        this.bloom = bloom;
        this.stats = stats;
        this.fileSize = fileSize;
    }

    /** Writes the partitions (already in key order) to {@code path} and forces it to disk. */
    static long write(Path path, Collection<PartitionState> partitions) throws IOException {
        return write(path, partitions.iterator(), partitions.size());
    }

    /**
     * Writes partitions (in key order) from an iterator, so compaction output never has to fit in memory;
     * {@code expectedKeys} sizes the bloom filter. Returns the file size.
     */
    static long write(Path path, java.util.Iterator<PartitionState> partitions, int expectedKeys) throws IOException {
        BloomFilter bloom = BloomFilter.forKeys(expectedKeys);
        long[] st = {Long.MAX_VALUE, Long.MIN_VALUE, 0, Integer.MAX_VALUE};
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteArrayOutputStream index = new ByteArrayOutputStream();
            DataOutputStream idx = new DataOutputStream(index);
            int count = 0;
            long pos = 0;
            ByteArrayOutputStream buf = new ByteArrayOutputStream(64 * 1024);
            while (partitions.hasNext()) {
                PartitionState p = partitions.next();
                count++;
                ByteArrayOutputStream rec = new ByteArrayOutputStream(256);
                DataOutputStream out = new DataOutputStream(rec);
                ModelCodec.writeKey(out, p.key);
                ModelCodec.writePartitionBody(out, p.partitionDeletion, p.rangeTombstones, p.staticRow, p.rows.values());
                bloom.add(p.key);
                collectStats(p, st);
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
            byte[] bloomBytes = bloom.serialize();
            byte[] entries = index.toByteArray();
            byte[] indexBytes = ByteBuffer.allocate(4 + entries.length).putInt(count).put(entries).array();
            CRC32C crc = new CRC32C();
            crc.update(bloomBytes);
            crc.update(indexBytes);
            writeFully(ch, bloomBytes);
            writeFully(ch, indexBytes);
            ByteBuffer footer = ByteBuffer.allocate(FOOTER_SIZE);
            footer.putLong(pos).putLong(pos + bloomBytes.length)
                    .putLong(st[0]).putLong(st[1]).putLong(st[2]).putInt((int) st[3])
                    .putInt((int) crc.getValue()).putInt(FORMAT_VERSION).putLong(MAGIC).flip();
            while (footer.hasRemaining()) {
                ch.write(footer);
            }
            ch.force(true);
            return ch.size();
        }
    }

    private static void collectStats(PartitionState p, long[] st) {
        java.util.function.LongConsumer ts = t -> {
            if (t != Long.MIN_VALUE) {
                st[0] = Math.min(st[0], t);
                st[1] = Math.max(st[1], t);
            }
        };
        if (!p.partitionDeletion.isLive()) {
            ts.accept(p.partitionDeletion.markedForDeleteAt());
            st[2]++;
        }
        for (io.strata.storage.spi.RangeTombstone rt : p.rangeTombstones) {
            ts.accept(rt.deletion().markedForDeleteAt());
            st[2]++;
        }
        List<Row> rows = new java.util.ArrayList<>(p.rows.values());
        if (p.staticRow != null) {
            rows.add(p.staticRow);
        }
        for (Row r : rows) {
            ts.accept(r.liveness().timestamp());
            if (r.liveness().ttl() > 0) {
                st[3] = Math.min(st[3], r.liveness().localExpirationTime());
            }
            if (!r.deletion().isLive()) {
                ts.accept(r.deletion().markedForDeleteAt());
                st[2]++;
            }
            for (io.strata.storage.spi.Cell c : r.cells()) {
                ts.accept(c.timestamp());
                if (c.isTombstone()) {
                    st[2]++;
                } else if (c.isExpiring()) {
                    st[3] = Math.min(st[3], c.localDeletionTime());
                }
            }
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
            long bloomOffset = footer.getLong();
            long indexOffset = footer.getLong();
            Stats stats = new Stats(footer.getLong(), footer.getLong(), footer.getLong(), footer.getInt());
            int metaCrc = footer.getInt();
            int version = footer.getInt();
            long magic = footer.getLong();
            if (magic != MAGIC || version != FORMAT_VERSION) {
                throw new StorageException("segment " + path + " has a bad footer (magic/version)");
            }
            ByteBuffer meta = ByteBuffer.allocate((int) (size - FOOTER_SIZE - bloomOffset));
            readFully(ch, meta, bloomOffset);
            CRC32C crc = new CRC32C();
            crc.update(meta.array());
            if ((int) crc.getValue() != metaCrc) {
                throw new StorageException("segment " + path + " index checksum mismatch");
            }
            meta.flip();
            BloomFilter bloom = BloomFilter.deserialize(meta);
            ByteBuffer index = ByteBuffer.wrap(meta.array(), (int) (indexOffset - bloomOffset),
                    (int) (size - FOOTER_SIZE - indexOffset)).slice();
            byte[] indexBytes = new byte[index.remaining()];
            index.get(indexBytes);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(indexBytes));
            int n = in.readInt();
            PartitionKey[] keys = new PartitionKey[n];
            long[] offsets = new long[n];
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                keys[i] = ModelCodec.readKey(in);
                offsets[i] = in.readLong();
                lengths[i] = in.readInt();
            }
            return new Segment(id, path, ch, keys, offsets, lengths, bloom, stats, size);
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
        if (!bloom.mightContain(k)) {
            return null;
        }
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
