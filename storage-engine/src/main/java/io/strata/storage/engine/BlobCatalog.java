package io.strata.storage.engine;

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
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Catalog documents as immutable blobs {@code catalog/<name>/<version:020>} in the data store: a commit
 * creates version N+1 only if absent, so compare-and-set holds between processes sharing the store (on S3,
 * {@code If-None-Match: *}; over zones, a quorum of conditional creates). An inconclusive commit is decided
 * by reading the version back. Old versions are kept for point-in-time recovery. Thread-safe.
 */
final class BlobCatalog implements CatalogStore {
    private static final String ROOT = "catalog/";

    private final BlobStore data;
    private final Executor executor;

    BlobCatalog(BlobStore data, Executor executor) {
        this.data = data;
        this.executor = executor;
    }

    private static String prefix(String name) {
        if (name.contains("..") || name.startsWith("/") || name.isEmpty()) {
            throw new IllegalArgumentException("bad catalog name " + name);
        }
        return ROOT + name + "/";
    }

    private long latest(String name) {
        long v = 0;
        String p = prefix(name);
        for (String key : Blobs.listAll(data, p)) {
            String rest = key.substring(p.length());
            if (rest.matches("\\d{20}")) {
                v = Math.max(v, Long.parseLong(rest));
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
            return Optional.of(new Versioned(v, Blobs.join(data.readAll(prefix(name) + String.format("%020d", v)))));
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
            String key = prefix(name) + String.format("%020d", next);
            try {
                Blobs.join(data.put(key, content, PutMode.CREATE_IF_ABSENT));
                return next;
            } catch (PreconditionFailedException e) {
                throw new CommitConflictException("catalog " + name + " version " + next + " was committed concurrently");
            } catch (StorageException e) {
                // Inconclusive (e.g. a quorum neither accepted nor refused): the stored bytes decide.
                byte[] stored;
                try {
                    stored = Blobs.join(data.readAll(key));
                } catch (RuntimeException missing) {
                    throw e;
                }
                if (Arrays.equals(stored, content)) {
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
            for (String key : Blobs.listAll(data, ROOT + prefix)) {
                String k = key.substring(ROOT.length());
                int slash = k.lastIndexOf('/');
                if (slash > 0) {
                    names.add(k.substring(0, slash));
                }
            }
            return new ArrayList<>(names);
        }, executor);
    }
}
