package io.strata.storage.engine.segment;

import io.strata.storage.engine.crypto.KeyRing;
import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.memtable.PartitionState;
import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Segments in the data store: local scratch files for segments being written, publishing one (upload,
 * then keep it in the disk cache or delete it), and opening segments for reads through the shared block
 * cache, the optional disk cache and the store. Scratch files of a crashed process are deleted on
 * construction. Thread-safe.
 */
public final class SegmentStore {
    private final BlobStore data;
    private final TokenGrid grid;
    private final Path scratch;
    private final DiskCache disk;
    private final BlockCache blocks;
    private final Executor downloads;
    private final KeyRing keys;

    /**
     * @param localDir the engine's working directory ({@code scratch/} and {@code cache/} live there)
     * @param diskCacheBytes bytes of whole segments cached locally (0: no disk cache)
     * @param blockCacheBytes bytes of uncompressed blocks cached in memory
     * @param downloads where background fetches into the disk cache run
     */
    public SegmentStore(BlobStore data, Path localDir, long diskCacheBytes, long blockCacheBytes, Executor downloads) {
        this(data, localDir, diskCacheBytes, blockCacheBytes, downloads, KeyRing.disabled());
    }

    /** As above; segments are written encrypted under their tenant's current data key when {@code keys} is enabled. */
    public SegmentStore(BlobStore data, Path localDir, long diskCacheBytes, long blockCacheBytes, Executor downloads,
            KeyRing keys) {
        this(data, localDir, diskCacheBytes, blockCacheBytes, downloads, keys, TokenGrid.DEFAULT);
    }

    /** As above, cutting flush and compaction output at the cells of {@code grid}. */
    public SegmentStore(BlobStore data, Path localDir, long diskCacheBytes, long blockCacheBytes, Executor downloads,
            KeyRing keys, TokenGrid grid) {
        this.grid = java.util.Objects.requireNonNull(grid, "grid is null");
        this.data = data;
        this.keys = java.util.Objects.requireNonNull(keys, "keys is null");
        this.blocks = new BlockCache(blockCacheBytes);
        this.downloads = downloads;
        try {
            this.scratch = PrivateFiles.createDirectories(localDir.resolve("scratch"));
            try (var old = Files.list(scratch)) {
                for (Path p : old.toList()) {
                    Files.deleteIfExists(p); // unfinished segment files of a crashed process
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.disk = diskCacheBytes > 0 ? new DiskCache(localDir.resolve("cache"), diskCacheBytes) : null;
    }

    /** The data keys segments (and the commit log) are encrypted with. */
    /** How flush and compaction output is cut into segments. */
    public TokenGrid grid() {
        return grid;
    }

    public KeyRing keys() {
        return keys;
    }

    /** Bytes of uncompressed blocks in the block cache. */
    public long blockCacheBytes() {
        return blocks.weightedSize();
    }

    /** The block cache's hit rate since start. */
    public double blockCacheHitRate() {
        return blocks.hitRate();
    }

    /** A fresh local file for a segment being written. */
    public Path newFile() {
        return scratch.resolve(UUID.randomUUID() + ".seg");
    }

    /**
     * Writes the table's partitions (in key order) to a scratch file, encrypted under the table's current data key
     * (its customer key's lineage, or the tenant's) when encryption is on, and forces it; returns its size. Publish it with {@link #publish}.
     */
    public long write(TableId table, Path file, java.util.Iterator<PartitionState> partitions) throws IOException {
        return Segment.write(file, partitions, keys.forTable(table));
    }

    /** Uploads a written segment file (durable in the store when this returns) and opens it. */
    public Segment publish(TableId table, long segmentId, Path file) throws IOException {
        String key = StorageKeys.segment(table, segmentId);
        long size = Files.size(file);
        Blobs.join(data.put(key, file, PutMode.OVERWRITE)); // streamed: a compaction output never sits in the heap
        if (disk != null) {
            disk.admit(key, file);
        } else {
            Files.deleteIfExists(file);
        }
        return Segment.open(segmentId, key, new Source(key, size), blocks, v -> keys.get(table.tenant(), v));
    }

    /** Segments written by {@link #writeRun}, published and open, and the bytes written. */
    public record Run(List<Segment> segments, long bytes) {
        public List<Long> ids() {
            return segments.stream().map(Segment::id).toList();
        }

        public void close() {
            segments.forEach(Segment::close);
        }
    }

    /**
     * Writes partitions (in key order) as one segment per {@link TokenGrid} cell of {@code bits}, publishing each as
     * it is finished (the caller commits them together); only the segment being written is held, never the run.
     * On failure the segments published so far are closed (their blobs are unreferenced debris GC removes).
     */
    public Run writeRun(TableId table, java.util.Iterator<PartitionState> partitions, int bits,
            java.util.function.LongSupplier ids) throws IOException {
        if (bits < 0 || bits > TokenGrid.MAX_BITS) {
            throw new IllegalArgumentException("cell bits " + bits);
        }
        List<Segment> out = new java.util.ArrayList<>();
        long bytes = 0;
        PeekingCells cells = new PeekingCells(partitions, bits);
        try {
            while (cells.hasNextCell()) {
                Path file = newFile();
                bytes += write(table, file, cells.nextCell());
                out.add(publish(table, ids.getAsLong(), file));
            }
        } catch (IOException | RuntimeException e) {
            out.forEach(Segment::close);
            throw e;
        }
        return new Run(List.copyOf(out), bytes);
    }

    /** Splits a key-ordered stream at cell boundaries: each {@link #nextCell} iterates one cell's partitions. */
    private static final class PeekingCells {
        private final java.util.Iterator<PartitionState> source;
        private final int bits;
        private PartitionState peeked;

        PeekingCells(java.util.Iterator<PartitionState> source, int bits) {
            this.source = source;
            this.bits = bits;
            this.peeked = source.hasNext() ? source.next() : null;
        }

        boolean hasNextCell() {
            return peeked != null;
        }

        java.util.Iterator<PartitionState> nextCell() {
            int cell = TokenGrid.cell(peeked.key().token(), bits);
            return new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return peeked != null && TokenGrid.cell(peeked.key().token(), bits) == cell;
                }

                @Override
                public PartitionState next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    PartitionState p = peeked;
                    peeked = source.hasNext() ? source.next() : null;
                    return p;
                }
            };
        }
    }

    /** Opens a published segment (recovery); with a disk cache, a local copy is fetched in the background. */
    public Segment open(TableId table, long segmentId) {
        return open(table, StorageKeys.tableRoot(table), segmentId);
    }

    /**
     * Opens a published segment of the table held under {@code root}: the table's own, or the table it was restored
     * from (same tenant, so the same data keys).
     */
    public Segment open(TableId table, String root, long segmentId) {
        String key = StorageKeys.segment(root, segmentId);
        long size = Blobs.join(data.head(key)).orElseThrow(() -> new StorageException(
                "segment " + key + " is listed in the manifest but missing from the data store")).size();
        Segment s = Segment.open(segmentId, key, new Source(key, size), blocks, v -> keys.get(table.tenant(), v));
        if (disk != null && !disk.contains(key)) {
            downloads.execute(() -> {
                try {
                    disk.admit(key, Blobs.join(data.readAll(key)));
                } catch (RuntimeException e) {
                    // reads go to the store until a later fetch succeeds
                }
            });
        }
        return s;
    }

    private void forget(String key) {
        if (disk != null) {
            disk.evict(key);
        }
    }

    /** Bytes of segments in the local disk cache. */
    public long diskCacheBytes() {
        return disk == null ? 0 : disk.bytes();
    }

    /** Closes the disk cache's files (the segments themselves are closed by their holders). */
    public void close() {
        if (disk != null) {
            disk.close();
        }
    }

    /** Reads one segment blob: the disk cache first (if any), then the store. */
    private final class Source implements SegmentSource {
        private final String key;
        private final long size;

        Source(String key, long size) {
            this.key = key;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public byte[] read(long offset, int length) {
            if (disk != null) {
                var local = disk.read(key, offset, length);
                if (local.isPresent()) {
                    return local.get();
                }
            }
            byte[] b = data.readBlocking(key, offset, length); // segment reads run on threads that may block
            if (b.length != length) {
                throw new StorageException("segment " + key + ": short read at " + offset);
            }
            return b;
        }

        @Override
        public byte[] readRepaired(long offset, int length) {
            forget(key);
            // A whole read is verified against each copy's checksum; a replicated store falls back to another
            // zone and rewrites the bad copy.
            byte[] all = Blobs.join(data.readAll(key));
            if (offset + length > all.length) {
                throw new StorageException("segment " + key + " is shorter than its index says");
            }
            if (disk != null) {
                disk.admit(key, all);
            }
            return Arrays.copyOfRange(all, (int) offset, (int) offset + length);
        }

        @Override
        public void close() {
            forget(key);
        }
    }
}
