package io.strata.storage.spi.testing;

import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.NoSuchBlobException;
import io.strata.storage.spi.blob.PreconditionFailedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link BlobStore} in memory for engine tests; passes the same contract as the real backends. */
public final class InMemoryBlobStore implements BlobStore {
    private record Stored(byte[] content, String etag) {}

    private final ConcurrentSkipListMap<String, Stored> blobs = new ConcurrentSkipListMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public CompletionStage<Optional<BlobInfo>> head(String key) {
        Stored s = blobs.get(key);
        return CompletableFuture.completedFuture(Optional.ofNullable(s).map(x -> new BlobInfo(key, x.content.length, x.etag)));
    }

    @Override
    public CompletionStage<byte[]> read(String key, long offset, int length) {
        Stored s = blobs.get(key);
        if (s == null) {
            return CompletableFuture.failedFuture(new NoSuchBlobException(key));
        }
        int from = (int) Math.min(offset, s.content.length);
        return CompletableFuture.completedFuture(Arrays.copyOfRange(s.content, from, (int) Math.min(s.content.length, from + (long) length)));
    }

    @Override
    public CompletionStage<byte[]> readAll(String key) {
        Stored s = blobs.get(key);
        return s == null ? CompletableFuture.failedFuture(new NoSuchBlobException(key))
                : CompletableFuture.completedFuture(s.content.clone());
    }

    @Override
    public synchronized CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
        Stored current = blobs.get(key);
        if (mode instanceof PutMode.CreateIfAbsent && current != null) {
            return CompletableFuture.failedFuture(new PreconditionFailedException(key + " exists"));
        }
        if (mode instanceof PutMode.IfMatch m && (current == null || !current.etag.equals(m.etag()))) {
            return CompletableFuture.failedFuture(new PreconditionFailedException(key + " changed"));
        }
        Stored s = new Stored(content.clone(), "v" + versions.incrementAndGet());
        blobs.put(key, s);
        return CompletableFuture.completedFuture(new BlobInfo(key, content.length, s.etag));
    }

    @Override
    public CompletionStage<List<BlobInfo>> list(String prefix, String startAfter, int max) {
        List<BlobInfo> out = new ArrayList<>();
        Map<String, Stored> tail = startAfter == null ? blobs.tailMap(prefix, true) : blobs.tailMap(startAfter, false);
        for (Map.Entry<String, Stored> e : tail.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            if (!e.getKey().startsWith(prefix)) {
                if (e.getKey().compareTo(prefix) > 0) {
                    break;
                }
                continue;
            }
            out.add(new BlobInfo(e.getKey(), e.getValue().content.length, e.getValue().etag));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Void> delete(Collection<String> keys) {
        keys.forEach(blobs::remove);
        return CompletableFuture.completedFuture(null);
    }

    /** Test hook: flips one byte of a stored blob, as bit rot would. */
    public void corrupt(String key, int offset) {
        Stored s = blobs.get(key);
        byte[] c = s.content.clone();
        c[offset] ^= 0x5a;
        blobs.put(key, new Stored(c, s.etag));
    }

    /** Test hook: loses everything, as a wiped disk would. */
    public void wipe() {
        blobs.clear();
    }

    public int size() {
        return blobs.size();
    }

    @Override
    public void close() {
        // nothing to release
    }
}
