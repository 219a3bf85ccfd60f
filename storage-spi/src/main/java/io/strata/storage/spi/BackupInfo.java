package io.strata.storage.spi;

import static java.util.Objects.requireNonNull;

/**
 * An on-demand backup of one table: an immutable snapshot of its segments at {@code createdAtMillis}, kept until
 * deleted even after the table is dropped, with the caller's {@code metadata} (the table's schema at that time)
 * stored beside it. {@code bytes} is the size of the segments it holds.
 */
public record BackupInfo(String tenant, String name, TableId table, long createdAtMillis, long bytes, byte[] metadata) {
    public BackupInfo {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(name, "name is null");
        requireNonNull(table, "table is null");
        requireNonNull(metadata, "metadata is null");
    }
}
