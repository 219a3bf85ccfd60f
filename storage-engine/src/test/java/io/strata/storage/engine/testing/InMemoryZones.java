package io.strata.storage.engine.testing;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.EngineStorage;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.testing.FaultInjectingBlobStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Three zones in memory, each with a commit log and a data store (an {@link InMemoryBlobStore} behind a
 * {@link FaultInjectingBlobStore}), replicated as the gateway composes local zones: a {@link QuorumLogStore}
 * and a {@link ReplicatedBlobStore}. The zones outlive the engines opened on them, so what an engine's
 * commit log acknowledged survives a simulated crash and a reopen, as a forced file does. A zone (both its
 * stores) can be taken down and brought back, wiped or corrupted through {@link #data} and {@link #log}.
 * Thread-safe.
 */
public final class InMemoryZones {
    public static final int ZONES = 3;

    private final List<InMemoryBlobStore> data = new ArrayList<>();
    private final List<InMemoryBlobStore> logs = new ArrayList<>();
    private final List<FaultInjectingBlobStore> dataFaults = new ArrayList<>();
    private final List<FaultInjectingBlobStore> logFaults = new ArrayList<>();

    public InMemoryZones() {
        for (int i = 0; i < ZONES; i++) {
            data.add(new InMemoryBlobStore());
            logs.add(new InMemoryBlobStore());
            dataFaults.add(new FaultInjectingBlobStore(data.get(i)));
            logFaults.add(new FaultInjectingBlobStore(logs.get(i)));
        }
    }

    /** Opens an engine over the zones, with its working directory (lock, scratch files) in {@code localDir}. */
    public LsmEngine open(Path localDir, EngineOptions options, Clock clock) {
        return LsmEngine.open(storage(localDir), options, clock);
    }

    /** Fresh replicated stores over the zones, for one engine. */
    public EngineStorage storage(Path localDir) {
        requireNonNull(localDir, "localDir is null");
        List<LogStore> wal = new ArrayList<>();
        for (BlobStore zone : logFaults) {
            wal.add(new BlobLogStore(zone, StorageKeys.COMMIT_LOG_BLOB_PREFIX));
        }
        return new EngineStorage(new QuorumLogStore(wal), replicatedData(), localDir, 0);
    }

    /** A replicated view of the data zones (to repair or inspect them beside an engine). */
    public ReplicatedBlobStore replicatedData() {
        return new ReplicatedBlobStore(List.copyOf(dataFaults));
    }

    /** Zone {@code zone}'s data store, beneath fault injection. */
    public InMemoryBlobStore data(int zone) {
        return data.get(zone);
    }

    /** Zone {@code zone}'s commit log store (chunks as blobs under {@code wal/}), beneath fault injection. */
    public InMemoryBlobStore log(int zone) {
        return logs.get(zone);
    }

    /** Every commit-log chunk put to a zone completes {@code millis} after it was stored (an object store's PUT). */
    public void logLatency(long millis) {
        logFaults.forEach(z -> z.putLatency(millis));
    }

    /** The most commit-log chunk puts one zone had in flight at once. */
    public int maxLogPutsInFlight() {
        return logFaults.stream().mapToInt(FaultInjectingBlobStore::maxPutsInFlight).max().orElse(0);
    }

    /** Takes a zone (its commit log and its data store) down, or brings it back. */
    public void down(int zone, boolean down) {
        dataFaults.get(zone).down(down);
        logFaults.get(zone).down(down);
    }
}
