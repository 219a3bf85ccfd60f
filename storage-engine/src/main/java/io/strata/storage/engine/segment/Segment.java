package io.strata.storage.engine.segment;

import io.strata.storage.spi.ChannelIO;
import io.strata.storage.engine.codec.ByteSink;
import io.strata.storage.engine.codec.ByteSource;
import io.strata.storage.engine.codec.ModelCodec;
import io.strata.storage.engine.crypto.Aead;
import io.strata.storage.engine.crypto.DataKey;
import io.strata.storage.engine.memtable.PartitionState;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * An immutable, sorted segment (format v4, see docs/segment-format.md): partitions in (token, key) order
 * packed into blocks of about {@value #BLOCK_SIZE} bytes, each LZ4-compressed, then (when written with a data
 * key) encrypted with AES-256-GCM, and checksummed (CRC32C of the stored bytes); then a bloom filter, the block
 * table and the partition index (encrypted together as one message when a key is used); and a footer with
 * statistics, the data key's version, the nonce salt, a metadata checksum, the format version and a magic
 * number. A partition never spans blocks. Format v3 segments (no encryption) are still read.
 *
 * <p>The CRC catches damage before decryption, so a damaged copy is repaired from another zone as before; a
 * block whose CRC holds but whose GCM tag fails was encrypted under another key (or tampered with), and is
 * likewise re-read from a healthy copy before the read fails naming the key.
 *
 * <p>Segments are written once to a local file, uploaded to the data store, and read through a
 * {@link SegmentSource} (a blob in the store, or a local cached copy) and the shared {@link BlockCache}.
 * The index and bloom filter are held in memory. A block whose checksum fails is read again from a healthy
 * copy ({@link SegmentSource#readRepaired}), which also repairs the bad one. Thread-safe.
 */
public final class Segment implements AutoCloseable {
    private static final long MAGIC = 0x5354524154415347L; // "STRATASG"
    static final int FORMAT_VERSION = 5;
    /** Format v4: the whole partition index in the metadata (read onto the heap at open); still read. */
    static final int RESIDENT_INDEX_VERSION = 4;
    /** Segments written before encryption at rest: no key version and salt in the footer; still read. */
    static final int PLAIN_FORMAT_VERSION = 3;
    static final int BLOCK_SIZE = 16 * 1024;
    /** Index entries per index chunk (v5). */
    static final int ENTRIES_PER_CHUNK = 512;
    /** bloom, block table and index offsets; stats (min ts, max ts, tombstones, earliest expiry); CRC; version; magic. */
    static final int V3_FOOTER_SIZE = 8 + 8 + 8 + 8 + 8 + 8 + 4 + 4 + 4 + 8;
    /** As v3, plus the data key version (0: not encrypted) and the nonce salt, before the CRC. */
    static final int FOOTER_SIZE = V3_FOOTER_SIZE + 4 + 8;
    private static final LZ4Compressor COMPRESSOR = io.strata.storage.engine.codec.Lz4.FACTORY.fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR = io.strata.storage.engine.codec.Lz4.FACTORY.safeDecompressor();

    /** What a segment holds, for compaction choices and TTL/tombstone purge scheduling. */
    public record Stats(long minTimestamp, long maxTimestamp, long tombstones, int earliestExpiry) {}

    private final long id;
    private final String key;
    private final SegmentSource source;
    private final BlockCache cache;
    private final SegmentIndex index;
    private final long[] blockOffsets;
    private final int[] blockLengths;
    private final int[] blockRawLengths;
    private final int[] blockCrcs;
    private final BlockTable chunks;
    private final BloomFilter bloom;
    private final Stats stats;
    private final long fileSize;
    private final DataKey dataKey;
    private final long salt;

    /** Where stored blocks (data blocks, or v5 index chunks) lie: offset, stored and raw length, CRC32C. */
    record BlockTable(long[] offsets, int[] lengths, int[] rawLengths, int[] crcs) {
        static BlockTable read(ByteBuffer m, int n) {
            BlockTable t = new BlockTable(new long[n], new int[n], new int[n], new int[n]);
            for (int b = 0; b < n; b++) {
                t.offsets[b] = m.getLong();
                t.lengths[b] = m.getInt();
                t.rawLengths[b] = m.getInt();
                t.crcs[b] = m.getInt();
            }
            return t;
        }

        int size() {
            return offsets.length;
        }
    }

    private Segment(long id, String key, SegmentSource source, BlockCache cache, java.util.function.Function<Segment,
            SegmentIndex> index, BlockTable blocks, BlockTable chunks, BloomFilter bloom, Stats stats, long fileSize,
            DataKey dataKey, long salt) {
        this.id = id;
        this.key = key;
        this.source = source;
        this.cache = cache;
        this.chunks = chunks;
        this.blockOffsets = blocks.offsets();
        this.blockLengths = blocks.lengths();
        this.blockRawLengths = blocks.rawLengths();
        this.blockCrcs = blocks.crcs();
        this.bloom = bloom;
        this.stats = stats;
        this.fileSize = fileSize;
        this.dataKey = dataKey;
        this.salt = salt;
        this.index = index.apply(this);
    }

    /** Writes the partitions (already in key order) to {@code file} in the clear and forces it; returns its size. */
    public static long write(Path file, Collection<PartitionState> partitions) throws IOException {
        return write(file, partitions.iterator(), null);
    }

    /**
     * Writes partitions (in key order) from an iterator, so compaction output never has to fit in memory (the
     * bloom filter is sized by the keys written); {@code dataKey} (null: none) encrypts blocks and metadata.
     * Returns the file size.
     */
    public static long write(Path file, java.util.Iterator<PartitionState> partitions, DataKey dataKey)
            throws IOException {
        long salt = dataKey == null ? 0 : Aead.salt();
        BloomFilter.Builder bloom = new BloomFilter.Builder();
        long[] st = {Long.MAX_VALUE, Long.MIN_VALUE, 0, Integer.MAX_VALUE};
        try (FileChannel ch = PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // the index goes out in chunks as it grows, between data blocks: the writer holds one chunk, not the index
            ByteSink chunkTable = new ByteSink();
            DataOutputStream chunkOut = new DataOutputStream(chunkTable);
            IndexChunk chunk = new IndexChunk();
            int chunkCount = 0;
            ByteSink blocks = new ByteSink();
            DataOutputStream blk = new DataOutputStream(blocks);
            ByteSink block = new ByteSink(BLOCK_SIZE + 4096);
            DataOutputStream out = new DataOutputStream(block);
            int count = 0;
            int blockCount = 0;
            long pos = 0;
            while (partitions.hasNext()) {
                PartitionState p = partitions.next();
                count++;
                int start = block.size();
                ModelCodec.writeKey(out, p.key());
                ModelCodec.writePartitionBody(out, p.partitionDeletion(), p.rangeTombstones(), p.staticRow(), p.rows().values());
                out.flush();
                bloom.add(p.key());
                collectStats(p, st);
                chunk.add(p.key(), blockCount, start, block.size() - start);
                if (chunk.entries == ENTRIES_PER_CHUNK) {
                    pos += chunk.writeTo(ch, pos, chunkOut, dataKey, salt, chunkCount++);
                }
                if (block.size() >= BLOCK_SIZE) {
                    pos += writeBlock(ch, block.toByteArray(), pos, blk, dataKey, salt, blockCount);
                    blockCount++;
                    block.reset();
                }
            }
            if (block.size() > 0) {
                pos += writeBlock(ch, block.toByteArray(), pos, blk, dataKey, salt, blockCount);
                blockCount++;
            }
            if (chunk.entries > 0) {
                pos += chunk.writeTo(ch, pos, chunkOut, dataKey, salt, chunkCount++);
            }
            chunkOut.flush();
            blk.flush();
            byte[] bloomBytes = bloom.build().serialize();
            byte[] blockTable = ByteBuffer.allocate(4 + blocks.size()).putInt(blockCount).put(blocks.toByteArray()).array();
            byte[] indexBytes = ByteBuffer.allocate(12 + chunkTable.size()).putInt(chunkCount).putInt(ENTRIES_PER_CHUNK)
                    .putInt(count).put(chunkTable.toByteArray()).array();
            byte[] meta = ByteBuffer.allocate(bloomBytes.length + blockTable.length + indexBytes.length).put(bloomBytes)
                    .put(blockTable).put(indexBytes).array();
            if (dataKey != null) {
                meta = Aead.seal(dataKey, Aead.nonce(salt, -1), meta, 0, meta.length);
            }
            CRC32C crc = new CRC32C();
            crc.update(meta);
            ChannelIO.writeFully(ch, meta);
            ByteBuffer footer = ByteBuffer.allocate(FOOTER_SIZE);
            // offsets as in the clear: the metadata decrypts to the same layout
            footer.putLong(pos).putLong(pos + bloomBytes.length).putLong(pos + bloomBytes.length + blockTable.length)
                    .putLong(st[0]).putLong(st[1]).putLong(st[2]).putInt((int) st[3])
                    .putInt(dataKey == null ? 0 : dataKey.version()).putLong(salt)
                    .putInt((int) crc.getValue()).putInt(FORMAT_VERSION).putLong(MAGIC).flip();
            while (footer.hasRemaining()) {
                ch.write(footer);
            }
            ch.force(true);
            return ch.size();
        }
    }

    /** Nonce index of v5 index chunk {@code c}: apart from data blocks (0..) and the metadata (-1). */
    static int chunkNonce(int c) {
        return Integer.MIN_VALUE + c;
    }

    /** Block-cache number of index chunk {@code c}: apart from data blocks. */
    private static int chunkCacheId(int c) {
        return -2 - c;
    }

    /** The index chunk being filled by a writer. */
    private static final class IndexChunk {
        private final int[] offsets = new int[ENTRIES_PER_CHUNK];
        private final ByteSink bytes = new ByteSink();
        private final DataOutputStream out = new DataOutputStream(bytes);
        private PartitionKey first;
        int entries;

        void add(PartitionKey k, int block, int offset, int length) throws IOException {
            if (entries == 0) {
                first = k;
            }
            offsets[entries++] = bytes.size();
            ModelCodec.writeKey(out, k);
            out.writeInt(block);
            out.writeInt(offset);
            out.writeInt(length);
        }

        /** Writes the chunk as a stored block and its chunk-table row (block row + first key); returns bytes written. */
        int writeTo(FileChannel ch, long pos, DataOutputStream table, DataKey dataKey, long salt, int c) throws IOException {
            out.flush();
            ByteBuffer raw = ByteBuffer.allocate(4 + 4 * entries + bytes.size()).putInt(entries);
            for (int j = 0; j < entries; j++) {
                raw.putInt(offsets[j]);
            }
            raw.put(bytes.toByteArray());
            int written = writeStored(ch, raw.array(), pos, table, dataKey, salt, chunkNonce(c));
            ModelCodec.writeKey(table, first);
            bytes.reset();
            entries = 0;
            return written;
        }
    }

    private static int writeBlock(FileChannel ch, byte[] raw, long pos, DataOutputStream table, DataKey dataKey,
            long salt, int index) throws IOException {
        return writeStored(ch, raw, pos, table, dataKey, salt, index);
    }

    /** Compresses, seals (nonce {@code nonceIndex}) and writes a block; appends its block-table row. */
    private static int writeStored(FileChannel ch, byte[] raw, long pos, DataOutputStream table, DataKey dataKey,
            long salt, int nonceIndex) throws IOException {
        byte[] compressed = COMPRESSOR.compress(raw);
        if (dataKey != null) {
            compressed = Aead.seal(dataKey, Aead.nonce(salt, nonceIndex), compressed, 0, compressed.length);
        }
        CRC32C crc = new CRC32C();
        crc.update(compressed);
        ChannelIO.writeFully(ch, compressed);
        table.writeLong(pos);
        table.writeInt(compressed.length);
        table.writeInt(raw.length);
        table.writeInt((int) crc.getValue());
        return compressed.length;
    }

    private static void collectStats(PartitionState p, long[] st) {
        java.util.function.LongConsumer ts = t -> {
            if (t != Long.MIN_VALUE) {
                st[0] = Math.min(st[0], t);
                st[1] = Math.max(st[1], t);
            }
        };
        if (!p.partitionDeletion().isLive()) {
            ts.accept(p.partitionDeletion().markedForDeleteAt());
            st[2]++;
        }
        for (io.strata.storage.spi.RangeTombstone rt : p.rangeTombstones()) {
            ts.accept(rt.deletion().markedForDeleteAt());
            st[2]++;
        }
        List<Row> rows = new java.util.ArrayList<>(p.rows().values());
        if (p.staticRow() != null) {
            rows.add(p.staticRow());
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

    /** Opens a segment written in the clear (benchmarks, tools). */
    static Segment open(long id, String key, SegmentSource source, BlockCache cache) {
        return open(id, key, source, cache, v -> {
            throw new KeyUnavailableException("segment " + key + " is encrypted (data key " + v + ") and no key was given");
        });
    }

    /**
     * Opens a segment: reads and verifies its footer and metadata (from a healthy copy if one is bad); {@code keys}
     * gives the table's tenant's data key of a version.
     */
    static Segment open(long id, String key, SegmentSource source, BlockCache cache, IntFunction<DataKey> keys) {
        try {
            return openFrom(id, key, source, cache, keys, false);
        } catch (KeyUnavailableException e) {
            throw e; // no other copy helps
        } catch (IOException | RuntimeException first) {
            try {
                return openFrom(id, key, source, cache, keys, true);
            } catch (IOException | RuntimeException second) {
                second.addSuppressed(first);
                throw second instanceof StorageException se ? se
                        : new StorageException("segment " + key + " cannot be opened: " + second, second);
            }
        }
    }

    private static Segment openFrom(long id, String key, SegmentSource source, BlockCache cache,
            IntFunction<DataKey> keys, boolean repaired) throws IOException {
        long size = source.size();
        if (size < V3_FOOTER_SIZE) {
            throw new StorageException("segment " + key + " is truncated");
        }
        ByteBuffer tail = ByteBuffer.wrap(repaired ? source.readRepaired(size - 12, 12) : source.read(size - 12, 12));
        int version = tail.getInt();
        long magic = tail.getLong();
        if (magic != MAGIC || version < PLAIN_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw new StorageException("segment " + key + " has a bad footer (magic/version " + version + ")");
        }
        boolean keyed = version >= RESIDENT_INDEX_VERSION;
        int footerSize = keyed ? FOOTER_SIZE : V3_FOOTER_SIZE;
        if (size < footerSize) {
            throw new StorageException("segment " + key + " is truncated");
        }
        ByteBuffer footer = ByteBuffer.wrap(repaired ? source.readRepaired(size - footerSize, footerSize)
                : source.read(size - footerSize, footerSize));
        long bloomOffset = footer.getLong();
        long blockTableOffset = footer.getLong();
        long indexOffset = footer.getLong();
        Stats stats = new Stats(footer.getLong(), footer.getLong(), footer.getLong(), footer.getInt());
        int keyVersion = keyed ? footer.getInt() : 0;
        long salt = keyed ? footer.getLong() : 0;
        int metaCrc = footer.getInt();
        DataKey dataKey = keyVersion == 0 ? null : keys.apply(keyVersion);
        int metaLength = (int) (size - footerSize - bloomOffset);
        byte[] meta = repaired ? source.readRepaired(bloomOffset, metaLength) : source.read(bloomOffset, metaLength);
        CRC32C crc = new CRC32C();
        crc.update(meta);
        if ((int) crc.getValue() != metaCrc) {
            throw new StorageException("segment " + key + " metadata checksum mismatch");
        }
        if (dataKey != null) {
            meta = Aead.open(dataKey, Aead.nonce(salt, -1), meta, 0, meta.length);
            if (meta == null) {
                throw new StorageException("segment " + key + ": metadata does not decrypt with " + dataKey.name()
                        + " (tampered with, or the key was replaced)");
            }
        }
        ByteBuffer m = ByteBuffer.wrap(meta);
        BloomFilter bloom = BloomFilter.deserialize(m);
        m.position((int) (blockTableOffset - bloomOffset));
        BlockTable blocks = BlockTable.read(m, m.getInt());
        m.position((int) (indexOffset - bloomOffset));
        if (version == FORMAT_VERSION) {
            int chunkCount = m.getInt();
            int perChunk = m.getInt();
            int count = m.getInt();
            BlockTable chunks = new BlockTable(new long[chunkCount], new int[chunkCount], new int[chunkCount],
                    new int[chunkCount]);
            PartitionKey[] firstKeys = new PartitionKey[chunkCount];
            for (int c = 0; c < chunkCount; c++) {
                chunks.offsets()[c] = m.getLong();
                chunks.lengths()[c] = m.getInt();
                chunks.rawLengths()[c] = m.getInt();
                chunks.crcs()[c] = m.getInt();
                long token = m.getLong();
                byte[] k = new byte[m.getInt()];
                m.get(k);
                firstKeys[c] = new PartitionKey(token, k);
            }
            return new Segment(id, key, source, cache, seg -> new SegmentIndex.Chunked(count, perChunk, firstKeys,
                    seg::indexChunk), blocks, chunks, bloom, stats, size, dataKey, salt);
        }
        DataInputStream in = new DataInputStream(new ByteSource(meta, m.position(), meta.length - m.position()));
        int n = in.readInt();
        PartitionKey[] partitionKeys = new PartitionKey[n];
        int[] blockOf = new int[n];
        int[] offsetInBlock = new int[n];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            partitionKeys[i] = ModelCodec.readKey(in);
            blockOf[i] = in.readInt();
            offsetInBlock[i] = in.readInt();
            lengths[i] = in.readInt();
        }
        SegmentIndex resident = new SegmentIndex.Resident(partitionKeys, blockOf, offsetInBlock, lengths);
        return new Segment(id, key, source, cache, seg -> resident, blocks, new BlockTable(new long[0], new int[0],
                new int[0], new int[0]), bloom, stats, size, dataKey, salt);
    }

    public long id() {
        return id;
    }

    /** The segment's blob key in the data store. */
    public String key() {
        return key;
    }

    public Stats stats() {
        return stats;
    }

    public long fileSize() {
        return fileSize;
    }

    /** The version of the tenant's data key this segment is encrypted with; 0 if it is in the clear. */
    public int keyVersion() {
        return dataKey == null ? 0 : dataKey.version();
    }

    private volatile long[] tokenRange;

    /** The lowest and highest token this segment holds ({@code [MAX, MIN]} when it is empty). */
    public long[] tokenRange() {
        long[] r = tokenRange;
        if (r == null) {
            int n = index.size();
            r = n == 0 ? new long[] {Long.MAX_VALUE, Long.MIN_VALUE}
                    : new long[] {index.keyAt(0).token(), index.keyAt(n - 1).token()};
            tokenRange = r;
        }
        return r;
    }

    /** Partitions in this segment. */
    public int size() {
        return index.size();
    }

    int blocks() {
        return blockOffsets.length;
    }

    /** Index of the first key >= k (or size()). */
    public int ceiling(PartitionKey k) {
        return index.ceiling(k);
    }

    public PartitionKey keyAt(int i) {
        return index.keyAt(i);
    }

    /** The partition, or null when the segment has nothing of it. */
    public PartitionState get(PartitionKey k) {
        long[] range = tokenRange;
        if (range != null && (k.token() < range[0] || k.token() > range[1])) {
            return null; // another cell's segment
        }
        if (!bloom.mightContain(k)) {
            return null;
        }
        int i = index.ceiling(k);
        return i < index.size() && index.keyAt(i).equals(k) ? read(i) : null;
    }

    /**
     * Runs {@code work} (reads of any segments) using only blocks and index chunks already in the block cache, at
     * most {@code maxBlocks} of them: its result, or null when it would have had to read a segment. For serving a
     * cached read where no thread may block; the caller runs it again on a read thread when this returns null.
     */
    public static <T> T withCachedBlocksOnly(int maxBlocks, java.util.function.Supplier<T> work) {
        return BlockCache.cachedOnly(maxBlocks, work);
    }

    /** The uncompressed, verified bytes of a block (from the cache when present). */
    byte[] block(int b) {
        return cache.get(key, b, () -> loadBlock(b));
    }

    /** The uncompressed, verified bytes of v5 index chunk {@code c} (from the cache when present). */
    private byte[] indexChunk(int c) {
        return cache.get(key, chunkCacheId(c), () -> load(chunks.offsets()[c], chunks.lengths()[c],
                chunks.rawLengths()[c], chunks.crcs()[c], chunkNonce(c), "index chunk ", c));
    }

    private byte[] loadBlock(int b) {
        return load(blockOffsets[b], blockLengths[b], blockRawLengths[b], blockCrcs[b], b, "block ", b);
    }

    /** Reads, verifies, decrypts and decompresses one stored unit; {@code kind} and {@code n} name it in errors. */
    private byte[] load(long offset, int length, int rawLength, int crc, int nonceIndex, String kind, int n) {
        byte[] stored = source.read(offset, length);
        byte[] compressed = intact(length, crc, stored) ? decrypt(nonceIndex, stored) : null;
        if (compressed == null) {
            stored = source.readRepaired(offset, length);
            compressed = intact(length, crc, stored) ? decrypt(nonceIndex, stored) : null;
            if (compressed == null) {
                throw new StorageException("segment " + key + ": " + kind + n + " is corrupt in every copy"
                        + (dataKey == null ? "" : " (or was not encrypted with " + dataKey.name() + ")"));
            }
        }
        byte[] raw = new byte[rawLength];
        if (DECOMPRESSOR.decompress(compressed, 0, compressed.length, raw, 0) != rawLength) {
            throw new StorageException("segment " + key + ": " + kind + n + " decompresses to the wrong length");
        }
        return raw;
    }

    /** The stored bytes decrypted (nonce {@code nonceIndex}); null when the GCM tag fails. */
    private byte[] decrypt(int nonceIndex, byte[] stored) {
        return dataKey == null ? stored : Aead.open(dataKey, Aead.nonce(salt, nonceIndex), stored, 0, stored.length);
    }

    private static boolean intact(int length, int crc, byte[] stored) {
        if (stored.length != length) {
            return false;
        }
        CRC32C c = new CRC32C();
        c.update(stored);
        return (int) c.getValue() == crc;
    }

    /** The {@code i}-th partition, decoded (a state only the caller holds). */
    public PartitionState read(int i) {
        try {
            SegmentIndex.Entry e = index.entry(i);
            byte[] block = block(e.block());
            DataInputStream in = new DataInputStream(new ByteSource(block, e.offset(), e.length()));
            PartitionKey partition = ModelCodec.readKey(in);
            var deletion = ModelCodec.readDeletion(in);
            var rangeTombstones = ModelCodec.readRangeTombstones(in);
            Row staticRow = in.readBoolean() ? ModelCodec.readRow(in) : null;
            int n = in.readInt();
            List<Row> rows = new java.util.ArrayList<>(n);
            for (int r = 0; r < n; r++) {
                rows.add(ModelCodec.readRow(in));
            }
            return PartitionState.of(partition, deletion, rangeTombstones, staticRow, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        source.close();
        cache.invalidate(key, blocks());
        for (int c = 0; c < chunks.size(); c++) {
            cache.invalidateBlock(key, chunkCacheId(c));
        }
    }
}
