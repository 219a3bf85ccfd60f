package io.strata.storage.engine.segment;

import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Local copies of remote segments, least recently used first out once their total size exceeds the limit.
 * A copy is only an accelerator: blocks read from it are still checksummed, and any failure (the copy was
 * evicted, closed or damaged) falls back to the data store. Emptied on start, since segment keys are only
 * unique within a store. Thread-safe.
 */
final class DiskCache {
    private static final Logger LOG = Logger.getLogger(DiskCache.class);

    private record Entry(Path file, FileChannel channel, long size) {}

    private final Path dir;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    DiskCache(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.walk(dir)) {
                    old.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
                }
            }
            PrivateFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the segment disk cache in " + dir, e);
        }
    }

    /** Takes ownership of a complete local copy of {@code key} (moved into the cache). */
    void admit(String key, Path file) {
        try {
            Path target = dir.resolve(URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8));
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            FileChannel ch = FileChannel.open(target, StandardOpenOption.READ);
            synchronized (this) {
                Entry old = entries.put(key, new Entry(target, ch, ch.size()));
                if (old != null) {
                    bytes -= old.size();
                    closeQuietly(old, false);
                }
                bytes += ch.size();
                evictOverLimit();
            }
        } catch (IOException e) {
            LOG.debugf(e, "could not cache %s locally", key);
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Writes bytes as the cached copy of {@code key}. */
    void admit(String key, byte[] content) {
        try {
            Path tmp = PrivateFiles.createTempFile(dir, "fetch-", ".tmp");
            Files.write(tmp, content); // the temporary file exists (0600); this only fills it
            admit(key, tmp);
        } catch (IOException e) {
            LOG.debugf(e, "could not cache %s locally", key);
        }
    }

    synchronized boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The range from the local copy, or empty when there is none (or it failed). */
    Optional<byte[]> read(String key, long offset, int length) {
        Entry e;
        synchronized (this) {
            e = entries.get(key);
        }
        if (e == null || offset + length > e.size()) {
            return Optional.empty();
        }
        try {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (e.channel().read(b, offset + b.position()) < 0) {
                    return Optional.empty();
                }
            }
            return Optional.of(b.array());
        } catch (IOException ex) {
            return Optional.empty();
        }
    }

    synchronized void evict(String key) {
        Entry e = entries.remove(key);
        if (e != null) {
            bytes -= e.size();
            closeQuietly(e, true);
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    private void evictOverLimit() {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Entry e = it.next().getValue();
            it.remove();
            bytes -= e.size();
            closeQuietly(e, true);
        }
    }

    private static void closeQuietly(Entry e, boolean delete) {
        try {
            e.channel().close();
            if (delete) {
                Files.deleteIfExists(e.file());
            }
        } catch (IOException ignored) {
            // a cache file that cannot be removed is retried on the next start
        }
    }

    synchronized void close() {
        entries.values().forEach(e -> closeQuietly(e, false));
        entries.clear();
    }
}
