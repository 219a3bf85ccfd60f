package io.strata.storage.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of Strata's storage on local disks ({@code strata.storage.type=local}): three zones (failure
 * domains) by default, the directories {@code <data>/storage/zone-a..c} (in production, one disk each).
 * Each zone holds a commit log directory ({@code wal/}, for a {@link LocalLogStore}) and a data directory
 * ({@code data/}, for a {@link LocalBlobStore}); replicating across the zones is composed above this
 * backend. The process lock, scratch files and caches live in {@code <data>/storage/local}. Stateless.
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

    /** A zone's commit log directory. */
    public static Path walDir(Path zone) {
        return zone.resolve("wal");
    }

    /** A zone's data directory (segments, manifests, catalog, writer epochs). */
    public static Path dataDir(Path zone) {
        return zone.resolve("data");
    }

    /** This process's working directory under the data path: lock, scratch files, caches. */
    public static Path workDir(Path dataDir) {
        return dataDir.resolve("storage").resolve("local");
    }
}
