package io.strata.storage.engine.wal;

import io.strata.storage.engine.codec.ByteSink;
import io.strata.storage.engine.codec.ByteSource;
import io.strata.storage.engine.codec.ModelCodec;
import io.strata.storage.engine.crypto.Aead;
import io.strata.storage.engine.crypto.DataKey;
import io.strata.storage.engine.crypto.KeyRing;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.LogStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * The commit log over the backend SPI's {@link LogStore}: numbered logs {@code wal-<number:020>}, each a
 * sequence of chunks, one chunk per group commit holding that group's records ({@code length | crc32c |
 * payload}, one record per {@code apply()} call, so a batch is atomic). With encryption on, a record's payload is
 * {@code -2 | tenant | data key version | nonce | AES-256-GCM(count | updates)} under the tenant's current data key
 * (the tenant of its first user-table update; the usage-ledger rows a request adds ride with it), so the checksum
 * still catches a torn or damaged record before decryption. {@link #force()} appends the
 * pending chunk and returns once the store made it durable (with a {@code QuorumLogStore}: on a quorum of
 * zones). Only the engine's commit thread writes it; {@link #number} and {@link #size} may be read by any
 * thread.
 */
public final class CommitLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CommitLog.class);

    /** The first int of an encrypted record's payload (a clear one starts with its update count, never negative). */
    private static final int ENCRYPTED = -2;
    /** A record whose updates are sealed in sections under different data keys (tables with customer keys). */
    private static final int ENCRYPTED_SECTIONS = -3;
    /** The commit time (epoch millis) of the records after it in its chunk: what point-in-time restore cuts at. */
    private static final int TIME = -4;
    /** A history record: {@code raw length | lz4(count | updates)}, in the clear. */
    private static final int COMPRESSED = -5;
    /** A history record under one data key: {@code tenant | key version | nonce | sealed(raw length | lz4(...))}. */
    private static final int COMPRESSED_ENCRYPTED = -6;
    private static final net.jpountz.lz4.LZ4Compressor LZ4 = io.strata.storage.engine.codec.Lz4.FACTORY.fastCompressor();
    private static final net.jpountz.lz4.LZ4SafeDecompressor UNLZ4 =
            io.strata.storage.engine.codec.Lz4.FACTORY.safeDecompressor();

    private final LogStore store;
    private final KeyRing keys;
    private final ByteSink pending = new ByteSink(64 * 1024);
    private volatile long number;
    private long sequence;
    private volatile long size;

    public CommitLog(LogStore store, long firstNumber) {
        this(store, firstNumber, KeyRing.disabled());
    }

    public CommitLog(LogStore store, long firstNumber, KeyRing keys) {
        this.store = store;
        this.number = firstNumber;
        this.keys = java.util.Objects.requireNonNull(keys, "keys is null");
    }

    /**
     * One record of this log: encrypted under the data key of the updates' tables (their tenant's current key, or a
     * table's customer key) when encryption is on. Updates under different keys (a batch over tables with different
     * customer keys) become sections of one record, each sealed under its own key, so the record stays atomic.
     */
    public byte[] encode(List<PartitionUpdate> updates) {
        return encode(keys, updates);
    }

    /** As {@link #encode(List)}, with {@code keys}. */
    public static byte[] encode(KeyRing keys, List<PartitionUpdate> updates) {
        if (!keys.enabled() || updates.isEmpty()) {
            return encodeClear(updates);
        }
        String tenant = updates.get(0).table().tenant();
        for (PartitionUpdate u : updates) {
            if (!u.table().tenant().startsWith("_")) {
                tenant = u.table().tenant();
                break;
            }
        }
        // one key for the whole record, the common case: the tenant's, or every table's same customer key
        DataKey first = null;
        java.util.LinkedHashMap<DataKey, List<PartitionUpdate>> byKey = null;
        for (PartitionUpdate u : updates) {
            DataKey k = u.table().tenant().equals(tenant) ? keys.forTable(u.table()) : keys.current(tenant);
            if (first == null) {
                first = k;
            } else if (byKey == null && k.version() != first.version()) {
                byKey = new java.util.LinkedHashMap<>();
                for (PartitionUpdate before : updates) {
                    if (before == u) {
                        break;
                    }
                    byKey.computeIfAbsent(first, x -> new ArrayList<>()).add(before);
                }
            }
            if (byKey != null) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(u);
            }
        }
        try {
            ByteSink bytes = new ByteSink(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            if (byKey == null) {
                out.writeInt(ENCRYPTED);
                out.writeUTF(tenant);
                writeSection(out, first, updates);
            } else {
                out.writeInt(ENCRYPTED_SECTIONS);
                out.writeUTF(tenant);
                out.writeInt(byKey.size());
                for (var e : byKey.entrySet()) {
                    byte[] section = sectionBytes(e.getKey(), e.getValue());
                    out.writeInt(section.length);
                    out.write(section);
                }
            }
            out.flush();
            return seal(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code key version | nonce | sealed(count | updates)}. */
    private static void writeSection(DataOutputStream out, DataKey key, List<PartitionUpdate> updates)
            throws IOException {
        byte[] clear = encodeClear(updates);
        byte[] nonce = Aead.nextNonce();
        byte[] sealed = Aead.seal(key, nonce, clear, 8, clear.length - 8);
        out.writeInt(key.version());
        out.write(nonce);
        out.write(sealed);
    }

    private static byte[] sectionBytes(DataKey key, List<PartitionUpdate> updates) throws IOException {
        ByteSink bytes = new ByteSink(256);
        DataOutputStream out = new DataOutputStream(bytes);
        writeSection(out, key, updates);
        out.flush();
        return bytes.toByteArray();
    }

    /** The log store name of log {@code n}. */
    public static String name(long n) {
        return StorageKeys.commitLog(n);
    }

    /** The number of the log being appended. */
    public long number() {
        return number;
    }

    /** Bytes appended to the current log. */
    public long size() {
        return size;
    }

    /** One record in the clear: {@code length | crc32c | count | updates}, so the updates of one call are atomic. */
    public static byte[] encodeClear(List<PartitionUpdate> updates) {
        try {
            ByteSink bytes = new ByteSink(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(updates.size());
            for (PartitionUpdate u : updates) {
                ModelCodec.writeUpdate(out, u);
            }
            out.flush();
            return seal(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The record that opens each group commit's chunk: {@code TIME | epoch millis}, the instant the records after it
     * were committed (taken before they are forced, so never later than their acknowledgement).
     */
    public static byte[] timeRecord(long millis) {
        return seal(ByteBuffer.allocate(20).putLong(0).putInt(TIME).putLong(millis).array());
    }

    /** Fills in a record's length and checksum (its first 8 bytes). */
    private static byte[] seal(byte[] rec) {
        CRC32C crc = new CRC32C();
        crc.update(rec, 8, rec.length - 8);
        ByteBuffer.wrap(rec).putInt(rec.length - 8).putInt((int) crc.getValue());
        return rec;
    }

    void append(byte[] record) {
        pending.write(record, 0, record.length);
        size += record.length;
    }

    /** Makes every appended record durable (one chunk); returns when the store acknowledged it. */
    void force() {
        forceAsync().join();
    }

    /**
     * Issues the appended records as the next chunk and returns at once; the stage completes once the store has it
     * durably. Chunks are issued in sequence order (the caller keeps at most {@link #maxInFlight} outstanding).
     */
    CompletableFuture<Void> forceAsync() {
        if (pending.size() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] chunk = pending.toByteArray();
        pending.reset();
        return store.append(name(number), ++sequence, chunk).toCompletableFuture();
    }

    /** Chunks the store lets a writer have in flight at once. */
    int maxInFlight() {
        return Math.max(1, store.maxAppendsInFlight());
    }

    /** Forces, then starts the next log; returns the number of the closed one. */
    long roll() {
        force();
        long closed = number;
        number = closed + 1;
        sequence = 0;
        size = 0;
        return closed;
    }

    /** Numbers of the commit logs in the store, ascending. */
    public static List<Long> existing(LogStore store) {
        List<Long> numbers = new ArrayList<>();
        for (String n : store.list(StorageKeys.COMMIT_LOG_PREFIX).toCompletableFuture().join()) {
            StorageKeys.commitLogNumber(n).ifPresent(numbers::add);
        }
        numbers.sort(Long::compare);
        return numbers;
    }

    /**
     * Closes a log found at recovery to any earlier writer: appends an empty chunk at the next sequence
     * number, which that writer would need for its next group commit. Where the store creates chunks only
     * if absent (objects), the earlier writer's append then fails instead of being acknowledged unseen.
     */
    public static void seal(LogStore store, long n, long sequence) {
        store.append(name(n), sequence, new byte[0]).toCompletableFuture().join();
    }

    /**
     * Replays one log's records in order; the store already dropped torn chunks (never acknowledged).
     * Returns the last chunk's sequence number (0 for an empty log).
     */
    public static long replay(LogStore store, long n, BiConsumer<Long, List<PartitionUpdate>> sink) throws IOException {
        return replay(store, n, KeyRing.disabled(), sink);
    }

    /**
     * As {@link #replay(LogStore, long, BiConsumer)}, decrypting encrypted records with {@code keys}.
     *
     * @throws io.strata.storage.spi.crypto.KeyUnavailableException if a record's data key cannot be had; a record
     *     whose checksum holds but that does not decrypt fails the replay (storage must not open without it)
     */
    public static long replay(LogStore store, long n, KeyRing keys, BiConsumer<Long, List<PartitionUpdate>> sink)
            throws IOException {
        return replayTimed(store, n, keys, (time, updates) -> sink.accept(n, updates));
    }

    /** What a timed replay hands over: each record's updates with its commit time (0 when the log predates times). */
    @FunctionalInterface
    public interface TimedSink {
        void accept(long commitMillis, List<PartitionUpdate> updates) throws IOException;
    }

    /**
     * As {@link #replay(LogStore, long, KeyRing, BiConsumer)}, handing each record its commit time (the chunk's time
     * record), for point-in-time restore.
     */
    public static long replayTimed(LogStore store, long n, KeyRing keys, TimedSink sink) throws IOException {
        return replayTimed(store, name(n), n, keys, sink);
    }

    /** As {@link #replayTimed(LogStore, long, KeyRing, TimedSink)}, for the history log extracted from log {@code n}. */
    public static long replayHistory(LogStore store, long n, KeyRing keys, TimedSink sink) throws IOException {
        return replayTimed(store, StorageKeys.historyLog(n), n, keys, sink);
    }

    private static long replayTimed(LogStore store, String logName, long n, KeyRing keys, TimedSink sink)
            throws IOException {
        int records = 0;
        long last = 0;
        long time = 0;
        for (LogStore.Chunk chunk : store.read(logName).toCompletableFuture().join()) {
            last = Math.max(last, chunk.sequence());
            byte[] all = chunk.data();
            ByteBuffer b = ByteBuffer.wrap(all);
            while (b.remaining() >= 8) {
                int len = b.getInt();
                int crcValue = b.getInt();
                if (len <= 0 || len > b.remaining()) {
                    LOG.warnf("commit log %d: malformed record in chunk %d; ignoring the rest of the chunk", n, chunk.sequence());
                    break;
                }
                CRC32C crc = new CRC32C();
                crc.update(all, b.position(), len);
                if ((int) crc.getValue() != crcValue) {
                    LOG.warnf("commit log %d: checksum mismatch in chunk %d; ignoring the rest of the chunk", n, chunk.sequence());
                    break;
                }
                DataInputStream in = new DataInputStream(new ByteSource(all, b.position(), len));
                int count = in.readInt();
                List<PartitionUpdate> updates;
                if (count == TIME) {
                    time = in.readLong();
                    b.position(b.position() + len);
                    continue;
                } else if (count == COMPRESSED) {
                    int header = len - in.available();
                    updates = unpack(all, b.position() + header, len - header);
                } else if (count == COMPRESSED_ENCRYPTED) {
                    String tenant = in.readUTF();
                    DataKey key = keys.get(tenant, in.readInt());
                    byte[] nonce = in.readNBytes(Aead.NONCE_BYTES);
                    int header = len - in.available();
                    byte[] packed = Aead.open(key, nonce, all, b.position() + header, len - header);
                    if (packed == null) {
                        throw new StorageException("history log " + logName + ": a record in chunk " + chunk.sequence()
                                + " does not decrypt with " + key.name() + " although its checksum holds");
                    }
                    updates = unpack(packed, 0, packed.length);
                } else if (count == ENCRYPTED) {
                    String tenant = in.readUTF();
                    int header = len - in.available();
                    updates = openSection(keys, tenant, all, b.position() + header, len - header, n, chunk.sequence());
                } else if (count == ENCRYPTED_SECTIONS) {
                    String tenant = in.readUTF();
                    int sections = in.readInt();
                    updates = new ArrayList<>();
                    for (int s = 0; s < sections; s++) {
                        int sectionLength = in.readInt();
                        int at = len - in.available();
                        updates.addAll(openSection(keys, tenant, all, b.position() + at, sectionLength, n,
                                chunk.sequence()));
                        in.skipNBytes(sectionLength);
                    }
                } else {
                    updates = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        updates.add(ModelCodec.readUpdate(in));
                    }
                }
                b.position(b.position() + len);
                sink.accept(time, updates);
                records++;
            }
        }
        LOG.debugf("commit log %d: replayed %d records", n, records);
        return last;
    }

    /** Decrypts one section ({@code key version | nonce | sealed}) and decodes its updates. */
    private static List<PartitionUpdate> openSection(KeyRing keys, String tenant, byte[] all, int at, int length,
            long n, long chunk) throws IOException {
        ByteBuffer section = ByteBuffer.wrap(all, at, length);
        DataKey key = keys.get(tenant, section.getInt());
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        section.get(nonce);
        int header = 4 + Aead.NONCE_BYTES;
        byte[] clear = Aead.open(key, nonce, all, at + header, length - header);
        if (clear == null) {
            throw new StorageException("commit log " + n + ": a record in chunk " + chunk
                    + " does not decrypt with " + key.name() + " although its checksum holds");
        }
        DataInputStream in = new DataInputStream(new ByteSource(clear));
        int count = in.readInt();
        List<PartitionUpdate> updates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            updates.add(ModelCodec.readUpdate(in));
        }
        return updates;
    }

    /**
     * One history record: the updates LZ4-compressed (a group commit's updates repeat table ids, column names and
     * timestamps), then sealed under their data key when they share one; otherwise an ordinary record.
     */
    static byte[] encodeCompressed(KeyRing keys, List<PartitionUpdate> updates) {
        DataKey key = null;
        String tenant = null;
        if (keys.enabled()) {
            for (PartitionUpdate u : updates) {
                DataKey k = keys.forTable(u.table());
                if (key != null && k.version() != key.version()) {
                    return encode(keys, updates); // several keys: sections, as the commit log writes them
                }
                key = k;
                tenant = u.table().tenant();
            }
        }
        byte[] clear = encodeClear(updates);
        int rawLength = clear.length - 8;
        byte[] packed = new byte[4 + LZ4.maxCompressedLength(rawLength)];
        ByteBuffer.wrap(packed).putInt(rawLength);
        int packedLength = 4 + LZ4.compress(clear, 8, rawLength, packed, 4, packed.length - 4);
        try {
            ByteSink bytes = new ByteSink(packedLength + 64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            if (key == null) {
                out.writeInt(COMPRESSED);
                out.write(packed, 0, packedLength);
            } else {
                out.writeInt(COMPRESSED_ENCRYPTED);
                out.writeUTF(tenant);
                out.writeInt(key.version());
                byte[] nonce = Aead.nextNonce();
                out.write(nonce);
                out.write(Aead.seal(key, nonce, packed, 0, packedLength));
            }
            out.flush();
            return seal(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The updates of a compressed history record's {@code raw length | lz4(count | updates)}. */
    private static List<PartitionUpdate> unpack(byte[] packed, int at, int length) throws IOException {
        int rawLength = ByteBuffer.wrap(packed, at, 4).getInt();
        if (rawLength < 4 || rawLength > 256 << 20) {
            throw new IOException("a history record claims " + rawLength + " bytes");
        }
        byte[] raw = new byte[rawLength];
        if (UNLZ4.decompress(packed, at + 4, length - 4, raw, 0, rawLength) != rawLength) {
            throw new IOException("a history record does not decompress to its " + rawLength + " bytes");
        }
        DataInputStream in = new DataInputStream(new ByteSource(raw));
        int count = in.readInt();
        List<PartitionUpdate> updates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            updates.add(ModelCodec.readUpdate(in));
        }
        return updates;
    }

    /** Numbers of the history logs (extracted at retirement) in the store, ascending. */
    public static List<Long> existingHistory(LogStore store) {
        List<Long> numbers = new ArrayList<>();
        for (String n : store.list(StorageKeys.HISTORY_LOG_PREFIX).toCompletableFuture().join()) {
            StorageKeys.historyLogNumber(n).ifPresent(numbers::add);
        }
        numbers.sort(Long::compare);
        return numbers;
    }

    /**
     * Extracts from log {@code n} what point-in-time recovery needs: the updates of tables {@code keep} accepts, with
     * their commit times, one record per group commit (re-sealed under each table's key), written as history log
     * {@code n} in one chunk. The log's other records (other tables, the usage ledger's rows) and its framing per
     * write are left behind. Returns the bytes written per table (empty: nothing to keep, nothing written).
     */
    public static Map<UUID, Long> extract(LogStore store, long n, KeyRing keys, Predicate<UUID> keep)
            throws IOException {
        ByteSink out = new ByteSink();
        Map<UUID, Long> bytes = new HashMap<>();
        long[] groupTime = {Long.MIN_VALUE};
        List<PartitionUpdate> group = new ArrayList<>();
        Runnable emit = () -> {
            if (group.isEmpty()) {
                return;
            }
            byte[] time = timeRecord(groupTime[0]);
            byte[] record = encodeCompressed(keys, group);
            out.write(time, 0, time.length);
            out.write(record, 0, record.length);
            long share = (time.length + record.length) / group.size();
            for (PartitionUpdate u : group) {
                bytes.merge(u.table().id(), share, Long::sum);
            }
            group.clear();
        };
        replayTimed(store, n, keys, (time, updates) -> {
            if (time != groupTime[0]) {
                emit.run();
                groupTime[0] = time;
            }
            for (PartitionUpdate u : updates) {
                if (keep.test(u.table().id())) {
                    group.add(u);
                }
            }
        });
        emit.run();
        String name = StorageKeys.historyLog(n);
        store.delete(name).toCompletableFuture().join(); // a crash may have left an earlier extraction
        if (out.size() > 0) {
            store.append(name, 1, out.toByteArray()).toCompletableFuture().join();
        }
        return bytes;
    }

    public static void delete(LogStore store, long n) {
        store.delete(name(n)).toCompletableFuture().join();
    }

    @Override
    public void close() {
        force();
    }

    /** A crash: pending (unacknowledged) records are dropped. */
    void closeWithoutForce() {
        pending.reset();
    }
}
