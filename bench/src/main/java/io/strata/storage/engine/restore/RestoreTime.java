package io.strata.storage.engine.restore;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.RestoreStatus;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.TableSettings;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * How long a point-in-time restore takes against the table's size and its commit-log tail, on three local zones
 * with real fsyncs: loads {@code rows} rows of {@code valueBytes} into a table with point-in-time recovery, flushes
 * them into segments, then for each tail size writes that many overwrites (left in the commit log) and restores at
 * that instant, printing table bytes, tail rows and seconds. Run with a small heap to show the table need not fit in
 * memory: {@code java -Xmx256m -cp "bench/target/strata-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
 * io.strata.storage.engine.restore.RestoreTime DIR ROWS VALUE_BYTES TAIL...}.
 */
public final class RestoreTime {
    private RestoreTime() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/restore-time");
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        List<Long> tails = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            tails.add(Long.parseLong(args[i]));
        }
        if (tails.isEmpty()) {
            tails = List.of(0L, 10_000L, 100_000L);
        }
        Files.createDirectories(dir);
        TableId source = new TableId("bench", "ks", "source", UUID.randomUUID());
        // memtables and the block cache sized from the heap, as a container-sized gateway would be
        long heap = Runtime.getRuntime().maxMemory();
        EngineOptions.HeapBudget budget = EngineOptions.HeapBudget.of(heap);
        EngineOptions options = new EngineOptions(budget.flushThresholdBytes(), budget.stallThresholdBytes(), 2)
                .withBlockCacheBytes(budget.blockCacheBytes());
        System.out.printf("heap %,d MB, memtable flush at %,d MB, block cache %,d MB%n", heap >> 20,
                options.flushThresholdBytes() >> 20, options.blockCacheBytes() >> 20);
        try (LsmEngine e = TestEngines.localZones(dir, options, Clock.systemUTC())) {
            e.createTable(source).toCompletableFuture().join();
            e.configureTable(source, new TableSettings(864_000, null, true)).toCompletableFuture().join();
            long t0 = System.nanoTime();
            write(e, source, 0, rows, valueBytes, 1);
            e.flush();
            System.out.printf("loaded %,d rows of %d B in %.1f s; table %,d bytes in segments%n", rows, valueBytes,
                    (System.nanoTime() - t0) / 1e9, e.tableBytes(source));
            long ts = 2;
            int n = 0;
            for (long tail : tails) {
                write(e, source, 0, tail, valueBytes, ts++); // overwrites, only in the commit log
                TableId target = new TableId("bench", "ks", "restored_" + n++, UUID.randomUUID());
                long at = System.currentTimeMillis();
                Thread.sleep(2); // the instant is strictly after the tail's commits
                long start = System.nanoTime();
                e.restoreTable(source, at, target).toCompletableFuture().join();
                RestoreStatus s;
                while ((s = e.restoreStatus(target)).state() == RestoreStatus.State.CREATING) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("table %,d bytes, tail %,d rows: restore %s in %.3f s (restored table %,d bytes)%n",
                        e.tableBytes(source), tail, s.state(), seconds, e.tableBytes(target));
                e.flush(); // the next tail starts after a flush, as it would after the flush threshold
            }
            System.out.printf("data directory: %,d bytes%n", size(dir));
        }
    }

    private static void write(LsmEngine e, TableId t, long from, long to, int valueBytes, long ts) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        byte[] value = new byte[valueBytes];
        for (long i = from; i < to; i++) {
            ThreadLocalRandom.current().nextBytes(value);
            PartitionKey k = PartitionKey.of(ByteBuffer.allocate(8).putLong(i).array());
            acks.add(e.apply(List.of(PartitionUpdate.ofRows(t, k, List.of(Row.of(Clustering.EMPTY,
                    LivenessInfo.of(ts, 0, 0), List.of(Cell.live("v", null, ts, value.clone()))))))).toCompletableFuture());
            if (acks.size() == 256) {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                acks.clear();
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
