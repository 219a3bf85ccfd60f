package io.strata.storage.local;

import io.strata.storage.spi.ChannelIO;
import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.NoSuchBlobException;
import io.strata.storage.spi.blob.PreconditionFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link BlobStore} on a local directory; a key's slashes become subdirectories.
 *
 * <p>Puts write a temporary file, force it, then move it into place atomically and force the directory,
 * so a blob is all-or-nothing and durable when the stage completes. CREATE_IF_ABSENT hard-links the forced
 * temporary file to the key (the link fails if the name exists), which is atomic even between processes.
 * IF_MATCH compares and replaces under a per-key lock, so it is atomic within this process only: one
 * process per directory (the engine fences writers by epoch above this). The etag is the file's identity
 * (device and inode) and size: every put creates a new file, so it changes with every version.
 *
 * <p>Ranged reads keep the file open (up to {@value #OPEN_FILES} files, least recently read closed first): a
 * segment's point reads would otherwise each open and close it. A put or delete of the key closes its open file,
 * so a read never sees a replaced version after the replacing put completed.
 *
 * <p>Thread-safe. Blocking I/O runs on the store's own small pool, except {@link #readBlocking}, which reads in
 * the calling thread.
 */
public final class LocalBlobStore implements BlobStore {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_=-][A-Za-z0-9._=-]*(/[A-Za-z0-9_=-][A-Za-z0-9._=-]*)*");

    private final Path root;
    private final FileIO files;
    private final ExecutorService io;
    private final ReentrantLock[] locks = new ReentrantLock[64];
    private final OpenFiles open = new OpenFiles(OPEN_FILES);

    /** Files kept open for ranged reads, per store. */
    static final int OPEN_FILES = 256;

    public LocalBlobStore(Path root) {
        this(root, FileIO.DEFAULT);
    }

    /** A store whose writes go through {@code files} (tests model a power loss with it). */
    public LocalBlobStore(Path root, FileIO files) {
        this.files = requireNonNull(files, "files is null");
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        try {
            PrivateFiles.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.io = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "strata-blob-io");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    private Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid blob key '" + key + "'");
        }
        return root.resolve(key);
    }

    private <T> CompletionStage<T> async(IoSupplier<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    @Override
    public CompletionStage<Optional<BlobInfo>> head(String key) {
        return async(() -> info(key, path(key)));
    }

    private Optional<BlobInfo> info(String key, Path p) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new BlobInfo(key, a.size(), etag(a)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String etag(BasicFileAttributes a) {
        Object fileKey = a.fileKey();
        return (fileKey == null ? a.lastModifiedTime().toString() : fileKey.toString()) + ":" + a.size();
    }

    @Override
    public CompletionStage<byte[]> read(String key, long offset, int length) {
        return async(() -> ranged(key, offset, length));
    }

    /** A ranged read in the calling thread, on a kept-open file: local reads are cheaper than a hop to the pool. */
    @Override
    public byte[] readBlocking(String key, long offset, int length) {
        try {
            return ranged(key, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] ranged(String key, long offset, int length) throws IOException {
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                FileChannel ch = open.get(key, this::path);
                if (ch == null) {
                    break; // a put or delete raced the open: read this once without keeping the file
                }
                try {
                    return ranged(ch, offset, length);
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    open.discard(key, ch); // closed by this thread's interrupt: fail this read only
                    throw e;
                } catch (java.nio.channels.ClosedChannelException closedMeanwhile) {
                    // replaced, deleted or evicted while this read used it: open the current file
                    open.discard(key, ch);
                }
            }
            try (FileChannel ch = FileChannel.open(path(key), StandardOpenOption.READ)) {
                return ranged(ch, offset, length);
            }
        } catch (java.nio.file.FileSystemException e) {
            if (!Files.isRegularFile(path(key))) {
                throw new NoSuchBlobException(key);
            }
            throw e;
        }
    }

    private static byte[] ranged(FileChannel ch, long offset, int length) throws IOException {
        // small ranges (blocks) skip asking for the size: a read that meets the end just returns less
        int n = length <= SMALL_RANGE ? Math.max(0, length) : (int) Math.max(0, Math.min(length, ch.size() - offset));
        ByteBuffer b = ByteBuffer.allocate(n);
        ChannelIO.readFully(ch, b, offset);
        return b.position() == n ? b.array() : java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static final int SMALL_RANGE = 1 << 16;

    /**
     * Read channels by key, least recently used closed first. A channel opened while the key was replaced or
     * deleted is not kept: {@link #forget} bumps a generation, and a channel opened under an older one is closed
     * (the read then goes without a kept file), so a kept channel is never of a file the key no longer names.
     */
    private static final class OpenFiles {
        private final int max;
        private final java.util.LinkedHashMap<String, FileChannel> channels = new java.util.LinkedHashMap<>(16, 0.75f, true);
        private long generation;

        OpenFiles(int max) {
            this.max = max;
        }

        /** The key's kept channel, opened if need be; null when a put or delete ran while it was being opened. */
        FileChannel get(String key, java.util.function.Function<String, Path> paths) throws IOException {
            long seen;
            synchronized (this) {
                FileChannel ch = channels.get(key);
                if (ch != null) {
                    return ch;
                }
                seen = generation;
            }
            FileChannel opened = FileChannel.open(paths.apply(key), StandardOpenOption.READ);
            FileChannel evicted = null;
            synchronized (this) {
                if (generation == seen) {
                    FileChannel raced = channels.putIfAbsent(key, opened);
                    if (raced == null) {
                        if (channels.size() > max) {
                            var eldest = channels.entrySet().iterator();
                            evicted = eldest.next().getValue();
                            eldest.remove();
                        }
                    } else {
                        evicted = opened;
                        opened = raced;
                    }
                } else {
                    evicted = opened;
                    opened = null;
                }
            }
            closeQuietly(evicted);
            return opened;
        }

        /** Closes the key's channel; called once a put replaced the file or a delete removed it. */
        void forget(String key) {
            FileChannel ch;
            synchronized (this) {
                generation++;
                ch = channels.remove(key);
            }
            closeQuietly(ch);
        }

        /** Drops the key's channel if it is still {@code ch} (found closed). */
        synchronized void discard(String key, FileChannel ch) {
            channels.remove(key, ch);
        }

        void closeAll() {
            List<FileChannel> all;
            synchronized (this) {
                generation++;
                all = new ArrayList<>(channels.values());
                channels.clear();
            }
            all.forEach(OpenFiles::closeQuietly);
        }

        private static void closeQuietly(FileChannel ch) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // a read channel: nothing to lose
                }
            }
        }
    }

    @Override
    public CompletionStage<byte[]> readAll(String key) {
        return async(() -> {
            Path p = path(key);
            if (!Files.isRegularFile(p)) {
                throw new NoSuchBlobException(key);
            }
            try {
                return ChannelIO.readAll(p);
            } catch (NoSuchFileException e) {
                throw new NoSuchBlobException(key);
            }
        });
    }

    @Override
    public CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
        return async(() -> putWith(key, mode, ch -> ChannelIO.writeFully(ch, content)));
    }

    /** Streams the file into the temporary blob (no copy in memory), then commits it like any put. */
    @Override
    public CompletionStage<BlobInfo> put(String key, Path file, PutMode mode) {
        return async(() -> putWith(key, mode, ch -> {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = in.size();
                long done = 0;
                while (done < size) {
                    done += in.transferTo(done, size - done, ch);
                }
            }
        }));
    }

    private interface ContentWriter {
        void write(FileChannel target) throws IOException;
    }

    /**
     * Writes the content to a forced temporary file beside the target, then makes it the blob: a hard link for
     * CREATE_IF_ABSENT (fails if the name exists), an atomic rename otherwise, and forces the directory.
     */
    private BlobInfo putWith(String key, PutMode mode, ContentWriter content) throws IOException {
        Path target = path(key);
        ensureDirectory(target.getParent());
        Path tmp = target.resolveSibling(".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = files.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                content.write(ch);
                ch.force(true);
            }
            if (mode instanceof PutMode.CreateIfAbsent) {
                try {
                    files.link(target, tmp);
                } catch (FileAlreadyExistsException e) {
                    throw new PreconditionFailedException("blob '" + key + "' already exists");
                }
            } else if (mode instanceof PutMode.IfMatch m) {
                ReentrantLock lock = locks[Math.floorMod(key.hashCode(), locks.length)];
                lock.lock();
                try {
                    Optional<BlobInfo> current = info(key, target);
                    if (current.isEmpty() || !current.get().etag().equals(m.etag())) {
                        throw new PreconditionFailedException("blob '" + key + "' is not at etag " + m.etag());
                    }
                    move(tmp, target);
                } finally {
                    lock.unlock();
                }
            } else {
                move(tmp, target);
            }
            open.forget(key);
            files.forceDirectory(target.getParent());
            return info(key, target).orElseThrow(() -> new IOException("blob vanished after put: " + key));
        } finally {
            files.delete(tmp);
        }
    }

    private void move(Path tmp, Path target) throws IOException {
        try {
            files.move(tmp, target);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically: " + target.getParent(), e);
        }
    }

    /**
     * Creates missing directories top-down, forcing each one's parent so that the new name itself survives a
     * power loss (a forced file in a directory whose entry was never forced can vanish with it).
     */
    private void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        ensureDirectory(dir.getParent());
        try {
            files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        files.forceDirectory(dir.getParent());
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public CompletionStage<List<BlobInfo>> list(String prefix, String startAfter, int max) {
        return async(() -> {
            List<BlobInfo> out = new ArrayList<>();
            if (!Files.isDirectory(root)) {
                return out; // a wiped zone: empty, so that repair refills it
            }
            // walk only the directory the prefix names (up to its last '/'), not the whole store: listing one
            // tenant's records must not cost a stat of every segment of every table
            int slash = prefix.lastIndexOf('/');
            Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
            if (slash >= 0 && (!KEY.matcher(prefix.substring(0, slash)).matches() || !Files.isDirectory(start))) {
                return out;
            }
            // a put renames its temporary file into place meanwhile, a delete removes files: what vanishes during
            // the walk is skipped (Files.walk would fail the whole listing on it)
            List<Path> found = new ArrayList<>();
            Files.walkFileTree(start, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        found.add(file);
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof java.nio.file.NoSuchFileException) {
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                        throw e;
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
            try (Stream<Path> files = found.stream()) {
                List<String> keys = files
                        .map(p -> root.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                        .filter(k -> k.startsWith(prefix) && !k.contains("/.") && !k.startsWith("."))
                        .filter(k -> startAfter == null || k.compareTo(startAfter) > 0)
                        .sorted()
                        .limit(max)
                        .toList();
                for (String k : keys) {
                    info(k, root.resolve(k)).ifPresent(out::add);
                }
            }
            return out;
        });
    }

    @Override
    public CompletionStage<Void> delete(Collection<String> keys) {
        return async(() -> {
            for (String k : keys) {
                Path p = path(k);
                boolean deleted = files.delete(p);
                open.forget(k); // after the delete: a read that opened the file meanwhile does not keep it
                if (deleted) {
                    files.forceDirectory(p.getParent());
                }
            }
            return null;
        });
    }

    @Override
    public void close() {
        io.shutdown();
        open.closeAll();
    }
}
