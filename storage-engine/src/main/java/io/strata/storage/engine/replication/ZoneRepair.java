package io.strata.storage.engine.replication;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.LsmEngine;
import io.strata.storage.spi.EngineStats;
import io.strata.storage.spi.RepairPass;
import io.strata.storage.spi.RepairStatus;
import io.strata.storage.spi.StorageRepair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Repair without a human: periodically compares the zones and rebuilds lagging ones. The data store's
 * blobs that a zone lacks or holds corrupt are copied from an intact copy
 * ({@link ReplicatedBlobStore#repair}); a zone missing the current commit log (wiped or replaced while the
 * log was open, so its appends went to a file that no longer exists) makes the engine flush, which rolls
 * the log into a fresh file in every zone and moves the unflushed writes into segments that the next pass
 * copies. Stores that are not replicated by Strata are skipped (passes then copy nothing). Progress goes to
 * the log and to {@link #status()}. Thread-safe; passes never overlap.
 */
public final class ZoneRepair implements StorageRepair, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ZoneRepair.class);

    private final LsmEngine engine;
    private final Optional<ReplicatedBlobStore> data;
    private final Optional<QuorumLogStore> wal;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AtomicLong copiedTotal = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicReference<RepairPass> last = new AtomicReference<>();

    /**
     * @param data the engine's data store when Strata replicates it
     * @param wal the engine's commit log when Strata replicates it
     */
    public ZoneRepair(LsmEngine engine, Optional<ReplicatedBlobStore> data, Optional<QuorumLogStore> wal, Clock clock) {
        this.engine = requireNonNull(engine, "engine is null");
        this.data = requireNonNull(data, "data is null");
        this.wal = requireNonNull(wal, "wal is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-zone-repair");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts periodic passes. */
    public ZoneRepair start(Duration interval) {
        long ms = Math.max(100, interval.toMillis());
        timer.scheduleWithFixedDelay(this::runQuietly, ms, ms, TimeUnit.MILLISECONDS);
        return this;
    }

    private void runQuietly() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("zone repair pass failed; retrying at the next interval", e);
        }
    }

    @Override
    public synchronized RepairPass runOnce() {
        List<Integer> missing = List.of();
        boolean flushed = false;
        Optional<String> error = Optional.empty();
        if (wal.isPresent()) {
            EngineStats stats = engine.stats();
            missing = wal.get().zonesMissing(stats.commitLog());
            if (!missing.isEmpty() && stats.commitLogBytes() > 0) {
                LOG.warnf("zone(s) %s lack the open commit log %s (wiped or replaced): flushing to roll the log",
                        missing, stats.commitLog());
                try {
                    engine.flush();
                    flushed = true;
                } catch (RuntimeException e) {
                    error = Optional.of("flush: " + e.getMessage());
                }
            }
        }
        long copied = 0;
        if (data.isPresent()) {
            try {
                copied = data.get().repair("").toCompletableFuture().join();
            } catch (RuntimeException e) {
                error = Optional.of("repair: " + e.getMessage());
            }
        }
        copiedTotal.addAndGet(copied);
        passes.incrementAndGet();
        RepairPass pass = new RepairPass(clock.instant(), copied, missing, flushed, error);
        last.set(pass);
        if (copied > 0 || flushed) {
            LOG.infof("zone repair: %d blobs copied into lagging zones%s", copied, flushed ? ", commit log rolled" : "");
        }
        return pass;
    }

    @Override
    public RepairStatus status() {
        return new RepairStatus(passes.get(), copiedTotal.get(), Optional.ofNullable(last.get()));
    }

    /** Stops periodic passes (a running one finishes). */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
