package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A row of a partition (or its static row, when {@code clustering} is {@link Clustering#STATIC}).
 *
 * <p>{@code cells} are ordered by column name, then path (unsigned bytes). {@code complexDeletions}
 * maps a collection column to a deletion covering all its elements (written when a whole collection
 * is overwritten or deleted). In a write, the row carries what the statement wrote; in a read result,
 * the engine returns reconciled rows: only live cells, tombstones and expired data removed.
 */
public record Row(
        Clustering clustering,
        LivenessInfo liveness,
        DeletionTime deletion,
        Map<String, DeletionTime> complexDeletions,
        List<Cell> cells) {
    public Row {
        requireNonNull(clustering, "clustering is null");
        requireNonNull(liveness, "liveness is null");
        requireNonNull(deletion, "deletion is null");
        complexDeletions = Map.copyOf(complexDeletions);
        cells = List.copyOf(cells);
    }

    public static Row of(Clustering clustering, LivenessInfo liveness, List<Cell> cells) {
        return new Row(clustering, liveness, DeletionTime.LIVE, Map.of(), cells);
    }

    public static Row deleted(Clustering clustering, DeletionTime deletion) {
        return new Row(clustering, LivenessInfo.NONE, deletion, Map.of(), List.of());
    }

    public boolean isStatic() {
        return clustering.isStatic();
    }
}
