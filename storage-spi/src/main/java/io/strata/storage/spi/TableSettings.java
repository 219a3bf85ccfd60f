package io.strata.storage.spi;

/**
 * Per-table storage behaviour derived from the table's schema options.
 *
 * @param gcGraceSeconds how long tombstones (and expired TTL data) are kept before compaction may purge
 *     them (CQL {@code gc_grace_seconds}; Cassandra's default is 864000, 10 days)
 */
public record TableSettings(int gcGraceSeconds) {
    public static final TableSettings DEFAULT = new TableSettings(864_000);

    public TableSettings {
        if (gcGraceSeconds < 0) {
            throw new IllegalArgumentException("gcGraceSeconds < 0");
        }
    }
}
