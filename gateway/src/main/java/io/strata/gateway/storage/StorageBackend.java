package io.strata.gateway.storage;

/**
 * A place to keep data, selected by {@code strata.storage.type}: implementations are
 * {@code @ApplicationScoped @Identifier("<type>")} beans, chosen by name through CDI
 * ({@link StorageProducers}), so a new backend is a new bean, not a new case in a switch. A backend only
 * opens its stores (one commit log store and one blob store per zone); replication across the zones, the
 * engine and zone repair are composed by {@link StorageAssembly}, in one place for every backend.
 * Implementations are thread-safe.
 */
public interface StorageBackend {
    /**
     * Opens this backend's stores from its configuration. Each store is registered with {@code opened} as
     * soon as it is open, so that a failure half-way closes exactly what was opened.
     */
    BackendStores open(Closer opened);

    /** Threads serving reads when {@code strata.storage.engine.read-threads} is not set. */
    int defaultReadThreads();
}
