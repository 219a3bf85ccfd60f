package io.strata.storage.s3;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's stores on S3-compatible zones ({@code strata.storage.type=s3}): one bucket per zone, each
 * on its own endpoint if given. With three zones every blob is written to all three and committed at a
 * quorum (as on local disks); with one zone the store is trusted to replicate by itself (AWS S3 Standard,
 * a MinIO erasure set), so data is not stored nine times. The commit log can live in the same buckets
 * (one object per group commit, under {@code wal/}) or elsewhere (local disks, wired by the caller).
 * Owns the S3 clients it opens; closing the returned stores closes them.
 */
public final class S3Storage {
    private S3Storage() {}

    /** An opened set of zone stores. */
    public record Zones(List<S3BlobStore> stores) {
        public Zones {
            stores = List.copyOf(requireNonNull(stores, "stores is null"));
        }

        /** The data store: the single zone itself, or a quorum-replicated store over all zones. */
        public BlobStore data() {
            return stores.size() == 1 ? stores.get(0) : new ReplicatedBlobStore(List.copyOf(stores));
        }

        /** A commit log stored in the zones' buckets: one object per chunk, appended at a quorum of zones. */
        public LogStore commitLog() {
            if (stores.size() == 1) {
                return new BlobLogStore(stores.get(0), "wal/");
            }
            List<LogStore> logs = new ArrayList<>();
            for (S3BlobStore s : stores) {
                logs.add(new BlobLogStore(s, "wal/"));
            }
            return new QuorumLogStore(logs);
        }
    }

    public static Zones open(List<S3Settings> zones) {
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("at least one S3 zone (bucket)");
        }
        if (zones.size() == 2) {
            // Two zones have no useful quorum: one outage would stop every write.
            throw new IllegalArgumentException("S3 storage needs 1 zone (a self-replicating store) or 3 zones, not 2");
        }
        List<S3BlobStore> stores = new ArrayList<>();
        for (S3Settings s : zones) {
            stores.add(S3BlobStore.open(s));
        }
        return new Zones(stores);
    }
}
