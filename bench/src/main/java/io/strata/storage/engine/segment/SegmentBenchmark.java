package io.strata.storage.engine.segment;

import io.strata.storage.engine.memtable.Memtable;
import io.strata.storage.engine.memtable.PartitionState;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.TableId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot paths of the engine: applying an update to a memtable, writing a segment of 10,000 partitions,
 * and a point read from a segment (bloom filter, index search, block from the cache or read, CRC-checked
 * and LZ4-decompressed, then decoded).
 * Lives in the segment package to reach its package-private classes (segment sources, the block cache).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SegmentBenchmark {
    private static final TableId TABLE = new TableId("bench", "ks", "t", UUID.randomUUID());
    private static final int PARTITIONS = 10_000;

    private Path dir;
    private Segment segment;
    private Segment uncached;
    private Memtable memtable;
    private PartitionState[] states;
    private long counter;

    static PartitionKey key(int i) {
        return PartitionKey.of(ByteBuffer.allocate(8).putLong(i).array());
    }

    static PartitionUpdate update(int i, long ts) {
        byte[] payload = new byte[64];
        ByteBuffer.wrap(payload).putLong(i);
        Row row = Row.of(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0), List.of(
                Cell.live("name", null, ts, ("name-" + i).getBytes()),
                Cell.live("payload", null, ts, payload),
                Cell.live("score", null, ts, ByteBuffer.allocate(4).putInt(i).array())));
        return PartitionUpdate.ofRows(TABLE, key(i), List.of(row));
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("segment-bench");
        ConcurrentSkipListMap<PartitionKey, PartitionState> m = new ConcurrentSkipListMap<>();
        for (int i = 0; i < PARTITIONS; i++) {
            PartitionState p = new PartitionState(key(i));
            p.apply(update(i, 1));
            m.put(p.key(), p);
        }
        states = m.values().toArray(new PartitionState[0]);
        Path file = dir.resolve("read.seg");
        Segment.write(file, m.values());
        segment = Segment.open(1, "read.seg", new FileSegmentSource(file), new BlockCache(256L << 20));
        uncached = Segment.open(1, "read.seg", new FileSegmentSource(file), new BlockCache(0));
        memtable = new Memtable();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        segment.close();
        uncached.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public long memtableApply() {
        long i = counter++;
        PartitionUpdate u = update((int) (i % 100_000), i);
        return memtable.apply(u);
    }

    @Benchmark
    public PartitionState segmentPointRead() {
        return segment.get(key((int) (counter++ % PARTITIONS)));
    }

    /** Every read decompresses and checksums its 64 KiB block: the cost of a block-cache miss on local disk. */
    @Benchmark
    public PartitionState segmentPointReadUncached() {
        return uncached.get(key((int) (counter++ % PARTITIONS)));
    }

    @Benchmark
    public PartitionState segmentPointMiss() {
        return segment.get(key(PARTITIONS + (int) (counter++ % PARTITIONS)));
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long segmentWrite10kPartitions() throws IOException {
        Path file = dir.resolve("w-" + counter++ + ".seg");
        long size = Segment.write(file, java.util.Arrays.asList(states));
        Files.delete(file);
        return size;
    }
}
