package io.strata.gateway.storage;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Makes the data directory ({@code strata.storage.local.path}) private before anything is stored in it: when
 * absent it is created with mode 0700 (with any missing parents); when it already exists, it and any
 * configured zone directories are checked, and one that group or others may enter gets a warning naming it
 * and the fix. An operator's existing directory is never changed: its mode may be deliberate (a group of
 * operators, a backup agent), and Strata's own files inside it are private anyway. Stateless; called once at
 * startup, so each warning is logged once per process.
 */
final class DataDirectories {
    private static final Logger LOG = Logger.getLogger(DataDirectories.class);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private DataDirectories() {}

    /** Creates the data directory if absent and logs a warning for each directory open to others. */
    static void prepare(Path dataDir, List<Path> zoneDirs) {
        for (String warning : check(dataDir, zoneDirs)) {
            LOG.warn(warning);
        }
    }

    /** As {@link #prepare}, returning the warnings instead of logging them. */
    static List<String> check(Path dataDir, List<Path> zoneDirs) {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(zoneDirs, "zoneDirs is null");
        Path data = dataDir.toAbsolutePath().normalize();
        List<String> warnings = new ArrayList<>();
        try {
            if (!Files.exists(data)) {
                PrivateFiles.createDirectories(data);
            }
            warning("data directory (strata.storage.local.path)", data).ifPresent(warnings::add);
            for (Path zone : zoneDirs) {
                warning("zone directory (strata.storage.local.zones)", zone.toAbsolutePath().normalize())
                        .ifPresent(warnings::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + data + ": " + e.getMessage(), e);
        }
        return warnings;
    }

    private static Optional<String> warning(String what, Path dir) throws IOException {
        if (!Files.isDirectory(dir) || !PrivateFiles.isPosix(dir)) {
            return Optional.empty(); // a zone created later is created private; ACL file systems are not checked
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        if (mode.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
            return Optional.empty();
        }
        return Optional.of(String.format("The %s %s has mode %s: other users may list it or enter it. Strata creates"
                + " its own files and directories owner-only, but leaves this existing directory as it is;"
                + " make it private with: chmod 700 %s", what, dir, PosixFilePermissions.toString(mode), dir));
    }
}
