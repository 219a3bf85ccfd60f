package io.strata.storage.local;

import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file layer that can lose power: it remembers, per file, how many bytes were forced and whether the
 * file's creation was made durable by forcing its directory. {@link #cut()} rolls every file back to what a
 * power loss would leave (unforced tails dropped, files whose directory entry was never forced gone) and
 * fails every later operation, like a machine that went dark. Models appends (commit logs), and the
 * names the blob store creates: new directories, hard links and renames are durable only once their
 * parent directory is forced; an undurable rename over an existing file leaves the old content.
 */
public final class PowerLossFileIO implements FileIO {
    /** previous: what the name held before an undurable rename replaced it (null: the name was new). */
    private record State(boolean createdUndurably, long forced, byte[] previous) {
        State(boolean createdUndurably, long forced) {
            this(createdUndurably, forced, null);
        }
    }

    private final Map<Path, State> files = new ConcurrentHashMap<>();
    private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();
    private final Set<Path> undurableDirs = ConcurrentHashMap.newKeySet();
    private volatile boolean dark;

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        check();
        boolean existed = Files.exists(path);
        FileChannel ch = PrivateFiles.open(path, options);
        files.compute(path, (p, s) -> s != null ? s : new State(!existed, existed ? sizeOf(path) : 0));
        return new Tracking(path, ch);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public synchronized void forceDirectory(Path dir) throws IOException {
        check();
        FileIO.DEFAULT.forceDirectory(dir);
        files.replaceAll((p, s) -> dir.equals(p.getParent()) ? new State(false, s.forced()) : s);
        undurableDirs.removeIf(d -> dir.equals(d.getParent()));
        durableDirs.add(dir);
    }

    @Override
    public synchronized void createDirectory(Path dir) throws IOException {
        check();
        PrivateFiles.createDirectory(dir);
        undurableDirs.add(dir);
    }

    @Override
    public synchronized void link(Path link, Path existing) throws IOException {
        check();
        Files.createLink(link, existing);
        State source = files.get(existing);
        files.put(link, new State(true, source == null ? sizeOf(existing) : source.forced()));
    }

    @Override
    public synchronized void move(Path source, Path target) throws IOException {
        check();
        State old = files.get(target);
        byte[] previous = Files.exists(target) && (old == null || !old.createdUndurably()) ? Files.readAllBytes(target) : null;
        State moved = files.remove(source);
        FileIO.DEFAULT.move(source, target);
        files.put(target, new State(true, moved == null ? sizeOf(target) : moved.forced(), previous));
    }

    @Override
    public synchronized boolean delete(Path path) throws IOException {
        check();
        files.remove(path);
        return Files.deleteIfExists(path);
    }

    private void check() throws IOException {
        if (dark) {
            throw new IOException("power lost");
        }
    }

    /** The power loss. */
    public void cut() throws IOException {
        synchronized (this) {
            dark = true;
        }
        for (Map.Entry<Path, State> e : files.entrySet()) {
            Path p = e.getKey();
            if (e.getValue().createdUndurably() && e.getValue().previous() != null) {
                Files.write(p, e.getValue().previous()); // the rename never reached the disk
            } else if (e.getValue().createdUndurably()) {
                Files.deleteIfExists(p);
            } else if (Files.exists(p)) {
                try (FileChannel ch = FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(e.getValue().forced());
                }
            }
        }
        // A directory whose own name was never forced into its parent is gone, with everything in it.
        for (Path d : undurableDirs.stream().sorted(java.util.Comparator.comparingInt(Path::getNameCount)).toList()) {
            if (Files.exists(d)) {
                try (var all = Files.walk(d)) {
                    all.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
                }
            }
        }
    }

    private final class Tracking extends FileChannel {
        private final Path path;
        private final FileChannel delegate;

        Tracking(Path path, FileChannel delegate) {
            this.path = path;
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            check();
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            check();
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            check();
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            check();
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            // Atomic with respect to cut(): a force either completes and is recorded before the power goes, or
            // fails; a recorded force must never be rolled back (that would model a lie of the disk, not a cut).
            synchronized (PowerLossFileIO.this) {
                check();
                delegate.force(metaData);
                long size = delegate.size();
                files.computeIfPresent(path, (p, s) -> new State(s.createdUndurably(), size));
            }
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            check();
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            check();
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            check();
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check();
            return delegate.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("mapping is not modelled by the power-loss layer");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
