package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.state.Table;
import io.strata.storage.engine.testing.InMemoryZones;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCompaction {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t", "ks", "c", UUID.randomUUID());

    private final InMemoryZones zones = new InMemoryZones();

    private LsmEngine open(EngineOptions options) {
        return zones.open(dir, options, Clock.systemUTC());
    }

    private static PartitionUpdate put(int k, int v, long ts) {
        return IntRows.put(TABLE, k, v, ts);
    }

    private static int read(LsmEngine e, int k) {
        return IntRows.read(e, TABLE, k);
    }

    @Test
    void similarSegmentsAreMergedAndShadowedDataDropped() throws Exception {
        LsmEngine e = open(EngineOptions.defaults());
        e.createTable(TABLE).toCompletableFuture().join();
        long ts = 1;
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 200; k++) {
                e.apply(List.of(put(k, round * 1000 + k, ts++))).toCompletableFuture().join();
            }
            e.flush();
        }
        waitForSegments(e, 1);
        for (int k = 0; k < 200; k++) {
            assertThat(read(e, k)).isEqualTo(3000 + k);
        }
        var stats = e.stats();
        assertThat(stats.writeAmplification()).isGreaterThan(1.0);
        assertThat(stats.bytesCompacted()).isPositive();
        assertThat(stats.segments()).isEqualTo(1);
        e.close();
        LsmEngine reopened = open(EngineOptions.defaults());
        assertThat(read(reopened, 7)).isEqualTo(3007);
        reopened.close();
    }

    @Test
    void majorCompactionPurgesTombstonesPastGcGrace() throws Exception {
        EngineOptions noGrace = new EngineOptions(64L << 20, 256L << 20, 2, 0);
        LsmEngine e = open(noGrace);
        e.createTable(TABLE).toCompletableFuture().join();
        writeThreeRoundsThenDeleteEveryPartition(e);
        e.compactFully();
        assertThat(e.table(TABLE).segments()).as("every partition was deleted and its tombstone purged: nothing is left")
                .isEmpty();
        assertThat(read(e, 3)).isEqualTo(-1);
        e.close();
    }

    @Test
    void aTablesOwnGcGraceKeepsTombstonesTheDefaultWouldPurge() throws Exception {
        EngineOptions noGrace = new EngineOptions(64L << 20, 256L << 20, 2, 0);
        LsmEngine e = open(noGrace);
        e.createTable(TABLE).toCompletableFuture().join();
        e.configureTable(TABLE, new io.strata.storage.spi.TableSettings(864_000)).toCompletableFuture().join();
        writeThreeRoundsThenDeleteEveryPartition(e);
        waitForSegments(e, 1);
        Segment only = e.table(TABLE).segments().get(0);
        assertThat(only.stats().tombstones()).as("gc_grace_seconds of the table (10 days) has not passed").isEqualTo(50);
        assertThat(read(e, 3)).isEqualTo(-1);
        e.close();
    }

    @Test
    void expiredRowsAreReportedOnceWhenAMajorCompactionPurgesThem() throws Exception {
        EngineOptions noGrace = new EngineOptions(64L << 20, 256L << 20, 2, 0);
        LsmEngine e = open(noGrace);
        List<Row> purged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger commits = new java.util.concurrent.atomic.AtomicInteger();
        e.expiryListener(table -> new io.strata.storage.spi.ExpiryListener.Purge() {
            final List<Row> pending = new java.util.ArrayList<>();

            @Override
            public void row(PartitionKey key, Row expired) {
                assertThat(table).isEqualTo(TABLE);
                pending.add(expired);
            }

            @Override
            public void committed() {
                purged.addAll(pending);
                commits.incrementAndGet();
            }
        });
        e.createTable(TABLE).toCompletableFuture().join();
        int longAgo = (int) (System.currentTimeMillis() / 1000) - 100;
        long ts = 1;
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 20; k++) {
                byte[] key = ByteBuffer.allocate(4).putInt(round * 100 + k).array();
                byte[] v = ByteBuffer.allocate(4).putInt(k).array();
                Row row = switch (round) {
                    // expired 90 s ago: row marker and cell (INSERT ... USING TTL 10)
                    case 0 -> Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 10, longAgo), List.of(Cell.expiring("v", null, ts, 10, longAgo, v)));
                    // only a cell expired (UPDATE ... USING TTL 10); the row stays
                    case 1 -> Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0), List.of(Cell.expiring("v", null, ts, 10, longAgo, v),
                            Cell.live("w", null, ts, v)));
                    // expires in an hour: nothing to purge yet
                    default -> Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 3600, longAgo + 100),
                            List.of(Cell.expiring("v", null, ts, 3600, longAgo + 100, v)));
                };
                ts++;
                e.apply(List.of(PartitionUpdate.ofRows(TABLE, PartitionKey.of(key), List.of(row)))).toCompletableFuture().join();
            }
            e.flush();
        }
        waitForSegments(e, 1);
        for (int i = 0; i < 100 && commits.get() == 0; i++) {
            Thread.sleep(20);
        }
        assertThat(purged).hasSize(40);
        assertThat(purged.stream().filter(r -> !r.liveness().isEmpty())).as("expired row markers").hasSize(20);
        assertThat(purged).allSatisfy(r -> assertThat(r.cells()).singleElement()
                .satisfies(c -> assertThat(c.column()).isEqualTo("v")));
        // another major compaction over the result finds nothing expired left to report
        for (int round = 0; round < 3; round++) {
            e.apply(List.of(put(1000 + round, 1, ts++))).toCompletableFuture().join();
            e.flush();
        }
        waitForSegments(e, 1);
        for (int i = 0; i < 100 && commits.get() < 2; i++) {
            Thread.sleep(20);
        }
        assertThat(commits.get()).isGreaterThanOrEqualTo(2);
        assertThat(purged).as("nothing reported twice").hasSize(40);
        e.close();
    }

    private static int cellOf(int k, int bits) {
        return io.strata.storage.engine.segment.TokenGrid.cell(PartitionKey.of(ByteBuffer.allocate(4).putInt(k).array())
                .token(), bits);
    }

    @Test
    void compactionsRewriteTheTokenCellsTheyMergeNotTheTable() throws Exception {
        var grid = new io.strata.storage.engine.segment.TokenGrid(16 * 1024);
        EngineOptions options = new EngineOptions(64L << 20, 256L << 20, 2, 0).withCellTargetBytes(16 * 1024);
        LsmEngine e = open(options);
        e.createTable(TABLE).toCompletableFuture().join();
        long ts = 1;
        int keys = 6000;
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < keys; k++) {
                e.apply(List.of(put(k, round * 100_000 + k, ts++))).toCompletableFuture().join();
            }
            e.flush();
        }
        // the table grew from one cell to several: segments cut at the coarser grid are rewritten into cells
        for (int i = 0; i < 200 && e.table(TABLE).segments().stream().anyMatch(s -> io.strata.storage.engine.segment.TokenGrid
                .cell(s.tokenRange()[0], grid.bits(e.table(TABLE).segments())) != io.strata.storage.engine.segment.TokenGrid
                .cell(s.tokenRange()[1], grid.bits(e.table(TABLE).segments()))); i++) {
            Thread.sleep(50);
        }
        int grown = grid.bits(e.table(TABLE).segments());
        assertThat(grown).isGreaterThanOrEqualTo(2);
        assertThat(e.table(TABLE).segments()).allSatisfy(s -> assertThat(io.strata.storage.engine.segment.TokenGrid
                .cell(s.tokenRange()[0], grown)).isEqualTo(io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[1], grown)));
        e.compactFully();
        List<Segment> segments = e.table(TABLE).segments();
        int bits = grid.bits(segments);
        assertThat(bits).as("a table of several cells").isGreaterThanOrEqualTo(2);
        assertThat(segments).hasSize(1 << bits);
        assertThat(e.compactionDebt(TABLE)).as("no debt once every cell is one segment")
                .containsExactly(0, segments.stream().mapToLong(Segment::fileSize).sum());
        for (Segment s : segments) {
            assertThat(io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[0], bits)).as("one cell per segment").isEqualTo(io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[1], bits));
        }
        // overwrite the keys of one cell only: only that cell's segment is rewritten
        java.util.Map<Integer, Long> idByCell = new java.util.HashMap<>();
        for (Segment s : segments) {
            idByCell.put(io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[0], bits), s.id());
        }
        List<Integer> cellZero = java.util.stream.IntStream.range(0, keys).filter(k -> cellOf(k, bits) == 0).boxed().toList();
        for (int round = 0; round < 2; round++) {
            for (int k : cellZero) {
                e.apply(List.of(put(k, 900_000 + k, ts++))).toCompletableFuture().join();
            }
            e.flush();
        }
        for (int i = 0; i < 100 && e.table(TABLE).segments().stream().filter(s -> io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[0], bits) == 0).count() > 1; i++) {
            Thread.sleep(50);
        }
        List<Segment> after = e.table(TABLE).segments();
        long[] debt = e.compactionDebt(TABLE);
        assertThat(debt[0] + debt[1]).isEqualTo(after.stream().mapToLong(Segment::fileSize).sum());
        assertThat(after.stream().filter(s -> io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[0], bits) == 0).toList()).singleElement()
                .satisfies(s -> assertThat(s.id()).isNotEqualTo(idByCell.get(0)));
        for (Segment s : after) {
            int cell = io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[0], bits);
            if (cell != 0) {
                assertThat(s.id()).as("cell %d untouched", cell).isEqualTo(idByCell.get(cell));
            }
        }
        // deleting every key of the cell: its merge is major for the cell (no other segment overlaps it) and purges
        for (int k : cellZero) {
            e.apply(List.of(PartitionUpdate.deletePartition(TABLE, PartitionKey.of(ByteBuffer.allocate(4).putInt(k).array()),
                    new DeletionTime(ts++, (int) (System.currentTimeMillis() / 1000) - 10)))).toCompletableFuture().join();
        }
        e.flush();
        for (int i = 0; i < 100 && e.table(TABLE).segments().stream().anyMatch(s -> s.size() > 0
                && io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[0], bits) == 0); i++) {
            Thread.sleep(50);
        }
        assertThat(e.table(TABLE).segments()).noneMatch(s -> s.size() > 0 && io.strata.storage.engine.segment.TokenGrid.cell(s.tokenRange()[0], bits) == 0);
        for (int k = 0; k < keys; k++) {
            assertThat(read(e, k)).isEqualTo(cellOf(k, bits) == 0 ? -1 : 200_000 + k);
        }
        e.close();
        LsmEngine reopened = open(options);
        for (int k = 0; k < keys; k += 7) {
            assertThat(read(reopened, k)).isEqualTo(cellOf(k, bits) == 0 ? -1 : 200_000 + k);
        }
        reopened.close();
    }

    /** Four flushed segments: three of 50 rows, then 50 partition deletions (10 s old) covering them all. */
    private static void writeThreeRoundsThenDeleteEveryPartition(LsmEngine e) {
        long ts = 1;
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 50; k++) {
                if (round == 3) {
                    e.apply(List.of(PartitionUpdate.deletePartition(TABLE, PartitionKey.of(ByteBuffer.allocate(4).putInt(k).array()),
                            new DeletionTime(ts++, (int) (System.currentTimeMillis() / 1000) - 10)))).toCompletableFuture().join();
                } else {
                    e.apply(List.of(put(k, k, ts++))).toCompletableFuture().join();
                }
            }
            e.flush();
        }
    }

    /**
     * Lets automatic compaction run, then merges what it left (when the newer segments are small beside the largest,
     * it rightly leaves them) so the test sees one major compaction's result.
     */
    private static void waitForSegments(LsmEngine e, int n) throws InterruptedException {
        for (int i = 0; i < 40 && e.table(TABLE).segments().size() != n; i++) {
            Thread.sleep(50);
        }
        if (n == 1) {
            e.compactFully();
        }
        assertThat(e.table(TABLE).segments()).hasSize(n);
    }
}
