package io.strata.storage.engine.wal;

import static java.util.Objects.requireNonNull;

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
     * Retires every existing log up to {@code through}: marks it retired at {@code nowMillis} when {@code history}
     * gives the tables whose point-in-time history it holds (with their bytes in it), deletes it at once when it
     * gives null.
     */
    public void retireThrough(long through, long nowMillis, LongFunction<Map<UUID, Long>> history) {
        for (long n : CommitLog.existing(wal)) {
            if (n <= through && !contains(n)) {
                Map<UUID, Long> writers = history.apply(n);
                if (writers == null) {
                    CommitLog.delete(wal, n);
                } else {
                    Blobs.join(data.put(StorageKeys.retiredLog(CommitLog.name(n)), new Marker(nowMillis, writers)
                            .encode(), PutMode.OVERWRITE));
                    names.add(CommitLog.name(n));
                }
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
