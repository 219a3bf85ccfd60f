package io.strata.gateway.billing;

/**
 * What a table consumed in a period, in thousandths of a unit (exact sums of half read units) and events.
 *
 * @param onDemandReadMilli read request units of on-demand requests (billed per request)
 * @param onDemandWriteMilli write request units of on-demand requests
 * @param provisionedReadMilli read units consumed on provisioned tables (covered by their provisioned capacity)
 * @param provisionedWriteMilli write units consumed on provisioned tables
 * @param provisionedReadUnitMillis provisioned read capacity held, in unit-milliseconds
 * @param provisionedWriteUnitMillis provisioned write capacity held, in unit-milliseconds
 * @param readThrottles read requests throttled
 * @param writeThrottles write requests throttled
 * @param storageByteMillis stored table bytes held, in byte-milliseconds
 * @param ttlDeleteUnits TTL delete units: rows whose expired data storage removed, 1 per started KB each
 * @param restoredBytes bytes restored into the table (point-in-time or backup restores, billed per GB restored)
 * @param pitrByteMillis bytes the table keeps only as point-in-time history, in byte-milliseconds (billed per
 *     GB-month apart from storage, as Keyspaces bills PITR)
 */
record Usage(long onDemandReadMilli, long onDemandWriteMilli, long provisionedReadMilli, long provisionedWriteMilli,
        long provisionedReadUnitMillis, long provisionedWriteUnitMillis, long readThrottles, long writeThrottles,
        long storageByteMillis, long ttlDeleteUnits, long restoredBytes, long pitrByteMillis) {
    static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Everything but PITR history. */
    Usage(long onDemandReadMilli, long onDemandWriteMilli, long provisionedReadMilli, long provisionedWriteMilli,
            long provisionedReadUnitMillis, long provisionedWriteUnitMillis, long readThrottles, long writeThrottles,
            long storageByteMillis, long ttlDeleteUnits, long restoredBytes) {
        this(onDemandReadMilli, onDemandWriteMilli, provisionedReadMilli, provisionedWriteMilli,
                provisionedReadUnitMillis, provisionedWriteUnitMillis, readThrottles, writeThrottles, storageByteMillis,
                ttlDeleteUnits, restoredBytes, 0);
    }

    /** Everything but restores. */
    Usage(long onDemandReadMilli, long onDemandWriteMilli, long provisionedReadMilli, long provisionedWriteMilli,
            long provisionedReadUnitMillis, long provisionedWriteUnitMillis, long readThrottles, long writeThrottles,
            long storageByteMillis, long ttlDeleteUnits) {
        this(onDemandReadMilli, onDemandWriteMilli, provisionedReadMilli, provisionedWriteMilli,
                provisionedReadUnitMillis, provisionedWriteUnitMillis, readThrottles, writeThrottles, storageByteMillis,
                ttlDeleteUnits, 0);
    }

    /** A completed restore's bytes only. */
    static Usage restored(long bytes) {
        return new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, bytes);
    }

    /** Everything but TTL deletes. */
    Usage(long onDemandReadMilli, long onDemandWriteMilli, long provisionedReadMilli, long provisionedWriteMilli,
            long provisionedReadUnitMillis, long provisionedWriteUnitMillis, long readThrottles, long writeThrottles,
            long storageByteMillis) {
        this(onDemandReadMilli, onDemandWriteMilli, provisionedReadMilli, provisionedWriteMilli,
                provisionedReadUnitMillis, provisionedWriteUnitMillis, readThrottles, writeThrottles, storageByteMillis, 0, 0);
    }

    /** TTL deletes only. */
    static Usage ttlDeletes(long units) {
        return new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0, units, 0);
    }

    /** Everything but storage and TTL deletes. */
    Usage(long onDemandReadMilli, long onDemandWriteMilli, long provisionedReadMilli, long provisionedWriteMilli,
            long provisionedReadUnitMillis, long provisionedWriteUnitMillis, long readThrottles, long writeThrottles) {
        this(onDemandReadMilli, onDemandWriteMilli, provisionedReadMilli, provisionedWriteMilli,
                provisionedReadUnitMillis, provisionedWriteUnitMillis, readThrottles, writeThrottles, 0, 0, 0);
    }

    /** The ledger's column names, in the order of {@link #values()}. */
    static final String[] COLUMNS = {"od_rru", "od_wru", "pv_rcu", "pv_wcu", "pv_rcu_ms", "pv_wcu_ms", "throttled_r",
            "throttled_w", "storage_bms", "ttl_deletes", "restored_bytes", "pitr_bms"};

    long[] values() {
        return new long[] {onDemandReadMilli, onDemandWriteMilli, provisionedReadMilli, provisionedWriteMilli,
                provisionedReadUnitMillis, provisionedWriteUnitMillis, readThrottles, writeThrottles, storageByteMillis,
                ttlDeleteUnits, restoredBytes, pitrByteMillis};
    }

    static Usage of(long[] v) {
        return new Usage(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    }

    Usage plus(Usage o) {
        long[] a = values();
        long[] b = o.values();
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return of(a);
    }
}
