package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A table being restored, as its schema records it (in the hidden table option {@link #OPTION}, so it survives a
 * restart): from which table or backup, as of which instant, since when. A table with this marker is RESTORING in
 * {@code system_schema_mcs.tables.status} and refuses reads and writes; the marker goes when the restore is ACTIVE.
 * Immutable.
 *
 * @param source the source table's {@code ks.name}, or the backup's name for a restore from a backup
 * @param sourceId the source table's id (for a backup, the id of the table it was taken of)
 * @param atMillis the instant restored (for a backup, when it was taken)
 * @param startedMillis when the restore was accepted
 * @param backup whether {@code source} names an on-demand backup rather than a table
 */
public record RestoreState(String source, UUID sourceId, long atMillis, long startedMillis, boolean backup) {
    public static final String OPTION = "strata_restore";

    public RestoreState {
        requireNonNull(source, "source is null");
        requireNonNull(sourceId, "sourceId is null");
    }

    /** The restore a table is under, or empty when it is ACTIVE. */
    public static Optional<RestoreState> of(TableMetadata t) {
        if (!(t.options().get(OPTION) instanceof Map<?, ?> m)) {
            return Optional.empty();
        }
        return Optional.of(new RestoreState(String.valueOf(m.get("source")), UUID.fromString(String.valueOf(m.get("source_id"))),
                Long.parseLong(String.valueOf(m.get("at"))), Long.parseLong(String.valueOf(m.get("started"))),
                Boolean.parseBoolean(String.valueOf(m.get("backup")))));
    }

    public static boolean restoring(TableMetadata t) {
        return t.options().containsKey(OPTION);
    }

    /** The table marked as under this restore. */
    public TableMetadata mark(TableMetadata t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("source_id", sourceId.toString());
        m.put("at", Long.toString(atMillis));
        m.put("started", Long.toString(startedMillis));
        m.put("backup", Boolean.toString(backup));
        Map<String, Object> options = new LinkedHashMap<>(t.options());
        options.put(OPTION, m);
        return t.withOptions(options);
    }

    /** The table with its restore marker removed: ACTIVE. */
    public static TableMetadata activate(TableMetadata t) {
        Map<String, Object> options = new LinkedHashMap<>(t.options());
        options.remove(OPTION);
        return t.withOptions(options);
    }
}
