package io.strata.storage.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Durable, versioned documents owned by the layers above storage: each tenant's CQL schema, the tenant
 * registry. A document is an opaque byte array with a version that increases by one per commit.
 * {@link #commit} is a compare-and-set: it succeeds only when the stored version equals
 * {@code expectedVersion} (0 = the document does not exist yet), and it is durable when its stage completes.
 * Thread-safe.
 */
public interface CatalogStore {
    record Versioned(long version, byte[] content) {}

    CompletionStage<Optional<Versioned>> load(String name);

    /** @return the new version; fails with {@link CommitConflictException} when another commit won. */
    CompletionStage<Long> commit(String name, long expectedVersion, byte[] content);

    /** Names of all documents whose name starts with {@code prefix}, sorted. */
    CompletionStage<List<String>> list(String prefix);
}
