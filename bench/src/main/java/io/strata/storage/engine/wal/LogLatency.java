package io.strata.storage.engine.wal;

import io.strata.storage.engine.EngineOptions;
import io.strata.storage.engine.EngineStorage;
import io.strata.storage.engine.LsmEngine;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.replication.QuorumLogStore;
import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobLogStore;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.LogStore;
import io.strata.storage.spi.testing.FaultInjectingBlobStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an object store's PUT latency costs the commit log, and what pipelining group commits wins back: the engine
 * over three in-memory zones whose commit-log chunk PUTs complete after an injected delay, 64 writes of 100-byte rows
 * in flight, for each latency with one chunk in flight (a plain group commit) and with the store's pipelining.
 * Prints writes/s and median/p99 acknowledgement latency. {@code java -cp "bench/target/strata-bench-0.1.0-SNAPSHOT.jar:
 * bench/target/lib/*" io.strata.storage.engine.wal.LogLatency [SECONDS] [LATENCY_MS...]}.
 */
public final class LogLatency {
    private LogLatency() {}

    /** A zone's log store that takes one append at a time: the group commit without pipelining. */
    private record OneAtATime(LogStore d) implements LogStore {
        @Override
        public CompletionStage<Void> append(String log, long sequence, byte[] data) {
            return d.append(log, sequence, data);
        }

        @Override
        public CompletionStage<List<Chunk>> read(String log) {
            return d.read(log);
        }

        @Override
        public CompletionStage<List<String>> list(String prefix) {
            return d.list(prefix);
        }

        @Override
        public CompletionStage<Void> delete(String log) {
            return d.delete(log);
        }

        @Override
        public void close() {
            d.close();
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
        long[] latencies = args.length > 1 ? Arrays.stream(args).skip(1).mapToLong(Long::parseLong).toArray()
                : new long[] {0, 5, 20, 50};
        System.out.println("| PUT latency | chunks in flight | writes/s | ack p50 | ack p99 |");
        System.out.println("|---|---|---|---|---|");
        for (long latency : latencies) {
            for (boolean pipelined : new boolean[] {false, true}) {
                run(latency, pipelined, seconds);
            }
        }
    }

    private static void run(long latencyMillis, boolean pipelined, double seconds) throws Exception {
        Path dir = Files.createTempDirectory("log-latency");
        List<LogStore> logs = new ArrayList<>();
        List<BlobStore> data = new ArrayList<>();
        for (int z = 0; z < 3; z++) {
            FaultInjectingBlobStore chunks = new FaultInjectingBlobStore(new InMemoryBlobStore());
            chunks.putLatency(latencyMillis);
            LogStore log = new BlobLogStore(chunks, StorageKeys.COMMIT_LOG_BLOB_PREFIX);
            logs.add(pipelined ? log : new OneAtATime(log));
            data.add(new InMemoryBlobStore());
        }
        TableId table = new TableId("bench", "ks", "kv", UUID.randomUUID());
        try (LsmEngine e = LsmEngine.open(new EngineStorage(new QuorumLogStore(logs), new ReplicatedBlobStore(data), dir, 0),
                EngineOptions.defaults(), Clock.systemUTC())) {
            e.createTable(table).toCompletableFuture().join();
            int permits = Integer.getInteger("inflight", 64);
            Semaphore inFlight = new Semaphore(permits);
            AtomicLong done = new AtomicLong();
            List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            byte[] value = new byte[100];
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            long k = 0;
            while (System.nanoTime() < end) {
                inFlight.acquire();
                byte[] key = ByteBuffer.allocate(8).putLong(k++ % 1_000_000).array();
                long t0 = System.nanoTime();
                e.apply(List.of(PartitionUpdate.ofRows(table, PartitionKey.of(key), List.of(Row.of(Clustering.EMPTY,
                        LivenessInfo.of(k, 0, 0), List.of(Cell.live("v", null, k, value)))))))
                        .whenComplete((v, x) -> {
                            latencies.add(System.nanoTime() - t0);
                            done.incrementAndGet();
                            inFlight.release();
                        });
            }
            inFlight.acquire(permits);
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("| %d ms | %s | %,.0f | %.1f ms | %.1f ms |%n", latencyMillis,
                    pipelined ? "up to " + BlobLogStore.APPENDS_IN_FLIGHT : "1", done.get() / elapsed,
                    sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6);
        }
    }
}
