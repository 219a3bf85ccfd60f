package io.strata.storage.engine.replication;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.LogStore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * The commit log over N zones: a chunk is appended to every zone in parallel and the append is
 * acknowledged once a quorum (N/2+1) has it durably, so an acknowledged write survives the loss of any
 * minority of zones. Reading merges the zones' intact chunks by sequence number (a chunk one zone missed
 * is taken from another). Thread-safe.
 */
public final class QuorumLogStore implements LogStore {
    private static final Logger LOG = Logger.getLogger(QuorumLogStore.class);

    private final List<LogStore> zones;
    private final int quorum;

    public QuorumLogStore(List<LogStore> zones) {
        this.zones = List.copyOf(requireNonNull(zones, "zones is null"));
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("at least one zone");
        }
        this.quorum = zones.size() / 2 + 1;
    }

    @Override
    public CompletionStage<Void> append(String log, long sequence, byte[] data) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        int[] ok = {0};
        int[] failed = {0};
        for (int z = 0; z < zones.size(); z++) {
            int zone = z;
            CompletionStage<Void> s;
            try {
                s = zones.get(z).append(log, sequence, data);
            } catch (RuntimeException e) {
                s = CompletableFuture.failedFuture(e);
            }
            s.whenComplete((v, e) -> {
                synchronized (ok) {
                    if (e == null) {
                        ok[0]++;
                    } else {
                        failed[0]++;
                        LOG.debugf(e, "commit log append to zone %d failed", zone);
                    }
                    if (ok[0] == quorum) {
                        acked.complete(null);
                    } else if (failed[0] > zones.size() - quorum) {
                        acked.completeExceptionally(new StorageException("commit log append reached fewer than a quorum ("
                                + quorum + ") of " + zones.size() + " zones", e));
                    }
                }
            });
        }
        return acked;
    }

    /** As many as the most constrained zone allows. */
    @Override
    public int maxAppendsInFlight() {
        return zones.stream().mapToInt(LogStore::maxAppendsInFlight).min().orElse(1);
    }

    @Override
    public CompletionStage<List<Chunk>> read(String log) {
        List<CompletableFuture<List<Chunk>>> reads = new ArrayList<>();
        for (LogStore z : zones) {
            reads.add(z.read(log).toCompletableFuture().exceptionally(e -> null));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(v -> {
            TreeMap<Long, Chunk> merged = new TreeMap<>();
            int answered = 0;
            for (CompletableFuture<List<Chunk>> r : reads) {
                List<Chunk> chunks = r.join();
                if (chunks != null) {
                    answered++;
                    chunks.forEach(c -> merged.putIfAbsent(c.sequence(), c));
                }
            }
            if (answered < quorum) {
                throw new StorageException("commit log " + log + ": fewer than a quorum of zones readable");
            }
            return List.copyOf(merged.values());
        });
    }

    @Override
    public CompletionStage<List<String>> list(String prefix) {
        List<CompletableFuture<List<String>>> lists = new ArrayList<>();
        for (LogStore z : zones) {
            lists.add(z.list(prefix).toCompletableFuture().exceptionally(e -> null));
        }
        return CompletableFuture.allOf(lists.toArray(CompletableFuture[]::new)).thenApply(v -> {
            TreeSet<String> names = new TreeSet<>();
            lists.forEach(l -> {
                if (l.join() != null) {
                    names.addAll(l.join());
                }
            });
            return List.copyOf(names);
        });
    }

    /** Zones (by index) that answered a listing without {@code log}: wiped or replaced since it started. */
    public List<Integer> zonesMissing(String log) {
        List<Integer> missing = new ArrayList<>();
        for (int z = 0; z < zones.size(); z++) {
            try {
                if (!zones.get(z).list(log).toCompletableFuture().join().contains(log)) {
                    missing.add(z);
                }
            } catch (RuntimeException unreachable) {
                // down, not wiped: its appends fail and it is caught up by the next roll
            }
        }
        return missing;
    }

    @Override
    public CompletionStage<Void> delete(String log) {
        List<CompletableFuture<Void>> deletes = new ArrayList<>();
        for (LogStore z : zones) {
            deletes.add(z.delete(log).toCompletableFuture().exceptionally(e -> null));
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        zones.forEach(LogStore::close);
    }
}
