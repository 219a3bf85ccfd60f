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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * {@link LogStore} on a local directory: one file per log ({@code <name>.log}) of records
 * {@code int64 sequence | int32 length | int32 crc32c | data}, appended and forced with
 * {@code FileChannel.force} before the stage completes. Reading stops at the first torn or corrupt
 * record, which was never acknowledged. Thread-safe; appends to one log are serialised.
 */
public final class LocalLogStore implements LogStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_=-][A-Za-z0-9._=-]*");

    private final Path root;
    private final FileIO files;
    private final ExecutorService io;
    private final ConcurrentHashMap<String, FileChannel> open = new ConcurrentHashMap<>();

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
        return CompletableFuture.runAsync(() -> {
            try {
                FileChannel ch = open.computeIfAbsent(log, l -> {
                    try {
                        boolean created = !Files.exists(file(l));
                        if (!Files.isDirectory(root)) {
                            // The zone was wiped (a replaced disk): start it again; repair refills the data.
                            PrivateFiles.createDirectories(root);
                            files.forceDirectory(root.getParent());
                        }
                        FileChannel c = files.open(file(l), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                                StandardOpenOption.APPEND);
                        if (created) {
                            files.forceDirectory(root);
                        }
                        return c;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                CRC32C crc = new CRC32C();
                crc.update(data);
                ByteBuffer b = ByteBuffer.allocate(16 + data.length);
                b.putLong(sequence).putInt(data.length).putInt((int) crc.getValue()).put(data).flip();
                synchronized (ch) {
                    ChannelIO.writeFully(ch, b);
                    ch.force(false);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
    }

    @Override
    public CompletionStage<List<Chunk>> read(String log) {
        return CompletableFuture.supplyAsync(() -> {
            Path f = file(log);
            List<Chunk> chunks = new ArrayList<>();
            if (!Files.exists(f)) {
                return chunks;
            }
            try {
                ByteBuffer b = ByteBuffer.wrap(ChannelIO.readAll(f));
                while (b.remaining() >= 16) {
                    long seq = b.getLong();
                    int len = b.getInt();
                    int crcValue = b.getInt();
                    if (len < 0 || len > b.remaining()) {
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
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, io);
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
                FileChannel ch = open.remove(log);
                if (ch != null) {
                    ch.close();
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
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing after a forced append loses nothing
            }
        }
        open.clear();
    }
}
