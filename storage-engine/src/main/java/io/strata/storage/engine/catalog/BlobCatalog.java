package io.strata.storage.engine.catalog;

import io.strata.storage.engine.crypto.Envelope;
import io.strata.storage.engine.crypto.KeyRing;
import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.spi.CatalogStore;
import io.strata.storage.spi.CommitConflictException;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.PreconditionFailedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Catalog documents as immutable blobs {@code catalog/<name>/<version:020>} in the data store: a commit
 * creates version N+1 only if absent, so compare-and-set holds between processes sharing the store (on S3,
 * {@code If-None-Match: *}; over zones, a quorum of conditional creates). An inconclusive commit is decided
 * by reading the version back. Old versions are kept for point-in-time recovery.
 *
 * <p>With encryption on, a document is stored sealed ({@link Envelope}): a document named {@code <kind>/<tenant>}
 * (a tenant's schema) under that tenant's data key, any other under the service's ({@value #SERVICE}). Documents stored in the clear before are still read.
 * Thread-safe.
 */
public final class BlobCatalog implements CatalogStore {
    /** The owner of documents that belong to no tenant. */
    static final String SERVICE = "_strata";

    private final BlobStore data;
    private final Executor executor;
    private final KeyRing keys;

    /** A catalog in {@code data} whose blocking calls run on {@code executor}, in the clear. */
    public BlobCatalog(BlobStore data, Executor executor) {
        this(data, executor, KeyRing.disabled());
    }

    /** A catalog in {@code data} whose blocking calls run on {@code executor}, encrypted when {@code keys} is on. */
    public BlobCatalog(BlobStore data, Executor executor, KeyRing keys) {
        this.data = requireNonNull(data, "data is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.keys = requireNonNull(keys, "keys is null");
    }

    /** The tenant whose data key protects a document. */
    static String owner(String name) {
        int slash = name.indexOf('/');
        String tail = slash < 0 ? "" : name.substring(slash + 1);
        return tail.isEmpty() || tail.contains("/") ? SERVICE : tail;
    }

    private byte[] seal(String name, byte[] content) {
        return Envelope.seal(keys, owner(name), content);
    }

    private byte[] open(String name, long version, byte[] stored) {
        return Envelope.open(keys, stored, "catalog " + name + " version " + version);
    }

    private long latest(String name) {
        long v = 0;
        for (String key : Blobs.listAll(data, StorageKeys.catalogDocument(name))) {
            OptionalLong version = StorageKeys.catalogVersionOf(name, key);
            if (version.isPresent()) {
                v = Math.max(v, version.getAsLong());
            }
        }
        return v;
    }

    @Override
    public CompletionStage<Optional<Versioned>> load(String name) {
        return CompletableFuture.supplyAsync(() -> {
            long v = latest(name);
            if (v == 0) {
                return Optional.empty();
            }
            return Optional.of(new Versioned(v, open(name, v, Blobs.join(data.readAll(StorageKeys.catalogVersion(name, v))))));
        }, executor);
    }

    @Override
    public CompletionStage<Long> commit(String name, long expectedVersion, byte[] content) {
        return CompletableFuture.supplyAsync(() -> {
            long current = latest(name);
            if (current != expectedVersion) {
                throw new CommitConflictException("catalog " + name + " is at version " + current + ", not " + expectedVersion);
            }
            long next = expectedVersion + 1;
            String key = StorageKeys.catalogVersion(name, next);
            byte[] stored = seal(name, content);
            try {
                Blobs.join(data.put(key, stored, PutMode.CREATE_IF_ABSENT));
                return next;
            } catch (PreconditionFailedException e) {
                throw new CommitConflictException("catalog " + name + " version " + next + " was committed concurrently");
            } catch (StorageException e) {
                // Inconclusive (e.g. a quorum neither accepted nor refused): the stored bytes decide.
                byte[] found;
                try {
                    found = Blobs.join(data.readAll(key));
                } catch (RuntimeException missing) {
                    throw e;
                }
                if (Arrays.equals(found, stored)) {
                    return next;
                }
                throw new CommitConflictException("catalog " + name + " version " + next + " was committed concurrently");
            }
        }, executor);
    }

    @Override
    public CompletionStage<List<String>> list(String prefix) {
        return CompletableFuture.supplyAsync(() -> {
            TreeSet<String> names = new TreeSet<>();
            for (String key : Blobs.listAll(data, StorageKeys.CATALOG + prefix)) {
                StorageKeys.catalogNameOf(key).ifPresent(names::add);
            }
            return new ArrayList<>(names);
        }, executor);
    }
}
