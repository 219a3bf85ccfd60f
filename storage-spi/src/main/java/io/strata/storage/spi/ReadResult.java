package io.strata.storage.spi;

import java.util.List;

/**
 * The result of a {@link ReadQuery}: partitions in token order, and whether the selection is exhausted
 * (false means a limit stopped the read and the caller may resume after the last returned position).
 */
public record ReadResult(List<PartitionData> partitions, boolean exhausted) {
    public ReadResult {
        partitions = List.copyOf(partitions);
    }

    public int rowCount() {
        int n = 0;
        for (PartitionData p : partitions) {
            n += p.rows().isEmpty() && p.staticRow() != null ? 1 : p.rows().size();
        }
        return n;
    }
}
