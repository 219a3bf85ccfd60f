package io.strata.storage.engine.manifest;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import java.io.IOException;
import java.util.Arrays;

/**
 * The manifests of every table as one writer epoch sees them: loading the newest version and committing
 * the next one by compare-and-swap (create-if-absent of the versioned key), so of two writers exactly one
 * wins each version. Losing a version to a higher epoch <b>fences</b> this writer for good: another
 * process now owns the data, and every later write must fail. An inconclusive commit (e.g. a quorum that
 * neither accepted nor refused) is decided by reading the stored bytes back. Thread-safe; callers
 * serialize commits of one table (the table's monitor).
 */
public final class ManifestStore {
    private final BlobStore data;
    private final long epoch;
    private volatile boolean fenced;

    public ManifestStore(BlobStore data, long epoch) {
        this.data = requireNonNull(data, "data is null");
        this.epoch = epoch;
    }

    /** The writer epoch this store commits under. */
    public long epoch() {
        return epoch;
    }

    /** Whether a writer of a higher epoch took over a table from this one. */
    public boolean fenced() {
        return fenced;
    }

    /** The newest committed version of the table under {@code root} (0 when there is none). */
    public long latestVersion(String root) {
        long latest = 0;
        for (String k : Blobs.listAll(data, StorageKeys.manifestPrefix(root))) {
            latest = Math.max(latest, StorageKeys.manifestVersion(k));
        }
        return latest;
    }

    public Manifest load(String root, long version) throws IOException {
        return Manifest.decode(Blobs.join(data.readAll(StorageKeys.manifest(root, version))));
    }

    /**
     * Commits {@code next} as the table's next version by creating its key only if absent.
     *
     * @throws StorageException if another writer committed that version (after fencing this store when
     *     that writer's epoch is higher)
     */
    public void commit(TableId table, Manifest next) {
        String key = StorageKeys.manifest(StorageKeys.tableRoot(table), next.version());
        byte[] bytes = next.encode();
        try {
            Blobs.join(data.put(key, bytes, PutMode.CREATE_IF_ABSENT));
        } catch (StorageException e) {
            byte[] stored;
            try {
                stored = Blobs.join(data.readAll(key));
            } catch (RuntimeException unreadable) {
                throw e;
            }
            if (!Arrays.equals(stored, bytes)) {
                long other;
                try {
                    other = Manifest.decode(stored).writerEpoch();
                } catch (IOException bad) {
                    throw new StorageException("manifest " + key + " is unreadable", bad);
                }
                if (other > epoch) {
                    fenced = true;
                    throw new StorageException("fenced: writer epoch " + other + " took over table " + table
                            + " (this process has epoch " + epoch + ")");
                }
                throw new StorageException("manifest " + key + " was committed concurrently by epoch " + other, e);
            }
        }
    }
}
