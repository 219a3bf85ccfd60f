package io.strata.storage.spi.blob;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A flat namespace of immutable-by-convention blobs ("objects"), keyed by strings of {@code [A-Za-z0-9._/-]}.
 *
 * <p><b>Durability:</b> when a {@link #put} stage completes normally the blob survives a crash and power loss
 * of this process and machine (local: forced file and directory; S3: the store's acknowledgement).
 * <b>Atomicity:</b> a reader sees either no blob or the whole content, never a partial one.
 * <b>Conditional writes</b> are atomic compare-and-set: of racing {@code CREATE_IF_ABSENT} puts of one key
 * exactly one wins; {@code IF_MATCH} replaces only the version whose etag is given. A lost condition fails
 * the stage with {@link PreconditionFailedException}. Because some stores may answer a conditional write
 * with an I/O error although it landed, callers decide winners by reading back a unique token they wrote.
 * <b>Listing</b> is in lexicographic (UTF-8 byte) key order. Missing keys: {@link #read} fails with
 * {@link NoSuchBlobException}; {@link #head} returns empty; {@link #delete} ignores them.
 *
 * <p>Thread-safe. Stages complete on the store's own threads.
 */
public interface BlobStore extends AutoCloseable {
    record BlobInfo(String key, long size, String etag) {
        public BlobInfo {
            requireNonNull(key, "key is null");
            requireNonNull(etag, "etag is null");
        }
    }

    /** How a put treats an existing blob. */
    sealed interface PutMode {
        PutMode OVERWRITE = new Overwrite();
        PutMode CREATE_IF_ABSENT = new CreateIfAbsent();

        record Overwrite() implements PutMode {}

        record CreateIfAbsent() implements PutMode {}

        record IfMatch(String etag) implements PutMode {
            public IfMatch {
                requireNonNull(etag, "etag is null");
            }
        }

        static PutMode ifMatch(String etag) {
            return new IfMatch(etag);
        }
    }

    CompletionStage<Optional<BlobInfo>> head(String key);

    /** {@code length} bytes from {@code offset} (fewer only at the end of the blob). */
    CompletionStage<byte[]> read(String key, long offset, int length);

    /**
     * {@link #read}, for a caller whose thread may block (a read thread): the bytes, or the exception the stage
     * would fail with, unwrapped. Stores whose reads are cheap local I/O override it to read in the calling
     * thread, saving a hop to their own threads and back; this default waits for {@link #read}.
     */
    default byte[] readBlocking(String key, long offset, int length) {
        return join(read(key, offset, length));
    }

    /** Waits for a stage of a store, rethrowing its runtime failure as itself (not wrapped). */
    static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    CompletionStage<byte[]> readAll(String key);

    CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode);

    /**
     * Puts the content of a local file, with the guarantees of {@link #put(String, byte[], PutMode)}; the file
     * is not modified. Stores override this to stream large blobs (segments) instead of holding them in
     * memory; this default reads the file whole.
     */
    default CompletionStage<BlobInfo> put(String key, java.nio.file.Path file, PutMode mode) {
        byte[] content;
        try {
            content = java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(new java.io.UncheckedIOException(e));
        }
        return put(key, content, mode);
    }

    /** Up to {@code max} blobs whose key starts with {@code prefix} and sorts after {@code startAfter} (null: from the start). */
    CompletionStage<List<BlobInfo>> list(String prefix, String startAfter, int max);

    /** Deletes the keys; not atomic across keys; missing keys are ignored. */
    CompletionStage<Void> delete(Collection<String> keys);

    @Override
    void close();
}
