package io.strata.storage.engine.manifest;

import io.strata.storage.engine.crypto.Envelope;
import io.strata.storage.engine.crypto.KeyRing;
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
 * serialize commits of one table (the table's monitor). With encryption on, manifests are sealed under their
 * tenant's data key ({@link Envelope}).
 */
public final class ManifestStore {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ManifestStore.class);
    private final BlobStore data;
    private final long epoch;
    private final KeyRing keys;
    private volatile boolean fenced;

    public ManifestStore(BlobStore data, long epoch) {
        this(data, epoch, KeyRing.disabled());
    }

    public ManifestStore(BlobStore data, long epoch, KeyRing keys) {
        this.data = requireNonNull(data, "data is null");
        this.epoch = epoch;
        this.keys = requireNonNull(keys, "keys is null");
    }

    /** Decodes the stored bytes of manifest blob {@code key} (decrypting them if sealed). */
    public Manifest decode(String key, byte[] stored) throws IOException {
        return Manifest.decode(Envelope.open(keys, stored, "manifest " + key));
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
        java.util.TreeSet<Long> versions = versions(root);
        return versions.isEmpty() ? 0 : versions.last();
    }

    /** The manifest versions listed under the table's root, in order (keys that are no version are ignored). */
    public java.util.TreeSet<Long> versions(String root) {
        java.util.TreeSet<Long> versions = new java.util.TreeSet<>();
        for (String k : Blobs.listAll(data, StorageKeys.manifestPrefix(root))) {
            if (StorageKeys.isManifest(root, k)) {
                versions.add(StorageKeys.manifestVersion(k));
            }
        }
        return versions;
    }

    /**
     * The newest version that can be read. Listing and reading are not atomic: a version listed and then gone
     * (garbage collection deleted it meanwhile) is skipped for the one before it. A version only a minority of zones
     * holds is promoted to a quorum by the read (see {@code QuorumRead}), never skipped.
     */
    public Manifest loadLatest(String root) throws IOException {
        for (long v : versions(root).descendingSet()) {
            try {
                return load(root, v);
            } catch (io.strata.storage.spi.blob.NoSuchBlobException uncommitted) {
                LOG.warnf("manifest version %d of %s was listed but is gone; reading the version before it", v, root);
            }
        }
        throw new io.strata.storage.spi.blob.NoSuchBlobException(StorageKeys.manifestPrefix(root));
    }

    public Manifest load(String root, long version) throws IOException {
        String key = StorageKeys.manifest(root, version);
        return decode(key, Blobs.join(data.readAll(key)));
    }

    /**
     * Commits {@code next} as the table's next version by creating its key only if absent.
     *
     * @throws StorageException if another writer committed that version (after fencing this store when
     *     that writer's epoch is higher)
     */
    public void commit(TableId table, Manifest next) {
        String key = StorageKeys.manifest(StorageKeys.tableRoot(table), next.version());
        byte[] bytes = Envelope.seal(keys, table.tenant(), next.encode());
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
                    other = decode(key, stored).writerEpoch();
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
