package io.strata.storage.engine.wal;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.LogStore;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commit logs every table has flushed past. Each is marked by a blob {@code wal-retired/<log>} holding when
 * it was retired: recovery skips those logs, and garbage collection deletes them (and the marker) once the
 * retention window has passed, so they stay for point-in-time recovery meanwhile. Logs no table with point-in-time
 * recovery wrote into are deleted when retired. The names are read at
 * open and kept up to date in memory. Thread-safe.
 */
public final class RetiredLogs {
    private final BlobStore data;
    private final LogStore wal;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    public RetiredLogs(BlobStore data, LogStore wal) {
        this.data = requireNonNull(data, "data is null");
        this.wal = requireNonNull(wal, "wal is null");
    }

    /** Reads the markers (at open). */
    public void load() {
        for (String key : Blobs.listAll(data, StorageKeys.RETIRED_LOGS)) {
            names.add(StorageKeys.retiredLogName(key));
        }
    }

    public boolean contains(long log) {
        return names.contains(CommitLog.name(log));
    }

    /**
     * Retires every existing log up to {@code through}: marks it retired at {@code nowMillis} when {@code keep}
     * says point-in-time recovery needs it, deletes it at once otherwise.
     */
    public void retireThrough(long through, long nowMillis, java.util.function.LongPredicate keep) {
        byte[] when = ByteBuffer.allocate(8).putLong(nowMillis).array();
        for (long n : CommitLog.existing(wal)) {
            if (n <= through && !contains(n)) {
                if (!keep.test(n)) {
                    CommitLog.delete(wal, n);
                } else {
                    Blobs.join(data.put(StorageKeys.retiredLog(CommitLog.name(n)), when, PutMode.OVERWRITE));
                    names.add(CommitLog.name(n));
                }
            }
        }
    }
}
