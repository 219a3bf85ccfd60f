package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A table's Cassandra options with Cassandra 5.0's defaults filled in: what {@code system_schema.tables}
 * and DESCRIBE show. Computed from {@link TableMetadata#options()}, which holds the options as given and
 * normalised by the DDL (strings, and maps of strings for caching, compaction and compression). Strata
 * honours {@code default_time_to_live} and {@code gc_grace_seconds}; the others are kept and shown.
 * Keyspaces' {@code custom_properties} and {@code tags} are not Cassandra options and are not here.
 * Immutable.
 */
public record TableParams(
        String additionalWritePolicy,
        boolean allowAutoSnapshot,
        double bloomFilterFpChance,
        Map<String, String> caching,
        boolean cdc,
        String comment,
        Map<String, String> compaction,
        Map<String, String> compression,
        String memtable,
        double crcCheckChance,
        int defaultTimeToLive,
        Map<String, String> extensions,
        int gcGraceSeconds,
        boolean incrementalBackups,
        int maxIndexInterval,
        int memtableFlushPeriodInMs,
        int minIndexInterval,
        String readRepair,
        String speculativeRetry) {

    public static final String STCS = "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy";
    public static final String LCS = "org.apache.cassandra.db.compaction.LeveledCompactionStrategy";
    public static final Map<String, String> DEFAULT_CACHING = sorted(Map.of("keys", "ALL", "rows_per_partition", "NONE"));
    public static final Map<String, String> DEFAULT_COMPACTION = sorted(Map.of("class", STCS, "max_threshold", "32",
            "min_threshold", "4"));
    public static final Map<String, String> DEFAULT_COMPRESSION = sorted(Map.of("chunk_length_in_kb", "16",
            "class", "org.apache.cassandra.io.compress.LZ4Compressor"));
    public static final int DEFAULT_GC_GRACE_SECONDS = 864_000;

    public TableParams {
        requireNonNull(additionalWritePolicy, "additionalWritePolicy is null");
        caching = sorted(caching);
        requireNonNull(comment, "comment is null");
        compaction = sorted(compaction);
        compression = sorted(compression);
        requireNonNull(memtable, "memtable is null");
        extensions = sorted(extensions);
        requireNonNull(readRepair, "readRepair is null");
        requireNonNull(speculativeRetry, "speculativeRetry is null");
    }

    /** The parameters of a table whose options are {@code options} (absent ones take their defaults). */
    public static TableParams of(Map<String, Object> options) {
        Map<String, String> compaction = map(options.get("compaction"), DEFAULT_COMPACTION);
        // As Cassandra's CompactionParams.defaultBloomFilterFbChance: 0.1 for leveled compaction, else 0.01.
        double bloomDefault = LCS.equals(compaction.get("class")) ? 0.1 : 0.01;
        return new TableParams(
                text(options, "additional_write_policy", "99p"),
                bool(options, "allow_auto_snapshot", true),
                real(options, "bloom_filter_fp_chance", bloomDefault),
                map(options.get("caching"), DEFAULT_CACHING),
                bool(options, "cdc", false),
                text(options, "comment", ""),
                compaction,
                map(options.get("compression"), DEFAULT_COMPRESSION),
                text(options, "memtable", "default"),
                real(options, "crc_check_chance", 1.0),
                integer(options, "default_time_to_live", 0),
                Map.of(),
                integer(options, "gc_grace_seconds", DEFAULT_GC_GRACE_SECONDS),
                bool(options, "incremental_backups", true),
                integer(options, "max_index_interval", 2048),
                integer(options, "memtable_flush_period_in_ms", 0),
                integer(options, "min_index_interval", 128),
                text(options, "read_repair", "BLOCKING"),
                text(options, "speculative_retry", "99p"));
    }

    public static TableParams of(TableMetadata table) {
        return of(table.options());
    }

    private static String text(Map<String, Object> options, String name, String def) {
        Object v = options.get(name);
        return v == null ? def : String.valueOf(v);
    }

    private static boolean bool(Map<String, Object> options, String name, boolean def) {
        Object v = options.get(name);
        return v == null ? def : Boolean.parseBoolean(String.valueOf(v));
    }

    private static int integer(Map<String, Object> options, String name, int def) {
        Object v = options.get(name);
        return v == null ? def : (int) Double.parseDouble(String.valueOf(v));
    }

    private static double real(Map<String, Object> options, String name, double def) {
        Object v = options.get(name);
        return v == null ? def : Double.parseDouble(String.valueOf(v));
    }

    private static Map<String, String> map(Object v, Map<String, String> def) {
        if (!(v instanceof Map<?, ?> m)) {
            return def;
        }
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return out;
    }

    private static Map<String, String> sorted(Map<String, String> m) {
        return Collections.unmodifiableMap(new TreeMap<>(requireNonNull(m, "map is null")));
    }
}
