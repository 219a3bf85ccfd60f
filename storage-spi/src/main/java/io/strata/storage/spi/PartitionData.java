package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A partition in a read result: reconciled, live data only. {@code staticRow} is null when the
 * partition has no live static cells (or none was selected). {@code rows} are in the query's order.
 */
public record PartitionData(PartitionKey key, Row staticRow, List<Row> rows) {
    public PartitionData {
        requireNonNull(key, "key is null");
        rows = List.copyOf(rows);
    }
}
