package io.strata.storage.engine.recovery;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.testing.TestEngines;
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
 * How long the engine takes to open after a crash against the commit log it replays, on three local zones with real
 * fsyncs: loads {@code rows} rows of {@code valueBytes} and flushes them (a table in segments, so memtables may grow
 * to the flush threshold: they flush early beside small tables), then for each tail size overwrites that many rows,
 * which stay in the memtables and the commit log, crashes the engine (threads stopped, nothing flushed: what
 * {@code kill -9} leaves) and times the reopen, which replays the log. Checks the last overwritten row is back.
 * {@code java -Xmx1g -cp "bench/target/strata-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
 * io.strata.storage.engine.recovery.RecoveryTime DIR ROWS VALUE_BYTES TAIL...}.
 */
public final class RecoveryTime {
    private static final TableId TABLE =
            new TableId("bench", "ks", "kv", UUID.fromString("00000000-0000-0000-0000-00000000000b"));

    private RecoveryTime() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/recovery-time");
        long rows = args.length > 1 ? Long.parseLong(args[1]) : 3_000_000;
        int valueBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        List<Long> tails = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            tails.add(Long.parseLong(args[i]));
        }
        if (tails.isEmpty()) {
            // below the flush point of a 3 M-row table (a sixteenth of its segments): a flush would cut the tail
            tails = List.of(0L, 25_000L, 50_000L, 75_000L, 100_000L);
        }
        Files.createDirectories(dir);
        long heap = Runtime.getRuntime().maxMemory();
        EngineOptions.HeapBudget budget = EngineOptions.HeapBudget.of(heap);
        EngineOptions options = new EngineOptions(budget.flushThresholdBytes(), budget.stallThresholdBytes(), 2)
                .withBlockCacheBytes(budget.blockCacheBytes());
        System.out.printf("heap %,d MB, memtable flush at %,d MB%n", heap >> 20, options.flushThresholdBytes() >> 20);
        LsmEngine e = TestEngines.localZones(dir, options, Clock.systemUTC());
        e.createTable(TABLE).toCompletableFuture().join();
        long t0 = System.nanoTime();
        write(e, 0, rows, valueBytes, 1);
        e.flush();
        System.out.printf("loaded %,d rows of %d B in %.1f s; table %,d bytes in segments%n", rows, valueBytes,
                (System.nanoTime() - t0) / 1e9, e.tableBytes(TABLE));
        long ts = 2;
        for (long tail : tails) {
            long logBefore = walBytes(dir);
            write(e, 0, tail, valueBytes, ts);
            long log = walBytes(dir);
            e.simulateCrash();
            long start = System.nanoTime();
            e = TestEngines.localZones(dir, options, Clock.systemUTC());
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean back = tail == 0 || timestampOf(e, tail - 1) == ts;
            System.out.printf("tail %,d rows, commit logs %,d bytes per zone (%,d before the tail): reopened in %.3f s;"
                    + " last overwrite %s%n", tail, log / 3, logBefore / 3, seconds, back ? "present" : "MISSING");
            if (!back) {
                throw new IllegalStateException("an acknowledged overwrite was lost");
            }
            ts++;
            e.flush(); // the next tail starts from empty memtables
        }
        e.close();
    }

    private static PartitionKey key(long i) {
        return PartitionKey.of(ByteBuffer.allocate(8).putLong(i).array());
    }

    private static void write(LsmEngine e, long from, long to, int valueBytes, long ts) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        byte[] value = new byte[valueBytes];
        for (long i = from; i < to; i++) {
            ThreadLocalRandom.current().nextBytes(value);
            Row row = Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0), List.of(Cell.live("v", null, ts, value.clone())));
            acks.add(e.apply(List.of(PartitionUpdate.ofRows(TABLE, key(i), List.of(row)))).toCompletableFuture());
            if (acks.size() == 256) {
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                acks.clear();
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    }

    private static long timestampOf(LsmEngine e, long i) {
        List<PartitionData> found = e.read(new ReadQuery(TABLE, new PartitionSelection.Single(key(i)),
                List.of(Slice.ALL), false, null, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, null))
                .toCompletableFuture().join().partitions();
        return found.isEmpty() ? -1 : found.get(0).rows().get(0).liveness().timestamp();
    }

    /** Bytes of every zone's commit-log directory (the walk skips the data directories, where GC deletes files). */
    private static long walBytes(Path dir) throws Exception {
        long total = 0;
        try (Stream<Path> walDirs =
                Files.find(dir, 4, (p, a) -> a.isDirectory() && p.getFileName().toString().equals("wal"))) {
            for (Path wal : walDirs.toList()) {
                try (Stream<Path> files = Files.list(wal)) {
                    total += files.mapToLong(p -> p.toFile().length()).sum();
                }
            }
        }
        return total;
    }
}
