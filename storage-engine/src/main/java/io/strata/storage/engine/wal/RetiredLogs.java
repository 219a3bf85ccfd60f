package io.strata.storage.engine.wal;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.crypto.KeyRing;
import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.LogStore;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;

import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commit logs every table has flushed past. A retired log is deleted; what tables with point-in-time recovery wrote
 * into it is first extracted into a history log ({@code hist-<n>}, in the same log store), marked by a blob
 * {@code wal-retired/<history log>} holding when it was retired and each table's bytes in it: garbage collection
 * deletes the history log (and the marker) once the retention window has passed. (Markers of whole retained logs
 * written before history logs existed are still honoured: recovery skips those logs.) The names are read at open and
 * kept up to date in memory. Thread-safe.
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
            StorageKeys.retiredLogName(key).ifPresent(names::add);
        }
    }

    public boolean contains(long log) {
        return names.contains(CommitLog.name(log));
    }

    /**
     * Retires every existing log up to {@code through}. A log {@code writers} says tables with point-in-time recovery
     * may have written into ({@code writers} non-null) has their updates extracted into history log {@code n}
     * ({@link CommitLog#extract}: only theirs, re-sealed, one record per group commit), marked retired at
     * {@code nowMillis} with their bytes; then the log itself is deleted. A log with nothing to keep is deleted at once.
     */
    public void retireThrough(long through, long nowMillis, LongFunction<Map<UUID, Long>> writers,
            Predicate<UUID> keepsHistory, KeyRing keys) {
        for (long n : CommitLog.existing(wal)) {
            if (n <= through && !contains(n)) {
                Map<UUID, Long> w = writers.apply(n);
                if (w != null) {
                    Map<UUID, Long> kept;
                    try {
                        kept = CommitLog.extract(wal, n, keys, keepsHistory);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("cannot extract the history of commit log " + n, e);
                    }
                    if (!kept.isEmpty()) {
                        String history = StorageKeys.historyLog(n);
                        Blobs.join(data.put(StorageKeys.retiredLog(history), new Marker(nowMillis, kept).encode(),
                                PutMode.OVERWRITE));
                        names.add(history);
                    }
                }
                CommitLog.delete(wal, n);
            }
        }
    }

    /**
     * A retired log's marker: when it was retired and the bytes each table wrote into it (what its point-in-time
     * history costs); {@code retiredAt | count | (uuid, bytes)*}, or only {@code retiredAt} as first written.
     */
    public record Marker(long retiredAtMillis, Map<UUID, Long> bytesByTable) {
        public Marker {
            bytesByTable = Map.copyOf(bytesByTable);
        }

        public byte[] encode() {
            ByteBuffer b = ByteBuffer.allocate(12 + bytesByTable.size() * 24).putLong(retiredAtMillis)
                    .putInt(bytesByTable.size());
            bytesByTable.forEach((id, bytes) -> b.putLong(id.getMostSignificantBits())
                    .putLong(id.getLeastSignificantBits()).putLong(bytes));
            return b.array();
        }

        public static Marker decode(byte[] stored) {
            ByteBuffer b = ByteBuffer.wrap(stored);
            long at = b.getLong();
            Map<UUID, Long> bytes = new java.util.HashMap<>();
            if (b.remaining() >= 4) {
                int n = b.getInt();
                for (int i = 0; i < n && b.remaining() >= 24; i++) {
                    bytes.put(new UUID(b.getLong(), b.getLong()), b.getLong());
                }
            }
            return new Marker(at, bytes);
        }
    }
}
