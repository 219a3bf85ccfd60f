package io.strata.storage.engine;

import io.strata.storage.spi.PartitionUpdate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * The commit log: numbered append-only files {@code wal/<number 20 digits>.log} of records framed as
 * {@code length | crc32c | payload}, one record per {@code apply()} call (so a batch is atomic). Only the
 * engine's commit thread writes it. Replay stops at the first torn or corrupt record of a file: such a
 * record was never acknowledged, because acknowledgement waits for {@link #force()}.
 */
final class CommitLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CommitLog.class);

    private final Path dir;
    private FileChannel channel;
    private volatile long number;
    private long size;

    CommitLog(Path dir, long firstNumber) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        open(firstNumber);
    }

    private void open(long n) throws IOException {
        channel = FileChannel.open(file(dir, n), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Fsync.directory(dir);
        number = n;
        size = 0;
    }

    static Path file(Path dir, long n) {
        return dir.resolve(String.format("%020d.log", n));
    }

    long number() {
        return number;
    }

    long size() {
        return size;
    }

    static byte[] encode(List<PartitionUpdate> updates) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(updates.size());
            for (PartitionUpdate u : updates) {
                ModelCodec.writeUpdate(out, u);
            }
            out.flush();
            byte[] rec = bytes.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(rec, 8, rec.length - 8);
            ByteBuffer.wrap(rec).putInt(rec.length - 8).putInt((int) crc.getValue());
            return rec;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void append(byte[] record) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(record);
        while (b.hasRemaining()) {
            channel.write(b);
        }
        size += record.length;
    }

    void force() throws IOException {
        channel.force(false);
    }

    /** Closes the current file and starts the next one; returns the number of the closed file. */
    long roll() throws IOException {
        long closed = number;
        channel.force(false);
        channel.close();
        open(closed + 1);
        return closed;
    }

    static List<Long> existing(Path dir) throws IOException {
        List<Long> numbers = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return numbers;
        }
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.log"))
                    .forEach(n -> numbers.add(Long.parseLong(n.substring(0, 20))));
        }
        numbers.sort(Long::compare);
        return numbers;
    }

    /** Replays one file's intact records in order. */
    static void replay(Path dir, long n, BiConsumer<Long, List<PartitionUpdate>> sink) throws IOException {
        byte[] all = Files.readAllBytes(file(dir, n));
        ByteBuffer b = ByteBuffer.wrap(all);
        int records = 0;
        while (b.remaining() >= 8) {
            int len = b.getInt();
            int crcValue = b.getInt();
            if (len <= 0 || len > b.remaining()) {
                LOG.warnf("commit log %d: torn record at offset %d (never acknowledged); ignoring the tail", n, b.position() - 8);
                return;
            }
            CRC32C crc = new CRC32C();
            crc.update(all, b.position(), len);
            if ((int) crc.getValue() != crcValue) {
                LOG.warnf("commit log %d: checksum mismatch at offset %d (never acknowledged); ignoring the tail", n, b.position() - 8);
                return;
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, b.position(), len));
            int count = in.readInt();
            List<PartitionUpdate> updates = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                updates.add(ModelCodec.readUpdate(in));
            }
            b.position(b.position() + len);
            sink.accept(n, updates);
            records++;
        }
        LOG.debugf("commit log %d: replayed %d records", n, records);
    }

    static void delete(Path dir, long n) throws IOException {
        Files.deleteIfExists(file(dir, n));
    }

    void closeWithoutForce() throws IOException {
        channel.close();
    }

    @Override
    public void close() {
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
