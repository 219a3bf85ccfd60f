package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.engine.testing.InMemoryZones;
import io.strata.storage.engine.testing.MutableClock;
import io.strata.storage.spi.BackupInfo;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.RestoreStatus;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.TableSettings;
import io.strata.storage.spi.blob.BlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time restore and backups on three in-memory zones with a hand-moved clock: a restored table equals a model
 * of the source at every chosen instant (before and after flushes and a compaction, several writes inside one second,
 * deletes); dropped tables restore up to their drop; backups outlive their table; shared segments outlive the
 * table that wrote them while a restored table or a backup lists them; a restore cut short by a crash leaves nothing
 * behind; a table without point-in-time recovery keeps no history, and one with it keeps its own records in history
 * logs extracted at retirement.
 */
class TestPointInTimeRestore {
    private static final String TENANT = "acme";
    private static final long RETENTION = 35L * 24 * 3600;

    @TempDir
    Path dir;

    private final InMemoryZones zones = new InMemoryZones();
    private final MutableClock clock = new MutableClock();
    private final EngineOptions options = EngineOptions.defaults().withRetention(RETENTION, 3600);
    private long micros = 1;

    private LsmEngine open() {
        return zones.open(dir.resolve("local"), options, clock);
    }

    private static TableId table(String name) {
        return new TableId(TENANT, "ks", name, UUID.randomUUID());
    }

    private static PartitionKey key(String k) {
        return PartitionKey.of(k.getBytes(StandardCharsets.UTF_8));
    }

    private void put(LsmEngine e, TableId t, String k, String v) {
        long ts = micros++;
        e.apply(List.of(PartitionUpdate.ofRows(t, key(k), List.of(Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0),
                List.of(Cell.live("v", null, ts, v.getBytes(StandardCharsets.UTF_8)))))))).toCompletableFuture().join();
    }

    private void delete(LsmEngine e, TableId t, String k) {
        e.apply(List.of(PartitionUpdate.deletePartition(t, key(k), new DeletionTime(micros++,
                (int) (clock.millis() / 1000))))).toCompletableFuture().join();
    }

    /** Every live row of the table: key to value. */
    private static Map<String, String> rows(LsmEngine e, TableId t) {
        Map<String, String> out = new TreeMap<>();
        for (PartitionData p : e.read(new ReadQuery(t, PartitionSelection.TokenRange.ALL, List.of(Slice.ALL), false,
                null, Integer.MAX_VALUE, Integer.MAX_VALUE, (int) (System.currentTimeMillis() / 1000), null))
                .toCompletableFuture().join().partitions()) {
            if (!p.rows().isEmpty()) {
                out.put(new String(p.key().key(), StandardCharsets.UTF_8),
                        new String(p.rows().get(0).cells().get(0).value(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void pitr(LsmEngine e, TableId t) {
        e.createTable(t).toCompletableFuture().join();
        e.configureTable(t, new TableSettings(864_000, null, true)).toCompletableFuture().join();
    }

    /** Restores and waits for the outcome. */
    private static RestoreStatus restore(LsmEngine e, TableId source, long at, TableId target) {
        e.restoreTable(source, at, target).toCompletableFuture().join();
        return await(e, target);
    }

    private static RestoreStatus await(LsmEngine e, TableId target) {
        for (int i = 0; i < 600; i++) {
            RestoreStatus s = e.restoreStatus(target);
            if (s != null && s.state() != RestoreStatus.State.CREATING) {
                return s;
            }
            sleep(50);
        }
        throw new AssertionError("restore of " + target + " did not finish: " + e.restoreStatus(target));
    }

    /** Twenty minutes: a few steps per checkpoint interval, so garbage collection thins the history between. */
    private void tick() {
        clock.advance(Duration.ofMinutes(20));
    }

    @Test
    void aRestoreEqualsTheModelAtEveryInstant() {
        LsmEngine e = open();
        TableId s = table("orders");
        pitr(e, s);
        Map<String, String> model = new TreeMap<>();
        Map<Long, Map<String, String>> snapshots = new LinkedHashMap<>();
        long beforeAnything = clock.millis();

        tick();
        put(e, s, "a", "1");
        put(e, s, "b", "1");
        model.put("a", "1");
        model.put("b", "1");
        snapshots.put(clock.millis(), new TreeMap<>(model));

        tick();
        put(e, s, "a", "2");
        delete(e, s, "b");
        model.put("a", "2");
        model.remove("b");
        snapshots.put(clock.millis(), new TreeMap<>(model));

        tick();
        e.flush(); // now in a segment; the instants before stay in the log tail of older manifests
        tick();
        put(e, s, "c", "1");
        put(e, s, "c", "2"); // two writes inside one second: the instant sees the last
        model.put("c", "2");
        snapshots.put(clock.millis(), new TreeMap<>(model));

        for (int round = 0; round < 4; round++) { // enough flushes for a compaction of the table's segments
            tick();
            put(e, s, "r" + round, "x" + round);
            model.put("r" + round, "x" + round);
            e.flush();
            snapshots.put(clock.millis(), new TreeMap<>(model));
        }
        for (int i = 0; i < 200 && e.table(s).segments().size() > 2; i++) {
            sleep(50);
        }
        assertThat(e.table(s).segments().size()).as("compacted").isLessThanOrEqualTo(2);
        tick();
        put(e, s, "a", "3");
        delete(e, s, "c");
        model.put("a", "3");
        model.remove("c");
        snapshots.put(clock.millis(), new TreeMap<>(model));
        tick();
        put(e, s, "z", "after-the-last-instant");

        String root = "tables/" + TENANT + "/" + s.id() + "/";
        long manifestsBefore = keys(root).stream().filter(k -> k.contains("/manifest/")).count();
        e.collectGarbage(); // keeps one manifest per hour (and what it lists): every instant must still restore
        assertThat(keys(root).stream().filter(k -> k.contains("/manifest/")).count()).isLessThan(manifestsBefore);

        int n = 0;
        Map<TableId, Map<String, String>> restored = new LinkedHashMap<>();
        // every instant restored at once: the restores build side by side
        for (var snap : snapshots.entrySet()) {
            TableId target = table("restored_" + n++);
            e.restoreTable(s, snap.getKey(), target).toCompletableFuture().join();
            restored.put(target, snap.getValue());
        }
        n = 0;
        for (var r : restored.entrySet()) {
            RestoreStatus status = await(e, r.getKey());
            assertThat(status.state()).as("%s", status).isEqualTo(RestoreStatus.State.ACTIVE);
            assertThat(rows(e, r.getKey())).as("restored at instant %d", n++).isEqualTo(r.getValue());
        }
        // a millisecond before the first writes: an empty table
        TableId empty = table("empty");
        assertThat(restore(e, s, snapshots.keySet().iterator().next() - 1, empty).state())
                .isEqualTo(RestoreStatus.State.ACTIVE);
        assertThat(rows(e, empty)).isEmpty();
        assertThat(rows(e, s)).as("the source is untouched").containsEntry("z", "after-the-last-instant")
                .containsEntry("a", "3");
        // before the table existed, and in the future: refused with a reason
        assertThatThrownBy(() -> e.restoreTable(s, beforeAnything - 60_000, table("x")).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasMessageContaining("the earliest restorable instant");
        assertThatThrownBy(() -> e.restoreTable(s, clock.millis() + 60_000, table("y")).toCompletableFuture().join())
                .hasMessageContaining("in the future");
        assertThatThrownBy(() -> e.restoreTable(s, clock.millis(), s).toCompletableFuture().join())
                .hasMessageContaining("already exists");

        // restored tables survive a restart like any other
        e.close();
        LsmEngine reopened = open();
        restored.forEach((target, expected) -> {
            assertThat(reopened.restoreStatus(target).state()).isEqualTo(RestoreStatus.State.ACTIVE);
            assertThat(rows(reopened, target)).isEqualTo(expected);
        });
        reopened.close();
    }

    @Test
    void aDroppedTableRestoresUpToItsDropAndNotAfter() {
        LsmEngine e = open();
        TableId s = table("gone");
        pitr(e, s);
        tick();
        put(e, s, "k", "flushed");
        e.flush();
        tick();
        put(e, s, "k2", "only-in-the-log");
        long beforeDrop = clock.millis();
        tick();
        e.dropTable(s).toCompletableFuture().join();
        e.collectGarbage();
        assertThat(e.historyBytes(s)).as("a dropped table's segments are its history now").isPositive();
        tick();
        TableId back = table("gone_restored");
        assertThat(restore(e, s, beforeDrop, back).state()).isEqualTo(RestoreStatus.State.ACTIVE);
        assertThat(rows(e, back)).containsExactlyEntriesOf(new TreeMap<>(Map.of("k", "flushed", "k2", "only-in-the-log")));
        assertThatThrownBy(() -> e.restoreTable(s, clock.millis(), table("late")).toCompletableFuture().join())
                .hasMessageContaining("was dropped at");
        e.close();
    }

    @Test
    void sharedSegmentsOutliveTheirTableWhileARestoreOrBackupListsThem() {
        LsmEngine e = open();
        TableId s = table("source");
        pitr(e, s);
        for (int i = 0; i < 50; i++) {
            put(e, s, "k" + i, "v" + i);
        }
        e.flush();
        tick();
        long at = clock.millis();
        BackupInfo backup = e.createBackup(s, "nightly", "schema-bytes".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().join();
        assertThat(backup.bytes()).isPositive();
        assertThatThrownBy(() -> e.createBackup(s, "nightly", new byte[0]).toCompletableFuture().join())
                .hasMessageContaining("already exists");
        TableId restored = table("restored");
        assertThat(restore(e, s, at, restored).state()).isEqualTo(RestoreStatus.State.ACTIVE);
        // the source moves on: overwrites, compaction, then it is dropped and its window passes
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 50; i++) {
                put(e, s, "k" + i, "new" + round);
            }
            e.flush();
        }
        e.dropTable(s).toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(RETENTION + 3600));
        e.collectGarbage();
        assertThat(rows(e, restored)).hasSize(50).containsEntry("k7", "v7");
        e.close();

        LsmEngine reopened = open();
        assertThat(rows(reopened, restored)).hasSize(50).containsEntry("k7", "v7");
        TableId fromBackup = table("from_backup");
        reopened.restoreBackup("nightly", fromBackup).toCompletableFuture().join();
        assertThat(await(reopened, fromBackup).state()).isEqualTo(RestoreStatus.State.ACTIVE);
        assertThat(rows(reopened, fromBackup)).hasSize(50).containsEntry("k7", "v7");
        assertThat(reopened.listBackups(TENANT).toCompletableFuture().join()).extracting(BackupInfo::name)
                .containsExactly("nightly");
        String sourceRoot = "tables/" + TENANT + "/" + s.id() + "/";
        assertThat(keys(sourceRoot).stream().filter(k -> k.endsWith(".seg")).count())
                .as("only the shared segments of the dropped source are left").isPositive();

        // nothing lists them any more: they go
        reopened.deleteBackup(TENANT, "nightly").toCompletableFuture().join();
        reopened.dropTable(restored).toCompletableFuture().join();
        reopened.dropTable(fromBackup).toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(3600));
        reopened.collectGarbage(); // the restored tables had no PITR: gone after the grace
        reopened.collectGarbage(); // then the source's last segments
        assertThat(keys(sourceRoot)).isEmpty();
        reopened.close();
    }

    @Test
    void aRestoreCutShortByACrashLeavesNothingAndTheSourceIsIntact() {
        LsmEngine e = open();
        TableId s = table("big");
        pitr(e, s);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long ts = micros++;
            acks.add(e.apply(List.of(PartitionUpdate.ofRows(s, key("k" + i), List.of(Row.of(Clustering.EMPTY,
                    LivenessInfo.of(ts, 0, 0), List.of(Cell.live("v", null, ts, new byte[100]))))))).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        TableId target = table("interrupted");
        e.restoreTable(s, clock.millis(), target).toCompletableFuture().join();
        e.simulateCrash();

        LsmEngine reopened = open();
        RestoreStatus status = reopened.restoreStatus(target);
        String root = "tables/" + TENANT + "/" + target.id() + "/";
        if (status == null || status.state() == RestoreStatus.State.FAILED) {
            // cut short before its marker was written (nothing to know of it), or after: either way nothing is left
            assertThat(status == null || status.error().contains("interrupted")).as("%s", status).isTrue();
            assertThat(keys(root)).as("the half-built table is removed").isEmpty();
        } else {
            assertThat(status.state()).isEqualTo(RestoreStatus.State.ACTIVE); // it finished before the crash
            assertThat(rows(reopened, target)).hasSize(20_000);
        }
        assertThat(rows(reopened, s)).hasSize(20_000);
        reopened.close();
    }

    @Test
    void replacedSegmentsStayWhileAReadHoldsThemAndGoWhenItEnds() {
        LsmEngine e = open();
        TableId plain = table("pinned");
        e.createTable(plain).toCompletableFuture().join();
        for (int i = 0; i < 100; i++) {
            put(e, plain, "k" + i, "v0");
        }
        e.flush();
        String root = "tables/" + TENANT + "/" + plain.id() + "/";
        List<String> held;
        try (var view = e.table(plain).pin()) {
            held = view.segments().stream().map(io.strata.storage.engine.segment.Segment::key).toList();
            assertThat(held).isNotEmpty();
            for (int i = 0; i < 100; i++) {
                put(e, plain, "k" + i, "v1");
            }
            e.flush();
            e.compactFully();
            assertThat(e.table(plain).segments()).noneMatch(s -> held.contains(s.key()));
            e.collectGarbage(); // no time passes: only the pin keeps them
            assertThat(keys(root)).as("segments a read holds stay after the compaction replaced them")
                    .containsAll(held);
        }
        e.collectGarbage();
        assertThat(keys(root)).as("and go at the first collection after the read ends, with no grace")
                .doesNotContainAnyElementsOf(held);
        assertThat(rows(e, plain)).hasSize(100).containsEntry("k7", "v1");
        e.close();
    }

    @Test
    void aTableWithoutPitrRecyclesItsLogsAndCompactionInputs() {
        LsmEngine e = open();
        TableId plain = table("plain");
        e.createTable(plain).toCompletableFuture().join();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 100; i++) {
                put(e, plain, "k" + i, "v" + round);
            }
            e.flush();
        }
        for (int i = 0; i < 200 && e.table(plain).segments().size() > 1; i++) {
            sleep(50);
        }
        assertThat(logs()).as("flushed logs of a table without PITR are deleted at once").isLessThanOrEqualTo(1);
        clock.advance(Duration.ofSeconds(11));
        e.collectGarbage();
        String root = "tables/" + TENANT + "/" + plain.id() + "/";
        assertThat(keys(root).stream().filter(k -> k.endsWith(".seg")).count())
                .as("compaction inputs gone after the grace").isEqualTo(e.table(plain).segments().size());
        assertThatThrownBy(() -> e.restoreTable(plain, clock.millis() - 200_000, table("t")).toCompletableFuture().join())
                .hasMessageContaining("history");

        // with PITR the logs stay
        TableId kept = table("kept");
        pitr(e, kept);
        put(e, kept, "a", "b");
        e.flush();
        put(e, kept, "a", "c");
        e.flush();
        assertThat(logs()).isGreaterThanOrEqualTo(2);
        assertThat(zones.log(1).list("", null, 1_000_000).toCompletableFuture().join().stream()
                .map(BlobStore.BlobInfo::key)).as("retired logs live on as history logs, only what PITR tables wrote")
                .anyMatch(k -> k.contains("/hist-"));
        e.collectGarbage();
        assertThat(e.historyBytes(kept)).as("its retained log records and superseded segments").isPositive();
        assertThat(e.historyBytes(plain)).isZero();
        e.close();
    }

    private long logs() {
        return zones.log(1).list("", null, 1_000_000).toCompletableFuture().join().stream()
                .map(BlobStore.BlobInfo::key).map(k -> k.substring(0, k.lastIndexOf('/'))).distinct().count();
    }

    private List<String> keys(String prefix) {
        return zones.data(1).list(prefix, null, 1_000_000).toCompletableFuture().join().stream()
                .map(BlobStore.BlobInfo::key).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
