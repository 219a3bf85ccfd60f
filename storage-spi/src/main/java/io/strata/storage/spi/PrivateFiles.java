package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates every file and directory Strata writes so that only its owner can read it: files get mode 0600 and
 * directories 0700, set by the call that creates them (a {@link FileAttribute}), so there is no moment when a
 * new file or directory is readable by anyone else whatever the process's umask (a umask can only narrow a
 * mode further). Existing files and directories are never changed: {@link #createDirectories} leaves the
 * ancestors it did not create alone. A rename keeps the mode, so a file renamed into place must be created
 * here first.
 *
 * <p>On file systems without POSIX permissions (Windows) the platform's default ACLs apply instead.
 * Stateless and thread-safe.
 */
public final class PrivateFiles {
    /** Mode of every file Strata creates: read and write for the owner only. */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** Mode of every directory Strata creates: owner only. */
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");

    private static final FileAttribute<?>[] NONE = new FileAttribute<?>[0];

    private PrivateFiles() {}

    /** @return whether {@code path}'s file system has POSIX permissions (then this class sets them) */
    public static boolean isPosix(Path path) {
        return requireNonNull(path, "path is null").getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes that make a file created at {@code file} private; none where not POSIX. */
    public static FileAttribute<?>[] fileAttributes(Path file) {
        return isPosix(file) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : NONE;
    }

    /** The attributes that make a directory created at {@code dir} private; none where not POSIX. */
    public static FileAttribute<?>[] directoryAttributes(Path dir) {
        return isPosix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY_MODE)} : NONE;
    }

    /**
     * Creates one directory, mode 0700.
     *
     * @throws FileAlreadyExistsException if the name exists (as {@link Files#createDirectory})
     */
    public static Path createDirectory(Path dir) throws IOException {
        return Files.createDirectory(dir, directoryAttributes(dir));
    }

    /**
     * Creates {@code dir} and its missing ancestors, each one it creates with mode 0700; existing ones are left
     * as they are. Safe against concurrent creators of the same directories.
     *
     * @return {@code dir}
     */
    public static Path createDirectories(Path dir) throws IOException {
        requireNonNull(dir, "dir is null");
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            createDirectory(absolute);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /**
     * Opens a channel as {@link FileChannel#open(Path, OpenOption...)} does; a file it creates (options
     * {@code CREATE} or {@code CREATE_NEW}) gets mode 0600. An existing file keeps its mode.
     */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), fileAttributes(file));
    }

    /**
     * An output stream as {@link Files#newOutputStream} gives (no options: create, truncate, write); a file it
     * creates gets mode 0600. Not buffered.
     */
    public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
        OpenOption[] effective = options.length == 0
                ? new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE}
                : options;
        return Channels.newOutputStream(open(file, effective));
    }

    /** Creates a new empty file with a unique name in {@code dir}, mode 0600 (as {@link Files#createTempFile}). */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        return Files.createTempFile(dir, prefix, suffix, fileAttributes(dir));
    }

    /**
     * Atomically replaces {@code target} with {@code content}, mode 0600, never visible half-written: the
     * content goes to a temporary file in the target's directory (created with its missing ancestors, 0700),
     * is forced to disk, then renamed over the target. Concurrent writers of one path leave one complete
     * version (the last rename wins).
     */
    public static void write(Path target, byte[] content) throws IOException {
        requireNonNull(content, "content is null");
        Path dir = requireNonNull(target, "target is null").toAbsolutePath().getParent();
        createDirectories(dir);
        Path temp = createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ChannelIO.writeFully(channel, content);
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
