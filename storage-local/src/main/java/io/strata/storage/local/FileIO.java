package io.strata.storage.local;

import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file operations of the local backend that durability depends on: opening channels (whose
 * {@code force} makes bytes durable) and forcing directories (which makes created and renamed names
 * durable). A seam so tests can model a power loss, where everything not yet forced is gone (as LazyFS
 * does); kill -9 cannot show that, since the operating system keeps what the process never synced.
 * Files and directories it creates are private to the owner ({@link PrivateFiles}: 0600 and 0700);
 * implementations must keep that. Implementations are thread-safe.
 */
public interface FileIO {
    FileIO DEFAULT = new FileIO() {
        @Override
        public FileChannel open(Path path, OpenOption... options) throws IOException {
            return PrivateFiles.open(path, options);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }
    };

    /** Opens a channel; a file it creates has mode 0600 (where POSIX). */
    FileChannel open(Path path, OpenOption... options) throws IOException;

    void forceDirectory(Path dir) throws IOException;

    /** Creates one directory, mode 0700 (its name is durable once its parent is forced). */
    default void createDirectory(Path dir) throws IOException {
        PrivateFiles.createDirectory(dir);
    }

    /** A new name for an existing file; fails with FileAlreadyExistsException if the name exists. */
    default void link(Path link, Path existing) throws IOException {
        Files.createLink(link, existing);
    }

    /** Atomically renames {@code source} to {@code target}, replacing it. */
    default void move(Path source, Path target) throws IOException {
        Files.move(source, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    default boolean delete(Path path) throws IOException {
        return Files.deleteIfExists(path);
    }
}
