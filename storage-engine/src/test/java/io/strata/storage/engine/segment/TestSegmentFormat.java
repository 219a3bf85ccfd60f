package io.strata.storage.engine.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.crypto.DataKey;
import io.strata.storage.engine.memtable.PartitionState;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.DeletionTime;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.Row;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment format v5: the partition index in chunks read through the block cache (only each chunk's first key on
 * the heap) answers ordinal, ceiling and point lookups exactly as a resident index did, in the clear and
 * encrypted, across chunk boundaries; v4 segments written by the previous release still read.
 */
class TestSegmentFormat {
    @TempDir
    Path dir;

    /** Keys with gaps (every third token is absent) and varying lengths, in key order. */
    static List<PartitionState> partitions(int n) {
        Random random = new Random(7);
        List<PartitionState> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = ("key-" + i + "-" + "x".repeat(random.nextInt(40))).getBytes(StandardCharsets.UTF_8);
            byte[] value = ("value " + i).getBytes(StandardCharsets.UTF_8);
            Row row = Row.of(Clustering.EMPTY, LivenessInfo.of(i + 1, 0, 0), List.of(Cell.live("v", null, i + 1, value)));
            out.add(PartitionState.of(new PartitionKey(i * 3L - 30_000, key), DeletionTime.LIVE, List.of(), null, List.of(row)));
        }
        return out;
    }

    private static void assertSameContent(Segment s, List<PartitionState> expected) {
        assertThat(s.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            PartitionKey k = expected.get(i).key();
            assertThat(s.keyAt(i)).isEqualTo(k);
            assertThat(s.ceiling(k)).isEqualTo(i);
            // a key between this one and the next (tokens step by 3) lands on the next ordinal
            assertThat(s.ceiling(new PartitionKey(k.token() + 1, new byte[0]))).isEqualTo(i + 1);
            assertThat(s.get(new PartitionKey(k.token() + 1, new byte[0]))).isNull();
            PartitionState read = s.get(k);
            assertThat(read).isNotNull();
            assertThat(read.rows().values()).containsExactlyElementsOf(expected.get(i).rows().values());
        }
        assertThat(s.ceiling(new PartitionKey(Long.MIN_VALUE, new byte[0]))).isZero();
        assertThat(s.ceiling(new PartitionKey(Long.MAX_VALUE, new byte[0]))).isEqualTo(expected.size());
    }

    @Test
    void theChunkedIndexAnswersLikeTheDataAcrossChunkBoundaries() throws IOException {
        for (int n : new int[] {0, 1, Segment.ENTRIES_PER_CHUNK - 1, Segment.ENTRIES_PER_CHUNK,
                Segment.ENTRIES_PER_CHUNK + 1, 5 * Segment.ENTRIES_PER_CHUNK + 17}) {
            List<PartitionState> parts = partitions(n);
            Path file = dir.resolve("plain-" + n + ".seg");
            Segment.write(file, parts);
            try (Segment s = Segment.open(n, "plain-" + n, new FileSegmentSource(file), new BlockCache(1 << 20))) {
                assertSameContent(s, parts);
            }
        }
    }

    /** A cached-only read answers from cached blocks, gives up (null) on a miss or past its budget, and never loads. */
    @Test
    void cachedOnlyReadsUseOnlyWhatTheCacheHolds() throws IOException {
        List<PartitionState> parts = partitions(3 * Segment.ENTRIES_PER_CHUNK);
        Path file = dir.resolve("cached.seg");
        Segment.write(file, parts);
        int[] loads = {0};
        FileSegmentSource plain = new FileSegmentSource(file);
        SegmentSource counting = new SegmentSource() {
            @Override
            public long size() {
                return plain.size();
            }

            @Override
            public byte[] read(long offset, int length) {
                loads[0]++;
                return plain.read(offset, length);
            }

            @Override
            public byte[] readRepaired(long offset, int length) {
                return read(offset, length);
            }

            @Override
            public void close() {
                plain.close();
            }
        };
        try (Segment s = Segment.open(9, "cached", counting, new BlockCache(64 << 20))) {
            PartitionKey first = parts.get(0).key();
            PartitionKey last = parts.get(parts.size() - 1).key();
            int opened = loads[0];
            assertThat(Segment.withCachedBlocksOnly(8, () -> s.get(first))).isNull(); // nothing cached yet
            assertThat(loads[0]).isEqualTo(opened);
            PartitionState loaded = s.get(first); // an index chunk and a block, now cached
            assertThat(loads[0]).isGreaterThan(opened);
            int afterLoad = loads[0];
            PartitionState cached = Segment.withCachedBlocksOnly(8, () -> s.get(first));
            assertThat(cached).isNotNull();
            assertThat(cached.rows().values()).containsExactlyElementsOf(loaded.rows().values());
            assertThat(Segment.withCachedBlocksOnly(1, () -> s.get(first))).isNull(); // the chunk and the block: 2
            assertThat(Segment.withCachedBlocksOnly(8, () -> s.get(last))).isNull(); // another chunk and block
            assertThat(loads[0]).isEqualTo(afterLoad);
            assertThat(s.get(last)).isNotNull(); // outside a cached-only read, misses load as before
        }
    }

    @Test
    void anEncryptedSegmentReadsWithItsKeyThroughATinyCache() throws IOException {
        List<PartitionState> parts = partitions(3 * Segment.ENTRIES_PER_CHUNK + 5);
        byte[] secret = new byte[32];
        new Random(1).nextBytes(secret);
        DataKey key = new DataKey("t", 1, new javax.crypto.spec.SecretKeySpec(secret, "AES"));
        Path file = dir.resolve("sealed.seg");
        Segment.write(file, parts.iterator(), key);
        byte[] stored = Files.readAllBytes(file);
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("key-1").doesNotContain("value 1");
        // a cache too small to keep anything: every chunk and block is read, verified and decrypted again
        try (Segment s = Segment.open(2, "sealed", new FileSegmentSource(file), new BlockCache(0), v -> key)) {
            assertSameContent(s, parts);
        }
    }

    @Test
    void aVersion4SegmentStillReads() throws IOException {
        // written by the release before v5 (resident index, 64 KiB blocks) from partitions(2000)
        Path file = dir.resolve("v4.seg");
        try (InputStream in = getClass().getResourceAsStream("/segments/v4-2000.seg")) {
            Files.copy(in, file);
        }
        try (Segment s = Segment.open(4, "v4", new FileSegmentSource(file), new BlockCache(1 << 20))) {
            assertSameContent(s, partitions(2000));
        }
    }
}
