package io.strata.storage.engine.runtime;

import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jboss.logging.Logger;

/**
 * The exclusive lock on an engine's working directory ({@code <dir>/LOCK}): one engine per directory, in
 * this process or any other, since a second one would write the same scratch and cache files. Writer
 * epochs fence engines on different machines; this catches the local mistake early. Thread-safe.
 */
public final class DirectoryLock implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DirectoryLock.class);

    private final FileLock lock;

    private DirectoryLock(FileLock lock) {
        this.lock = lock;
    }

    /**
     * @throws StorageException if another engine holds the directory
     */
    public static DirectoryLock acquire(Path dir) throws IOException {
        FileChannel ch = PrivateFiles.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw new StorageException("another Strata process (or engine) is using " + dir);
        }
        return new DirectoryLock(l);
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            lock.channel().close();
        } catch (IOException e) {
            LOG.debug("could not release the storage lock", e);
        }
    }
}
