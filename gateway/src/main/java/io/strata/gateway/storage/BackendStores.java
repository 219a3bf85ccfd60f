package io.strata.gateway.storage;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link StorageBackend} opened for the engine: the commit log's and the data's stores per zone, the
 * local working directory (process lock, scratch files, disk cache), how much segment data to cache on
 * local disk, and a description for operators. Immutable.
 */
public record BackendStores(Zones<LogStore> commitLog, Zones<BlobStore> data, Path localDir, long diskCacheBytes,
        String description) {
    public BackendStores {
        requireNonNull(commitLog, "commitLog is null");
        requireNonNull(data, "data is null");
        requireNonNull(localDir, "localDir is null");
        requireNonNull(description, "description is null");
        if (diskCacheBytes < 0) {
            throw new IllegalArgumentException("diskCacheBytes < 0");
        }
    }

    /**
     * One store per zone (failure domain), and whether Strata replicates across them: a quorum commit log
     * and a replicated blob store with per-copy checksums and repair. A store that replicates itself (one
     * bucket on AWS S3 or a MinIO erasure set) is one zone, not replicated: data is not stored nine times.
     * The choice is part of the on-disk format (replicated blobs carry a checksum trailer), so a backend
     * makes it once for good.
     */
    public record Zones<T>(List<T> stores, boolean replicated) {
        public Zones {
            stores = List.copyOf(requireNonNull(stores, "stores is null"));
            if (stores.isEmpty()) {
                throw new IllegalArgumentException("at least one zone");
            }
            if (!replicated && stores.size() != 1) {
                throw new IllegalArgumentException("only one zone can go unreplicated, not " + stores.size());
            }
        }

        public static <T> Zones<T> replicated(List<T> stores) {
            return new Zones<>(stores, true);
        }

        public static <T> Zones<T> single(T store) {
            return new Zones<>(List.of(store), false);
        }
    }
}
