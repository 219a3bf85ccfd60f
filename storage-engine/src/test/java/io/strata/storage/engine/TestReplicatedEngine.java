package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.engine.testing.InMemoryZones;
import io.strata.storage.engine.testing.MutableClock;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine over three zones of the backend SPI (in memory, with faults): zone outages, a wiped zone, a
 * corrupt segment copy, writer fencing by epoch, and garbage collection after the retention window.
 */
class TestReplicatedEngine {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t", "ks", "zones", UUID.randomUUID());

    private final InMemoryZones zones = new InMemoryZones();

    private LsmEngine open(String local, EngineOptions options, Clock clock) {
        return zones.open(dir.resolve(local), options, clock);
    }

    private static PartitionUpdate row(int k) {
        byte[] key = ByteBuffer.allocate(4).putInt(k).array();
        return PartitionUpdate.ofRows(TABLE, PartitionKey.of(key), List.of(Row.of(Clustering.EMPTY,
                LivenessInfo.of(k + 1, 0, 0), List.of(Cell.live("v", null, k + 1, key)))));
    }

    private static void write(LsmEngine e, int from, int to) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(e.apply(List.of(row(i))).toCompletableFuture());
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    private static BitSet keys(LsmEngine e) {
        BitSet present = new BitSet();
        for (PartitionData p : e.read(new ReadQuery(TABLE, PartitionSelection.TokenRange.ALL, List.of(Slice.ALL), false,
                null, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, null)).toCompletableFuture().join().partitions()) {
            present.set(ByteBuffer.wrap(p.key().key()).getInt());
        }
        return present;
    }

    private static Set<String> keysOf(InMemoryBlobStore s) {
        return s.list("", null, 1_000_000).toCompletableFuture().join().stream().map(BlobStore.BlobInfo::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void writesAndReadsContinueThroughZoneFaultsAndTheZonesAreRepaired() {
        EngineOptions small = new EngineOptions(64 * 1024, 1 << 20, 2);
        LsmEngine e = open("local", small, Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        write(e, 0, 2000);
        e.flush();
        zones.down(0, true);
        write(e, 2000, 4000);
        e.flush();
        assertThat(keys(e).cardinality()).isEqualTo(4000);
        zones.down(0, false);
        e.close();

        // Zone c loses its disk; zone a holds a corrupt copy of every segment.
        zones.data(2).wipe();
        for (String k : keysOf(zones.data(0))) {
            if (k.endsWith(".seg")) {
                zones.data(0).corrupt(k, 20);
            }
        }
        LsmEngine reopened = open("local", small, Clock.systemUTC());
        assertThat(keys(reopened).cardinality()).isEqualTo(4000);
        assertThat(zones.replicatedData().repair("").toCompletableFuture().join()).isPositive();
        assertThat(keysOf(zones.data(2))).containsAll(keysOf(zones.data(1)).stream()
                .filter(k -> k.startsWith("tables/")).toList());
        reopened.close();
    }

    @Test
    void aStaleManifestCopyOnOneZoneIsNeverLoaded() {
        EngineOptions small = new EngineOptions(64 * 1024, 1 << 20, 2);
        LsmEngine e = open("local", small, Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        write(e, 0, 1000);
        e.flush();
        write(e, 1000, 2000);
        e.flush();
        e.collectGarbage();
        e.close();
        // zone 0's copy of the newest version holds other bytes (an older state), as a failed writer leaves it
        String root = io.strata.storage.engine.layout.StorageKeys.tableRoot(TABLE);
        List<String> manifests = keysOf(zones.data(0)).stream().filter(k -> io.strata.storage.engine.layout.StorageKeys
                .isManifest(root, k)).sorted(java.util.Comparator.comparingLong(
                        io.strata.storage.engine.layout.StorageKeys::manifestVersion)).toList();
        assertThat(manifests).hasSizeGreaterThan(1);
        byte[] old = zones.data(0).readAll(manifests.get(0)).toCompletableFuture().join();
        zones.data(0).put(manifests.get(manifests.size() - 1), old, BlobStore.PutMode.OVERWRITE).toCompletableFuture().join();

        // zone 1 down: the stale copy and zone 2's disagree and nothing says which is committed: opening waits
        zones.down(1, true);
        assertThatThrownBy(() -> open("local", small, Clock.systemUTC())).hasMessageContaining("quorum");
        zones.down(1, false);
        for (int i = 0; i < 3; i++) {
            LsmEngine reopened = open("local", small, Clock.systemUTC());
            assertThat(keys(reopened).cardinality()).as("the committed state, not the stale copy").isEqualTo(2000);
            reopened.close();
        }
        // the stale copy was replaced: zone 0 and zone 1 now agree without zone 2
        zones.down(2, true);
        LsmEngine again = open("local", small, Clock.systemUTC());
        assertThat(keys(again).cardinality()).isEqualTo(2000);
        again.close();
    }

    @Test
    void overAnObjectStoreLogGroupCommitsArePipelinedAndAcknowledgedInOrder() throws Exception {
        zones.logLatency(20); // each chunk PUT takes 20 ms, as an object store's does
        LsmEngine e = open("local", EngineOptions.defaults(), Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        // synchronous writers in a row: each waits for its own ack, so the acks arrive in log order
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(32);
        java.util.concurrent.ConcurrentLinkedQueue<Integer> acked = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 32; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    int k = writer * 1000 + i;
                    e.apply(List.of(row(k))).toCompletableFuture().join();
                    acked.add(k);
                }
            }));
        }
        for (var f : done) {
            f.get();
        }
        writers.shutdown();
        assertThat(zones.maxLogPutsInFlight()).as("several chunks were being stored at once").isGreaterThan(1);
        assertThat(keys(e).cardinality()).isEqualTo(32 * 40);
        // more chunks in flight, then a crash: every acknowledged write is back after the reopen
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        List<Integer> inFlightKeys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int k = 100_000 + i;
            CompletableFuture<Void> ack = e.apply(List.of(row(k))).toCompletableFuture();
            pending.add(ack);
            inFlightKeys.add(k);
            ack.thenRun(() -> acked.add(k));
        }
        Thread.sleep(25);
        e.simulateCrash();
        zones.logLatency(0);
        LsmEngine reopened = open("local", EngineOptions.defaults(), Clock.systemUTC());
        BitSet present = keys(reopened);
        for (int k : acked) {
            assertThat(present.get(k)).as("acknowledged write %d", k).isTrue();
        }
        reopened.close();
    }

    @Test
    void aSecondWriterFencesTheFirst() {
        EngineOptions options = EngineOptions.defaults();
        LsmEngine first = open("node-1", options, Clock.systemUTC());
        first.createTable(TABLE).toCompletableFuture().join();
        write(first, 0, 500);

        LsmEngine second = open("node-2", options, Clock.systemUTC());
        assertThat(second.stats().writerEpoch()).isGreaterThan(first.stats().writerEpoch());
        assertThat(keys(second).cardinality()).as("the new writer sees every acknowledged write").isEqualTo(500);

        // The old writer's log was sealed: its next group commit loses the sequence number and is not acknowledged.
        assertThatThrownBy(() -> first.apply(List.of(row(9999))).toCompletableFuture().join())
                .hasMessageContaining("commit log write failed");
        // Its next manifest commit finds the fencing version and stops it for good.
        assertThatThrownBy(first::flush).hasMessageContaining("fenced");
        assertThat(first.stats().fenced()).isTrue();
        assertThat(second.stats().fenced()).isFalse();
        assertThatThrownBy(() -> first.apply(List.of(row(10_000))).toCompletableFuture().join())
                .hasMessageContaining("fenced");

        write(second, 500, 600);
        second.close();
        first.simulateCrash();
        LsmEngine third = open("node-1", options, Clock.systemUTC());
        BitSet k = keys(third);
        assertThat(k.cardinality()).isEqualTo(600);
        assertThat(k.get(9999)).isFalse();
        third.close();
    }

    @Test
    void garbageCollectionKeepsTheRetentionWindowThenDeletes() {
        MutableClock clock = new MutableClock();
        EngineOptions options = new EngineOptions(64L << 20, 256L << 20, 2).withRetention(3600, 3600);
        LsmEngine e = open("local", options, clock);
        e.createTable(TABLE).toCompletableFuture().join();
        // with point-in-time recovery, which keeps history for the window (a table without it keeps none)
        e.configureTable(TABLE, new io.strata.storage.spi.TableSettings(864_000, null, true)).toCompletableFuture().join();
        for (int round = 0; round < 4; round++) {
            write(e, round * 100, round * 100 + 100);
            e.flush();
        }
        e.compactFully();
        assertThat(e.table(TABLE).segments()).hasSize(1);
        long logsBefore = keysOf(zones.log(1)).stream().filter(k -> k.startsWith("wal/")).count();
        assertThat(logsBefore).as("retired logs are kept as history").isGreaterThanOrEqualTo(4);
        e.collectGarbage();
        // inside the window the log stays; within one checkpoint hour the flushes' segments need not (see GC)
        assertThat(keysOf(zones.log(1)).stream().filter(k -> k.startsWith("wal/")).count())
                .as("inside the window no retired log goes").isEqualTo(logsBefore);

        clock.advance(Duration.ofHours(2));
        e.collectGarbage();
        assertThat(count(zones.data(1), ".seg")).isEqualTo(1);
        assertThat(keysOf(zones.data(1)).stream().filter(k -> k.contains("/manifest/")).count()).isEqualTo(1);
        assertThat(keysOf(zones.log(1)).stream().filter(k -> k.startsWith("wal/")).count())
                .as("retired logs deleted").isLessThanOrEqualTo(1);
        assertThat(keys(e).cardinality()).isEqualTo(400);
        e.close();
        LsmEngine reopened = open("local", options, clock);
        assertThat(keys(reopened).cardinality()).isEqualTo(400);
        reopened.close();
    }

    private static int count(InMemoryBlobStore s, String suffix) {
        return (int) keysOf(s).stream().filter(k -> k.endsWith(suffix)).count();
    }
}
