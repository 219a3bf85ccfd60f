package io.strata.storage.engine.recovery;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.codec.ModelCodec;
import io.strata.storage.engine.crypto.Envelope;
import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.manifest.Manifest;
import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.manifest.WriterEpochs;
import io.strata.storage.engine.restore.Restorer;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.segment.SegmentStore;
import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.state.Tables;
import io.strata.storage.engine.wal.CommitLog;
import io.strata.storage.engine.wal.RetiredLogs;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RestoreStatus;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Opening an engine's storage (SlateDB's fencing scheme):
 * <ol>
 *   <li>claim a new writer epoch ({@link WriterEpochs});
 *   <li>for every table, load the newest manifest and its segments and commit the next version under this
 *       epoch, which fences any earlier writer (dropped tables are skipped);
 *   <li>read which commit logs are retired, then replay every other log in order, skipping records of
 *       dropped tables and of logs a table already flushed, and <b>seal</b> each replayed log by appending
 *       an empty chunk at its next sequence number, so an earlier writer still appending to it loses that
 *       number and is never acknowledged;
 *   <li>choose the first new log number: above every existing log and every number a manifest says is
 *       flushed, and embedding the epoch so writers never share a log.
 * </ol>
 * Stateless; runs once, on the opening thread.
 */
public final class Recovery {
    private static final Logger LOG = Logger.getLogger(Recovery.class);
    private static final int FENCING_ATTEMPTS = 20;

    /** What recovery found and claimed. */
    public record Recovered(ManifestStore manifests, Tables tables, RetiredLogs retired, long firstLog,
            Map<TableId, RestoreStatus> restores, Map<Long, Map<java.util.UUID, Long>> logTables) {
        public Recovered {
            requireNonNull(manifests, "manifests is null");
            requireNonNull(tables, "tables is null");
            requireNonNull(retired, "retired is null");
            restores = Map.copyOf(restores);
            logTables = Map.copyOf(logTables);
        }
    }

    private final BlobStore data;
    private final LogStore wal;
    private final SegmentStore segments;
    private final Clock clock;
    private final Tables tables = new Tables();
    private final Map<TableId, RestoreStatus> restores = new java.util.HashMap<>();
    private final Map<Long, Map<java.util.UUID, Long>> logTables = new java.util.HashMap<>();
    /** Unavailable tables' flushed log numbers: their later writes are still only in the log. */
    private final java.util.Map<TableId, Long> unflushedAfter = new java.util.HashMap<>();
    private ManifestStore manifests;

    private Recovery(BlobStore data, LogStore wal, SegmentStore segments, Clock clock) {
        this.data = requireNonNull(data, "data is null");
        this.wal = requireNonNull(wal, "wal is null");
        this.segments = requireNonNull(segments, "segments is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public static Recovered run(BlobStore data, LogStore wal, SegmentStore segments, Clock clock) throws IOException {
        return new Recovery(data, wal, segments, clock).run();
    }

    private Recovered run() throws IOException {
        long epoch = WriterEpochs.claim(data, clock);
        manifests = new ManifestStore(data, epoch, segments.keys());
        TreeMap<String, List<String>> byTable = Blobs.tableKeys(data);
        for (var e : byTable.entrySet()) {
            String root = e.getKey();
            if (e.getValue().contains(StorageKeys.restoreMarker(root))) {
                Restorer.Marker marker = Restorer.readMarker(data, segments.keys(), root);
                if (marker.state() != RestoreStatus.State.ACTIVE) {
                    // a restore the crash cut short: everything under its root is its own (borrowed segments live
                    // under their source's), so all of it goes
                    Blobs.join(data.delete(e.getValue()));
                    restores.put(marker.target(), new RestoreStatus(RestoreStatus.State.FAILED, 0, 0,
                            "the restore from " + marker.from() + " was interrupted by a restart; start it again"));
                    LOG.warnf("Removed %s: its restore from %s was interrupted", marker.target(), marker.from());
                    continue;
                }
                restores.put(marker.target(), new RestoreStatus(RestoreStatus.State.ACTIVE, 0, 0, null));
            }
            if (e.getValue().contains(StorageKeys.tableIdentity(root))
                    && e.getValue().stream().anyMatch(k -> StorageKeys.isManifest(root, k))) {
                loadAndFence(root, e.getValue().contains(StorageKeys.tableEncryption(root)));
            }
        }
        RetiredLogs retired = new RetiredLogs(data, wal);
        retired.load();
        List<Long> logs = CommitLog.existing(wal);
        long replayed = 0;
        int replayedLogs = 0;
        for (long n : logs) {
            if (retired.contains(n)) {
                continue;
            }
            long[] count = {0};
            Map<java.util.UUID, Long> writers = new java.util.HashMap<>();
            logTables.put(n, writers);
            long lastChunk = CommitLog.replay(wal, n, segments.keys(), (file, updates) -> {
                for (PartitionUpdate u : updates) {
                    writers.merge(u.table().id(), (long) u.rows().size() * 64 + 64, Long::sum); // an estimate
                    Table t = tables.get(u.table());
                    if (t != null && file > t.manifest().flushedLog()) {
                        tables.addMemtableBytes(t.apply(u));
                        count[0]++;
                    } else if (t == null && tables.isUnavailable(u.table())
                            && file > unflushedAfter.getOrDefault(u.table(), Long.MAX_VALUE)) {
                        // acknowledged writes only its key can hold in memory; the log must not be retired without them
                        throw new KeyUnavailableException(tables.missing(u.table()).getMessage()
                                + "; it has writes not yet flushed, so storage cannot open until the key is back");
                    }
                }
            });
            // Seal the log: a previous writer still appending to it would need this sequence number and loses.
            CommitLog.seal(wal, n, lastChunk + 1);
            replayed += count[0];
            replayedLogs++;
        }
        // New log numbers exceed every earlier one and every number a manifest says is flushed (logs deleted
        // after a flush leave no file to count from), and embed the epoch so writers never share a log.
        long first = Math.max(epoch << 32, logs.isEmpty() ? 1 : logs.get(logs.size() - 1) + 1);
        for (Table t : tables.all()) {
            first = Math.max(first, t.manifest().flushedLog() + 1);
        }
        LOG.infof("Storage opened (writer epoch %d): %d tables, %d partition updates replayed from %d commit log files",
                epoch, tables.size(), replayed, replayedLogs);
        return new Recovered(manifests, tables, retired, first, restores, logTables);
    }

    /**
     * Loads a table's newest manifest and segments and commits the next version under this epoch, which
     * fences any earlier writer. Losing that race to an earlier epoch (a zombie writer still finishing a
     * flush or compaction) means its version is newer: reload and fence again.
     */
    private void loadAndFence(String root, boolean customerKey) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Manifest m = manifests.loadLatest(root);
            if (m.dropped()) {
                return;
            }
            TableId id = ModelCodec.decodeTableId(Envelope.open(segments.keys(),
                    Blobs.join(data.readAll(StorageKeys.tableIdentity(root))), "table identity " + root));
            if (customerKey) {
                // before the log is replayed: a flush of replayed data must use the table's key, not the tenant's
                segments.keys().useCustomerKey(id, new String(Envelope.open(segments.keys(),
                        Blobs.join(data.readAll(StorageKeys.tableEncryption(root))), "key setting of " + root),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
            Table t = new Table(id, m);
            List<Segment> segs = new ArrayList<>();
            try {
                for (long sid : m.segments()) {
                    segs.add(segments.open(id, m.segmentRoot(root, sid), sid));
                }
            } catch (KeyUnavailableException e) {
                if (!customerKey) {
                    throw e; // the service's keys: storage must not open without them
                }
                // the tenant's own key is gone (revoked or deleted): this table only is unavailable, until restart
                segs.forEach(Segment::close);
                String key = segments.keys().customerKey(id);
                LOG.errorf("table %s is unavailable: its customer managed key '%s' cannot be used (%s)", id, key,
                        e.getMessage());
                unflushedAfter.put(id, m.flushedLog());
                tables.markUnavailable(id, "table " + id.keyspace() + "." + id.table() + " is inaccessible: its "
                        + "customer managed key '" + key + "' is unavailable (revoked, disabled or deleted); restore "
                        + "the key and restart, or drop the table");
                return;
            }
            Collections.reverse(segs);
            t.open(segs);
            try {
                t.commit(manifests, m.next(manifests.epoch(), clock.millis(), m.segments(), m.flushedLog()));
                tables.put(t);
                return;
            } catch (StorageException raced) {
                segs.forEach(Segment::close);
                if (manifests.fenced() || attempt >= FENCING_ATTEMPTS) {
                    throw raced;
                }
                LOG.infof("manifest of %s changed while fencing (%s); reloading", id, raced.getMessage());
            }
        }
    }
}
