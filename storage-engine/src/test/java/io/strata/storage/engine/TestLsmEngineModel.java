package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.testing.InMemoryZones;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RangeTombstone;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against an in-memory sorted-map model, with random writes, row/partition/range deletions,
 * flushes, crashes (only forced commit-log bytes survive) and clean restarts interleaved. After every step
 * a full paged scan and point reads must equal the model.
 */
class TestLsmEngineModel {
    @TempDir
    Path dir;

    private static final TableId TABLE = new TableId("t1", "ks", "tbl", UUID.randomUUID());
    private static final int NOW = 1_000_000;

    private final TreeMap<PartitionKey, TreeMap<Clustering, Integer>> model = new TreeMap<>();
    private long timestamp = 1;

    @Test
    void randomizedAgainstModel() {
        for (long seed = 1; seed <= 3; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        model.clear();
        Random r = new Random(seed);
        Path d = dir.resolve("seed" + seed);
        EngineOptions small = new EngineOptions(64 * 1024, 1 << 20, 2);
        InMemoryZones zones = new InMemoryZones();
        java.util.function.Supplier<LsmEngine> open = () -> zones.open(d, small, Clock.systemUTC());
        int[] down = {-1};
        LsmEngine engine = open.get();
        engine.createTable(TABLE).toCompletableFuture().join();
        for (int step = 0; step < 1500; step++) {
            int op = r.nextInt(100);
            if (op < 70) {
                write(engine, r.nextInt(30), r.nextInt(20), r.nextInt(1000));
            } else if (op < 78) {
                deleteRow(engine, r.nextInt(30), r.nextInt(20));
            } else if (op < 81) {
                deletePartition(engine, r.nextInt(30));
            } else if (op < 85) {
                deleteRange(engine, r.nextInt(30), r.nextInt(20), r.nextInt(20));
            } else if (op < 88) {
                engine.flush();
            } else if (op < 90) {
                engine.simulateCrash();
                engine = open.get();
            } else if (op < 91) {
                engine.close();
                engine = open.get();
            } else if (op < 93) {
                // One zone (its commit log and its data store) at a time fails or returns.
                if (down[0] >= 0) {
                    zones.down(down[0], false);
                    down[0] = -1;
                } else {
                    down[0] = r.nextInt(InMemoryZones.ZONES);
                    zones.down(down[0], true);
                }
            } else {
                verify(engine, r);
            }
        }
        verify(engine, r);
        engine.close();
    }

    private static PartitionKey pk(int k) {
        return PartitionKey.of(ByteBuffer.allocate(4).putInt(k).array());
    }

    private static Clustering ck(int c) {
        return Clustering.of(ByteBuffer.allocate(4).putInt(c).array());
    }

    private void write(LsmEngine e, int k, int c, int v) {
        long ts = timestamp++;
        Row row = Row.of(ck(c), LivenessInfo.of(ts, 0, NOW),
                List.of(Cell.live("v", null, ts, ByteBuffer.allocate(4).putInt(v).array())));
        e.apply(List.of(PartitionUpdate.ofRows(TABLE, pk(k), List.of(row)))).toCompletableFuture().join();
        model.computeIfAbsent(pk(k), x -> new TreeMap<>()).put(ck(c), v);
    }

    private void deleteRow(LsmEngine e, int k, int c) {
        long ts = timestamp++;
        e.apply(List.of(PartitionUpdate.ofRows(TABLE, pk(k), List.of(Row.deleted(ck(c), new DeletionTime(ts, NOW))))))
                .toCompletableFuture().join();
        TreeMap<Clustering, Integer> p = model.get(pk(k));
        if (p != null) {
            p.remove(ck(c));
        }
    }

    private void deletePartition(LsmEngine e, int k) {
        long ts = timestamp++;
        e.apply(List.of(PartitionUpdate.deletePartition(TABLE, pk(k), new DeletionTime(ts, NOW)))).toCompletableFuture().join();
        model.remove(pk(k));
    }

    private void deleteRange(LsmEngine e, int k, int a, int b) {
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        long ts = timestamp++;
        Slice s = new Slice(new io.strata.storage.spi.Bound(ck(lo).encoded(), true), new io.strata.storage.spi.Bound(ck(hi).encoded(), false));
        e.apply(List.of(new PartitionUpdate(TABLE, pk(k), DeletionTime.LIVE, List.of(new RangeTombstone(s, new DeletionTime(ts, NOW))),
                null, List.of()))).toCompletableFuture().join();
        TreeMap<Clustering, Integer> p = model.get(pk(k));
        if (p != null) {
            p.subMap(ck(lo), true, ck(hi), false).clear();
        }
    }

    private void verify(LsmEngine e, Random r) {
        // full scan, paged with a small page size
        List<String> actual = new ArrayList<>();
        ReadQuery.Position resume = null;
        int pageSize = 1 + r.nextInt(17);
        while (true) {
            ReadResult res = e.read(new ReadQuery(TABLE, PartitionSelection.TokenRange.ALL, List.of(Slice.ALL), false, null,
                    pageSize, Integer.MAX_VALUE, NOW, resume)).toCompletableFuture().join();
            for (PartitionData p : res.partitions()) {
                for (Row row : p.rows()) {
                    actual.add(describe(p.key(), row.clustering(), ByteBuffer.wrap(row.cells().get(0).value()).getInt()));
                    resume = new ReadQuery.Position(p.key(), row.clustering());
                }
            }
            if (res.exhausted()) {
                break;
            }
        }
        List<String> expected = new ArrayList<>();
        for (Map.Entry<PartitionKey, TreeMap<Clustering, Integer>> p : model.entrySet()) {
            for (Map.Entry<Clustering, Integer> row : p.getValue().entrySet()) {
                expected.add(describe(p.getKey(), row.getKey(), row.getValue()));
            }
        }
        assertThat(actual).isEqualTo(expected);
        // a reversed point read of one partition
        int k = r.nextInt(30);
        ReadResult one = e.read(new ReadQuery(TABLE, new PartitionSelection.Single(pk(k)), List.of(Slice.ALL), true, null,
                1000, Integer.MAX_VALUE, NOW, null)).toCompletableFuture().join();
        List<Integer> got = new ArrayList<>();
        one.partitions().forEach(p -> p.rows().forEach(row -> got.add(ByteBuffer.wrap(row.cells().get(0).value()).getInt())));
        List<Integer> want = new ArrayList<>(model.getOrDefault(pk(k), new TreeMap<>()).descendingMap().values());
        assertThat(got).isEqualTo(want);
    }

    private static String describe(PartitionKey k, Clustering c, int v) {
        return ByteBuffer.wrap(k.key()).getInt() + "/" + ByteBuffer.wrap(c.encoded()).getInt() + "=" + v;
    }
}
