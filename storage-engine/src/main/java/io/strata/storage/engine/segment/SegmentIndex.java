package io.strata.storage.engine.segment;

import io.strata.storage.engine.codec.ByteSource;
import io.strata.storage.engine.codec.ModelCodec;
import io.strata.storage.spi.PartitionKey;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Where each partition of a segment lies, by ordinal (partitions are numbered in key order): its key and its
 * place in a data block. Thread-safe (immutable; chunks come from the shared block cache).
 */
sealed interface SegmentIndex permits SegmentIndex.Resident, SegmentIndex.Chunked {
    /** A partition's bytes: data block number, offset in the uncompressed block, length. */
    record Entry(int block, int offset, int length) {}

    int size();

    PartitionKey keyAt(int i);

    /** Ordinal of the first key >= k (or size()). */
    int ceiling(PartitionKey k);

    Entry entry(int i);

    /** Format v3/v4: every entry on the heap (a segment's metadata was read whole when it was opened). */
    record Resident(PartitionKey[] keys, int[] blockOf, int[] offsetInBlock, int[] lengths) implements SegmentIndex {
        @Override
        public int size() {
            return keys.length;
        }

        @Override
        public PartitionKey keyAt(int i) {
            return keys[i];
        }

        @Override
        public int ceiling(PartitionKey k) {
            int i = Arrays.binarySearch(keys, k);
            return i >= 0 ? i : -i - 1;
        }

        @Override
        public Entry entry(int i) {
            return new Entry(blockOf[i], offsetInBlock[i], lengths[i]);
        }
    }

    /**
     * Format v5: entries are stored in chunks of {@code perChunk} (the last may hold fewer), each chunk
     * compressed, encrypted and checksummed like a data block and read through the block cache; only each
     * chunk's first key stays on the heap. A chunk's uncompressed layout: int32 n, n x int32 entry offset (from
     * the first entry), then n entries of (int64 token, bytes key, int32 block, int32 offset, int32 length).
     */
    record Chunked(int count, int perChunk, PartitionKey[] firstKeys, IntFunction<byte[]> chunk) implements SegmentIndex {
        @Override
        public int size() {
            return count;
        }

        @Override
        public PartitionKey keyAt(int i) {
            byte[] c = chunk.apply(i / perChunk);
            return decodeKey(c, entryStart(c, i % perChunk));
        }

        @Override
        public int ceiling(PartitionKey k) {
            int found = Arrays.binarySearch(firstKeys, k);
            if (found >= 0) {
                return found * perChunk;
            }
            int c = -found - 2; // the last chunk whose first key is below k
            if (c < 0) {
                return 0;
            }
            byte[] raw = chunk.apply(c);
            int lo = 0;
            int hi = ByteBuffer.wrap(raw).getInt() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (decodeKey(raw, entryStart(raw, mid)).compareTo(k) < 0) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return c * perChunk + lo;
        }

        @Override
        public Entry entry(int i) {
            byte[] c = chunk.apply(i / perChunk);
            ByteBuffer b = ByteBuffer.wrap(c);
            int at = entryStart(c, i % perChunk);
            int keyLength = b.getInt(at + 8);
            int pos = at + 12 + keyLength;
            return new Entry(b.getInt(pos), b.getInt(pos + 4), b.getInt(pos + 8));
        }

        private static int entryStart(byte[] chunk, int j) {
            ByteBuffer b = ByteBuffer.wrap(chunk);
            int n = b.getInt(0);
            return 4 + 4 * n + b.getInt(4 + 4 * j);
        }

        private static PartitionKey decodeKey(byte[] chunk, int at) {
            try {
                return ModelCodec.readKey(new DataInputStream(new ByteSource(chunk, at, chunk.length - at)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
