package io.strata.storage.local;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.blob.LogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens Strata's storage on local disks ({@code strata.storage.type=local}). The commit log is written to
 * every zone directory in parallel and a write is acknowledged once a quorum of zones forced it (by default
 * three zones under {@code <data>/storage/wal/zone-a..c}; in production, point each at its own disk).
 * Segments, manifests and the catalog live under {@code <data>/storage} (one copy until the engine's
 * segments move onto the replicated blob store, see docs/design/0002-storage-engine.md).
 */
public final class LocalStorage {
    /** Zone directory names, in order. */
    public static final List<String> DEFAULT_ZONES = List.of("zone-a", "zone-b", "zone-c");

    private LocalStorage() {}

    public static StorageEngine open(Path dataDir, Clock clock) {
        return open(dataDir, List.of(), clock);
    }

    /**
     * @param zoneDirs commit-log zone directories; empty means the three default ones under the data path
     */
    public static StorageEngine open(Path dataDir, List<Path> zoneDirs, Clock clock) {
        Path storage = dataDir.resolve("storage");
        List<LogStore> zones = new ArrayList<>();
        if (zoneDirs.isEmpty()) {
            for (String z : DEFAULT_ZONES) {
                zones.add(new LocalLogStore(storage.resolve("wal").resolve(z)));
            }
        } else {
            for (Path p : zoneDirs) {
                zones.add(new LocalLogStore(p));
            }
        }
        return LsmEngine.open(storage, new QuorumLogStore(zones), EngineOptions.defaults(), clock);
    }
}
