package io.strata.storage.engine;

import io.strata.storage.spi.crypto.KeyProvider;
import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.nio.file.Path;

/**
 * Where an engine keeps its state, through the backend SPI only: the commit log ({@code wal}, for example
 * a quorum over three zones), the data store for segments, manifests, the catalog and writer epochs
 * ({@code data}, for example a {@code ReplicatedBlobStore} over three zones), and a local working
 * directory for segment files being written, the process lock and the segment disk cache. An engine
 * opened over these stores owns them and closes them; if opening fails they stay the caller's.
 *
 * @param diskCacheBytes bytes of segments kept as local files in {@code localDir/cache} (worth it when the
 *     data store is remote, such as S3; 0 disables the disk cache, right for local zones)
 * @param keys the master keys that wrap the tenants' data keys: segments and commit-log records are encrypted at
 *     rest; null writes them in the clear (what was written encrypted still needs the keys)
 */
public record EngineStorage(LogStore wal, BlobStore data, Path localDir, long diskCacheBytes, KeyProvider keys) {
    /** Without encryption at rest. */
    public EngineStorage(LogStore wal, BlobStore data, Path localDir, long diskCacheBytes) {
        this(wal, data, localDir, diskCacheBytes, null);
    }

    public EngineStorage {
        requireNonNull(wal, "wal is null");
        requireNonNull(data, "data is null");
        requireNonNull(localDir, "localDir is null");
        if (diskCacheBytes < 0) {
            throw new IllegalArgumentException("diskCacheBytes < 0");
        }
    }
}
