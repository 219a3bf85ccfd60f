package io.strata.storage.engine.segment;

import java.util.List;

/**
 * Cuts a table's token ring into {@code 2^bits} equal cells so that flushes and compactions write one segment per
 * cell, and a compaction rewrites the cells it merges, never the whole table: the bytes a compaction holds twice
 * (inputs not yet released beside its output) are a cell's, not the table's. The number of cells grows with the
 * table, aiming at cells of at least the target size (8 MiB by default); a segment written when the table had fewer cells
 * spans several, and compactions treat the cells it spans as one until it is rewritten. Immutable.
 */
public final class TokenGrid {
    /** The size a cell's data aims at, by default. */
    public static final long DEFAULT_TARGET_BYTES = 8L << 20;
    /** At most 256 cells: larger tables get larger cells. */
    public static final int MAX_BITS = 8;
    public static final TokenGrid DEFAULT = new TokenGrid(DEFAULT_TARGET_BYTES);

    private final long targetBytes;

    public TokenGrid(long targetBytes) {
        if (targetBytes <= 0) {
            throw new IllegalArgumentException("cell target must be positive");
        }
        this.targetBytes = targetBytes;
    }

    /** Cell bits for a table holding {@code liveBytes} in segments: cells of at least the target size. */
    public int bits(long liveBytes) {
        int bits = 0;
        while (bits < MAX_BITS && liveBytes / 2 >= targetBytes << bits) {
            bits++;
        }
        return bits;
    }

    /**
     * Bits for a table with these segments: from their total size, with hysteresis around the bits its largest
     * segment was cut at (overwrites make the total swing by the space-amplification margin, and a table at a
     * boundary must not re-cut its cells at every compaction): more cells as soon as the size asks for them, fewer
     * only once it asks for two steps fewer.
     */
    public int bits(List<Segment> segments) {
        long total = 0;
        Segment largest = null;
        for (Segment s : segments) {
            total += s.fileSize();
            if (largest == null || s.fileSize() > largest.fileSize()) {
                largest = s;
            }
        }
        int ideal = bits(total);
        if (largest == null || largest.size() == 0 || total < targetBytes) {
            return ideal;
        }
        int current = cutAt(largest);
        if (ideal >= current) {
            return ideal;
        }
        return ideal < current - 1 ? ideal + 1 : current;
    }

    /** The most bits at which a segment lies in one cell: the grid it was cut at. */
    static int cutAt(Segment s) {
        long[] range = s.tokenRange();
        int b = 0;
        while (b < MAX_BITS && cell(range[0], b + 1) == cell(range[1], b + 1)) {
            b++;
        }
        return b;
    }

    /** The cell of a token (0 when there is one cell). */
    public static int cell(long token, int bits) {
        return bits == 0 ? 0 : (int) ((token ^ Long.MIN_VALUE) >>> (64 - bits));
    }
}
