package io.strata.storage.local;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.EngineStorage;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens Strata's storage on local disks ({@code strata.storage.type=local}): three zones (failure domains)
 * by default, the directories {@code <data>/storage/zone-a..c} (in production, one disk each). Each zone
 * holds a copy of the commit log ({@code wal/}, appended and forced in every zone in parallel, a write
 * acknowledged once a quorum forced it) and of the data store ({@code data/}: segments, manifests, catalog,
 * writer epochs; every blob written to every zone and committed at a quorum). The process lock, scratch
 * files and caches live in {@code <data>/storage/local}.
 */
public final class LocalStorage {
    /** Zone directory names, in order. */
    public static final List<String> DEFAULT_ZONES = List.of("zone-a", "zone-b", "zone-c");

    private LocalStorage() {}

    /** The zone directories: the given ones, or the three defaults under the data path. */
    public static List<Path> zoneDirs(Path dataDir, List<Path> zoneDirs) {
        if (!zoneDirs.isEmpty()) {
            return List.copyOf(zoneDirs);
        }
        List<Path> dirs = new ArrayList<>();
        for (String z : DEFAULT_ZONES) {
            dirs.add(dataDir.resolve("storage").resolve(z));
        }
        return dirs;
    }

    /** The engine's stores over the zone directories, with file I/O of the commit log through {@code io}. */
    public static EngineStorage storage(Path dataDir, List<Path> zoneDirs, FileIO io) {
        List<LogStore> logs = new ArrayList<>();
        List<BlobStore> blobs = new ArrayList<>();
        for (Path zone : zoneDirs(dataDir, zoneDirs)) {
            logs.add(new LocalLogStore(zone.resolve("wal"), io));
            blobs.add(new LocalBlobStore(zone.resolve("data")));
        }
        return new EngineStorage(new QuorumLogStore(logs), new ReplicatedBlobStore(blobs),
                dataDir.resolve("storage").resolve("local"), 0);
    }

    public static LsmEngine open(Path dataDir, Clock clock) {
        return open(dataDir, List.of(), EngineOptions.defaults(), clock);
    }

    /**
     * @param zoneDirs zone directories; empty means the three default ones under the data path
     */
    public static LsmEngine open(Path dataDir, List<Path> zoneDirs, EngineOptions options, Clock clock) {
        return LsmEngine.open(storage(dataDir, zoneDirs, FileIO.DEFAULT), options, clock);
    }
}
