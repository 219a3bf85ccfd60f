package io.strata.storage.local;

import io.strata.storage.spi.ChannelIO;
import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.blob.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@link LogStore} on a local directory: one file per log ({@code <name>.log}) of records
 * {@code int64 sequence | int32 length | int32 crc32c | data}, written and forced with
 * {@code FileChannel.force} before the stage completes. Reading stops at the first torn or corrupt
 * record, which was never acknowledged, or at a zero sequence. From its second record on, a file is extended with
 * forced zeros {@link #PREALLOCATE_BYTES} (to 1.5 times that) at a time ahead of the records, so forcing an append
 * rewrites data in place and journals no size change (on ext4 a quarter less per force, and three zones on one file
 * system no longer queue behind each other's commits); a log written once keeps its exact size. Sequences are
 * positive, as the SPI requires. Thread-safe; appends to one log are serialised.
 */
public final class LocalLogStore implements LogStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_=-][A-Za-z0-9._=-]*");
    /** How far ahead of its records a log file is zero-filled. */
    static final long PREALLOCATE_BYTES = 4L << 20;

    private final Path root;
    private final FileIO files;
    private final ExecutorService io;
    private final ConcurrentHashMap<String, Appender> open = new ConcurrentHashMap<>();

    /** An open log: its channel, where the next record goes, and how far the file is zero-filled. */
    private static final class Appender {
        final FileChannel channel;
        long end;
        long allocated;

        Appender(FileChannel channel, long end, long allocated) {
            this.channel = channel;
            this.end = end;
            this.allocated = allocated;
        }
    }

    public LocalLogStore(Path root) {
        this(root, FileIO.DEFAULT);
    }

    /** With an explicit file layer (tests model power loss with it). */
    public LocalLogStore(Path root, FileIO files) {
        this.root = requireNonNull(root, "root is null");
        this.files = requireNonNull(files, "files is null");
        try {
            PrivateFiles.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.io = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "strata-log-io");
            t.setDaemon(true);
            return t;
        });
    }

    private Path file(String log) {
        if (!NAME.matcher(log).matches()) {
            throw new IllegalArgumentException("invalid log name '" + log + "'");
        }
        return root.resolve(log + ".log");
    }

    @Override
    public CompletionStage<Void> append(String log, long sequence, byte[] data) {
        if (sequence <= 0) {
            throw new IllegalArgumentException("log sequences are positive, not " + sequence);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                Appender a = open.computeIfAbsent(log, this::openForAppend);
                CRC32C crc = new CRC32C();
                crc.update(data);
                ByteBuffer b = ByteBuffer.allocate(16 + data.length);
                b.putLong(sequence).putInt(data.length).putInt((int) crc.getValue()).put(data).flip();
                synchronized (a) {
                    long needed = a.end + b.remaining();
                    // from the second record on: a log written once (a history log) keeps its exact size
                    if (needed > a.allocated && a.end > 0) {
                        // zeros first: the file grows here once per PREALLOCATE_BYTES, not on every append. The
                        // step varies, so the zones of a quorum log rarely stall on it at the same group commit
                        long step = PREALLOCATE_BYTES + ThreadLocalRandom.current().nextLong(PREALLOCATE_BYTES / 2);
                        long to = Math.max(needed, a.allocated + step);
                        ChannelIO.writeZeros(a.channel, a.allocated, to - a.allocated);
                        a.allocated = to;
                    }
                    ChannelIO.writeFully(a.channel, b, a.end);
                    a.channel.force(false);
                    a.end = needed;
                    a.allocated = Math.max(a.allocated, needed);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    /** Opens a log to append to: a new file, or an existing one whose records end where the next one goes. */
    private Appender openForAppend(String l) {
        try {
            Path f = file(l);
            boolean created = !Files.exists(f);
            if (!Files.isDirectory(root)) {
                // The zone was wiped (a replaced disk): start it again; repair refills the data.
                PrivateFiles.createDirectories(root);
                files.forceDirectory(root.getParent());
            }
            FileChannel c = files.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (created) {
                files.forceDirectory(root);
                return new Appender(c, 0, 0);
            }
            // after a restart: overwrite from the end of the intact records (a torn one was never acknowledged)
            long end = 0;
            for (Chunk ch : parse(ChannelIO.readAll(f))) {
                end += 16 + ch.data().length;
            }
            return new Appender(c, end, c.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CompletionStage<List<Chunk>> read(String log) {
        return CompletableFuture.supplyAsync(() -> {
            Path f = file(log);
            if (!Files.exists(f)) {
                return new ArrayList<Chunk>();
            }
            try {
                return parse(ChannelIO.readAll(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    /** The intact records from the start: up to the first torn or corrupt one, or the zero-filled rest. */
    private static List<Chunk> parse(byte[] file) {
        List<Chunk> chunks = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(file);
        while (b.remaining() >= 16) {
            long seq = b.getLong();
            int len = b.getInt();
            int crcValue = b.getInt();
            if (seq <= 0 || len < 0 || len > b.remaining()) {
                break;
            }
            byte[] data = new byte[len];
            b.get(data);
            CRC32C crc = new CRC32C();
            crc.update(data);
            if ((int) crc.getValue() != crcValue) {
                break;
            }
            chunks.add(new Chunk(seq, data));
        }
        return chunks;
    }

    @Override
    public CompletionStage<List<String>> list(String prefix) {
        return CompletableFuture.supplyAsync(() -> {
            if (!Files.isDirectory(root)) {
                return List.<String>of();
            }
            try (Stream<Path> files = Files.list(root)) {
                return files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".log"))
                        .map(n -> n.substring(0, n.length() - 4))
                        .filter(n -> n.startsWith(prefix))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    @Override
    public CompletionStage<Void> delete(String log) {
        return CompletableFuture.runAsync(() -> {
            try {
                Appender a = open.remove(log);
                if (a != null) {
                    a.channel.close();
                }
                if (Files.deleteIfExists(file(log))) {
                    files.forceDirectory(root);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    @Override
    public void close() {
        io.shutdown();
        for (Appender a : open.values()) {
            try {
                a.channel.close();
            } catch (IOException e) {
                // closing after a forced append loses nothing
            }
        }
        open.clear();
    }
}
