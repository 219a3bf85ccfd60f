package io.strata.storage.spi.blob;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link LogStore} over any {@link BlobStore}: each chunk is one blob {@code <prefix><log>/<sequence:020>}
 * created with CREATE_IF_ABSENT, so a chunk is durable and whole once its put completes, and a second writer
 * reusing a sequence number is refused. This is the commit log of stores without appends (S3): one object
 * per group commit. Thread-safe.
 */
public final class BlobLogStore implements LogStore {
    private static final int PAGE = 1000;

    private final BlobStore blobs;
    private final String prefix;

    public BlobLogStore(BlobStore blobs, String prefix) {
        this.blobs = requireNonNull(blobs, "blobs is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    private String key(String log, long sequence) {
        return prefix + log + "/" + String.format("%020d", sequence);
    }

    /** Appends in flight per log: each chunk is its own object, so puts overlap (an object store's latency). */
    public static final int APPENDS_IN_FLIGHT = 16;

    @Override
    public int maxAppendsInFlight() {
        return APPENDS_IN_FLIGHT;
    }

    @Override
    public CompletionStage<Void> append(String log, long sequence, byte[] data) {
        return blobs.put(key(log, sequence), data, BlobStore.PutMode.CREATE_IF_ABSENT).thenApply(i -> null);
    }

    @Override
    public CompletionStage<List<Chunk>> read(String log) {
        return listAll(prefix + log + "/", null, new ArrayList<>()).thenCompose(infos -> {
            List<CompletableFuture<Chunk>> reads = new ArrayList<>();
            for (BlobStore.BlobInfo info : infos) {
                String name = info.key().substring(info.key().lastIndexOf('/') + 1);
                if (!isChunkName(name)) {
                    continue; // not ours: e.g. an S3Proxy filesystem store's in-flight temporary "<key>-<uuid>"
                }
                long seq = Long.parseLong(name);
                reads.add(blobs.readAll(info.key()).thenApply(d -> new Chunk(seq, d)).toCompletableFuture());
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .thenApply(v -> reads.stream().map(CompletableFuture::join).toList());
        });
    }

    /** A chunk's object name: the sequence number in exactly 20 digits. */
    static boolean isChunkName(String name) {
        if (name.length() != 20) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private CompletionStage<List<BlobStore.BlobInfo>> listAll(String p, String after, List<BlobStore.BlobInfo> acc) {
        return blobs.list(p, after, PAGE).thenCompose(page -> {
            acc.addAll(page);
            if (page.size() < PAGE) {
                return CompletableFuture.completedFuture(acc);
            }
            return listAll(p, page.get(page.size() - 1).key(), acc);
        });
    }

    @Override
    public CompletionStage<List<String>> list(String logPrefix) {
        return listAll(prefix + logPrefix, null, new ArrayList<>()).thenApply(infos -> {
            TreeSet<String> names = new TreeSet<>();
            for (BlobStore.BlobInfo i : infos) {
                String rest = i.key().substring(prefix.length());
                int slash = rest.lastIndexOf('/');
                if (slash > 0) {
                    names.add(rest.substring(0, slash));
                }
            }
            return List.copyOf(names);
        });
    }

    @Override
    public CompletionStage<Void> delete(String log) {
        return listAll(prefix + log + "/", null, new ArrayList<>())
                .thenCompose(infos -> blobs.delete(infos.stream().map(BlobStore.BlobInfo::key).toList()));
    }

    @Override
    public void close() {
        // the blob store is owned by the caller
    }
}
