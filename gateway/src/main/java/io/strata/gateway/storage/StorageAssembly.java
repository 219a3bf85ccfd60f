package io.strata.gateway.storage;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.EngineStorage;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.engine.replication.ZoneRepair;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.StorageRepair;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.crypto.KeyProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The opened storage, composed in this one place for every backend: the backend's zone stores, replication
 * across them where the backend asks for it ({@link QuorumLogStore} for the commit log,
 * {@link ReplicatedBlobStore} for the data), the {@link LsmEngine} over them, and background
 * {@link ZoneRepair}. Backends know nothing of the engine or of replication.
 *
 * <p>Everything opened is closed, in reverse order, on {@link #close} and also when opening fails
 * half-way: the stores opened so far, or the engine (which then owns and closes the stores). Thread-safe
 * once open; closed once, at shutdown.
 */
public final class StorageAssembly implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StorageAssembly.class);

    private final LsmEngine engine;
    private final BlobStore data;
    private final ZoneRepair repair;
    private final String description;
    private final Closer opened;
    private final KeyProvider keys;

    private StorageAssembly(LsmEngine engine, BlobStore data, ZoneRepair repair, String description, Closer opened,
            KeyProvider keys) {
        this.keys = keys;
        this.engine = engine;
        this.data = data;
        this.repair = repair;
        this.description = description;
        this.opened = opened;
    }

    /** Opens the backend's stores, the engine over them and zone repair, without encryption at rest. */
    public static StorageAssembly open(StorageBackend backend, EngineOptions options, Duration repairInterval, Clock clock) {
        return open(backend, options, repairInterval, clock, null);
    }

    /**
     * Opens the backend's stores, the engine over them and zone repair (passes every {@code repairInterval});
     * {@code keys} (null: none) encrypts what the engine stores.
     */
    public static StorageAssembly open(StorageBackend backend, EngineOptions options, Duration repairInterval, Clock clock,
            KeyProvider keys) {
        requireNonNull(backend, "backend is null");
        requireNonNull(options, "options is null");
        requireNonNull(repairInterval, "repairInterval is null");
        requireNonNull(clock, "clock is null");
        Closer opened = new Closer();
        try {
            BackendStores stores = backend.open(opened);
            LOG.infof("Opening storage: %s", stores.description());
            Optional<QuorumLogStore> quorumLog = stores.commitLog().replicated()
                    ? Optional.of(new QuorumLogStore(stores.commitLog().stores())) : Optional.empty();
            Optional<ReplicatedBlobStore> replicatedData = stores.data().replicated()
                    ? Optional.of(new ReplicatedBlobStore(stores.data().stores())) : Optional.empty();
            LogStore wal = quorumLog.<LogStore>map(q -> q).orElseGet(() -> stores.commitLog().stores().get(0));
            BlobStore data = replicatedData.<BlobStore>map(r -> r).orElseGet(() -> stores.data().stores().get(0));
            LsmEngine engine = LsmEngine.open(new EngineStorage(wal, data, stores.localDir(), stores.diskCacheBytes(),
                    keys), options, clock);
            opened.handOver(engine); // the engine closes the stores from here on
            ZoneRepair repair = opened.register(new ZoneRepair(engine, replicatedData, quorumLog, clock));
            repair.start(repairInterval);
            return new StorageAssembly(engine, data, repair, stores.description(), opened, keys);
        } catch (RuntimeException | Error e) {
            opened.closeAfter(e);
            throw e;
        }
    }

    public StorageEngine engine() {
        return engine;
    }

    /**
     * The (replicated) data store, for the service's own small records outside the engine's {@code tables/} keys,
     * such as the tenant directory; zone repair covers them too.
     */
    public BlobStore blobs() {
        return data;
    }

    public StorageRepair repair() {
        return repair;
    }

    /** The master key provider, when encryption at rest is on. */
    public Optional<KeyProvider> keyProvider() {
        return Optional.ofNullable(keys);
    }

    /**
     * Rotates the master key: a local provider makes a new key current (an external KMS rotates its own keys), then
     * every data key is re-wrapped under the current key; no data is rewritten. Returns how many were re-wrapped.
     */
    public synchronized int rotateMasterKey() {
        if (keys == null) {
            throw new IllegalStateException("encryption at rest is off (strata.storage.encryption.enabled=false)");
        }
        if (keys instanceof io.strata.storage.local.LocalKeyProvider local) {
            local.rotate();
        }
        return engine.rewrapDataKeys();
    }

    /** Flushes and merges every table's segments into one (a major compaction), waiting for it. */
    public void compactFully() {
        engine.compactFully();
    }

    /** Runs garbage collection now (what the retention rules let go goes). */
    public void collectGarbage() {
        engine.collectGarbage();
    }

    /** Starts a new data key for the tenant (compaction moves older segments onto it); returns its version. */
    public int rotateDataKey(String tenant) {
        if (keys == null) {
            throw new IllegalStateException("encryption at rest is off (strata.storage.encryption.enabled=false)");
        }
        return engine.rotateDataKey(tenant);
    }

    /**
     * Creates the tenant's customer-managed key {@code name} in the local key provider; returns the identifier
     * tables name it by ({@code kms_key_identifier}).
     *
     * @throws IllegalStateException if encryption is off or the provider is an external KMS (keys are made there)
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    public String createCustomerKey(String tenant, String name) {
        return localKeys().createCustomerKey(tenant, name);
    }

    /** The names of the tenant's customer-managed keys in the local key provider. */
    public java.util.List<String> customerKeys(String tenant) {
        return localKeys().customerKeys(tenant);
    }

    private io.strata.storage.local.LocalKeyProvider localKeys() {
        if (keys == null) {
            throw new IllegalStateException("encryption at rest is off (strata.storage.encryption.enabled=false)");
        }
        if (!(keys instanceof io.strata.storage.local.LocalKeyProvider local)) {
            throw new IllegalStateException("customer managed keys are created in the external key management service "
                    + "(strata.storage.encryption.provider), not here; name its key id in kms_key_identifier");
        }
        return local;
    }

    /** The backend and its zones, for operators. */
    public String description() {
        return description;
    }

    /** Stops zone repair, then closes the engine (which flushes and closes the stores). */
    @Override
    public void close() {
        opened.close();
    }
}
