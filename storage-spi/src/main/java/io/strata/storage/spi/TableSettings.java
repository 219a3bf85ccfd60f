package io.strata.storage.spi;

/**
 * Per-table storage behaviour derived from the table's schema options.
 *
 * @param gcGraceSeconds how long tombstones (and expired TTL data) are kept before compaction may purge
 *     them (CQL {@code gc_grace_seconds}; Cassandra's default is 864000, 10 days)
 * @param customerKey the customer-managed key the table's data is encrypted under, as the tenant named it
 *     (Keyspaces' {@code kms_key_identifier} with {@code CUSTOMER_MANAGED_KMS_KEY}); null for the service's key
 * @param pointInTimeRecovery whether the table keeps history to restore from (Keyspaces'
 *     {@code point_in_time_recovery}); without it, flushed commit logs and compaction inputs go after a short grace
 */
public record TableSettings(int gcGraceSeconds, String customerKey, boolean pointInTimeRecovery) {
    public static final TableSettings DEFAULT = new TableSettings(864_000, null, false);

    public TableSettings {
        if (gcGraceSeconds < 0) {
            throw new IllegalArgumentException("gcGraceSeconds < 0");
        }
        if (customerKey != null && customerKey.isBlank()) {
            throw new IllegalArgumentException("customerKey is blank");
        }
    }

    public TableSettings(int gcGraceSeconds) {
        this(gcGraceSeconds, null, false);
    }

    public TableSettings(int gcGraceSeconds, String customerKey) {
        this(gcGraceSeconds, customerKey, false);
    }
}
