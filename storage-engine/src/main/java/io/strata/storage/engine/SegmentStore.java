package io.strata.storage.engine;

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
import java.util.concurrent.ExecutorService;

/**
 * Segments in the data store: the key layout, publishing a locally written segment file (upload, then
 * keep it in the disk cache or delete it), and opening segments for reads through the block cache, the
 * optional disk cache and the store. Thread-safe.
 */
final class SegmentStore {
    private final BlobStore data;
    private final Path scratch;
    private final DiskCache disk;
    private final BlockCache blocks;
    private final ExecutorService downloads;

    SegmentStore(BlobStore data, Path localDir, long diskCacheBytes, BlockCache blocks, ExecutorService downloads) {
        this.data = data;
        this.blocks = blocks;
        this.downloads = downloads;
        try {
            this.scratch = Files.createDirectories(localDir.resolve("scratch"));
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

    static String tableRoot(TableId id) {
        return "tables/" + id.tenant() + "/" + id.id() + "/";
    }

    static String segmentKey(TableId id, long segmentId) {
        return tableRoot(id) + "segments/" + String.format("%020d", segmentId) + ".seg";
    }

    static long segmentId(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return Long.parseLong(name.substring(0, name.length() - 4));
    }

    BlockCache blocks() {
        return blocks;
    }

    /** A fresh local file for a segment being written. */
    Path newFile() {
        return scratch.resolve(UUID.randomUUID() + ".seg");
    }

    /** Uploads a written segment file (durable in the store when this returns) and opens it. */
    Segment publish(TableId table, long segmentId, Path file) throws IOException {
        String key = segmentKey(table, segmentId);
        long size = Files.size(file);
        Blobs.join(data.put(key, file, PutMode.OVERWRITE)); // streamed: a compaction output never sits in the heap
        if (disk != null) {
            disk.admit(key, file);
        } else {
            Files.deleteIfExists(file);
        }
        return Segment.open(segmentId, key, new Source(key, size), blocks);
    }

    /** Opens a published segment (recovery); with a disk cache, a local copy is fetched in the background. */
    Segment open(TableId table, long segmentId) {
        String key = segmentKey(table, segmentId);
        long size = Blobs.join(data.head(key)).orElseThrow(() -> new StorageException(
                "segment " + key + " is listed in the manifest but missing from the data store")).size();
        Segment s = Segment.open(segmentId, key, new Source(key, size), blocks);
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

    void forget(String key) {
        if (disk != null) {
            disk.evict(key);
        }
    }

    long diskCacheBytes() {
        return disk == null ? 0 : disk.bytes();
    }

    void close() {
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
            byte[] b = Blobs.join(data.read(key, offset, length));
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
