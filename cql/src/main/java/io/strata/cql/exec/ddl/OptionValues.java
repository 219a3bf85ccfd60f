package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import java.math.BigDecimal;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The structured table options (caching, compaction, compression, speculative retry policies) validated
 * and normalised as Cassandra 5.0.9 does, with its codes and messages: the stored value is what
 * {@code system_schema.tables} and DESCRIBE show (full class names, defaults filled in, sorted keys). Strata
 * keeps these options and shows them; it does not act on them. Stateless.
 */
final class OptionValues {
    private static final String COMPACTION_PACKAGE = "org.apache.cassandra.db.compaction.";
    private static final String COMPRESSION_PACKAGE = "org.apache.cassandra.io.compress.";
    private static final Set<String> COMMON_COMPACTION = Set.of("class", "enabled", "min_threshold", "max_threshold",
            "tombstone_threshold", "tombstone_compaction_interval", "unchecked_tombstone_compaction",
            "only_purge_repaired_tombstones", "log_all", "provide_overlapping_tombstones");
    private static final Set<String> SIZE_TIERED = Set.of("min_sstable_size", "bucket_low", "bucket_high");
    /** Known strategies, with the options each understands besides the common ones (null: not checked). */
    private static final Map<String, Set<String>> COMPACTION = Map.of(
            "SizeTieredCompactionStrategy", SIZE_TIERED,
            "LeveledCompactionStrategy", Set.of("sstable_size_in_mb", "fanout_size", "single_sstable_uplevel"),
            "TimeWindowCompactionStrategy", union(SIZE_TIERED, Set.of("compaction_window_unit", "compaction_window_size",
                    "timestamp_resolution", "expired_sstable_check_frequency_seconds",
                    "unsafe_aggressive_sstable_expiration")),
            "UnifiedCompactionStrategy", Set.of());
    private static final Set<String> COMPRESSORS = Set.of("LZ4Compressor", "SnappyCompressor", "DeflateCompressor",
            "ZstdCompressor", "NoopCompressor");
    private static final Set<String> COMPRESSION_OPTIONS = Set.of("class", "enabled", "chunk_length_in_kb",
            "min_compress_ratio", "max_compressed_length", "compression_level", "lz4_compressor_type",
            "lz4_high_compressor_level");
    private static final Pattern PERCENTILE = Pattern.compile("(\\d+(?:\\.\\d+)?)(?:p|percentile)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIXED = Pattern.compile("(\\d+(?:\\.\\d+)?)ms", Pattern.CASE_INSENSITIVE);
    private static final Pattern HYBRID = Pattern.compile("(min|max)\\s*\\(\\s*([^,\\s]+)\\s*,\\s*([^)\\s]+)\\s*\\)",
            Pattern.CASE_INSENSITIVE);

    private OptionValues() {}

    /** {@code caching}: keys ALL|NONE and rows_per_partition ALL|NONE|n; a sub-option left out is NONE. */
    static Map<String, String> caching(Map<String, String> given) {
        Set<String> unknown = new LinkedHashSet<>(given.keySet());
        unknown.remove("keys");
        unknown.remove("rows_per_partition");
        if (!unknown.isEmpty()) {
            throw CqlException.config("Invalid caching sub-options " + unknown
                    + ": only 'keys' and 'rows_per_partition' are allowed");
        }
        Map<String, String> out = new TreeMap<>();
        String keys = given.getOrDefault("keys", "NONE").toUpperCase(Locale.ROOT);
        if (!keys.equals("ALL") && !keys.equals("NONE")) {
            throw CqlException.config("Invalid value '" + given.get("keys") + "' for caching sub-option 'keys': only "
                    + "'ALL' and 'NONE' are allowed");
        }
        out.put("keys", keys);
        String rows = given.getOrDefault("rows_per_partition", "NONE");
        String upper = rows.toUpperCase(Locale.ROOT);
        if (upper.equals("ALL") || upper.equals("NONE")) {
            out.put("rows_per_partition", upper);
        } else if (rows.matches("\\d+")) {
            out.put("rows_per_partition", rows);
        } else {
            throw CqlException.config("Invalid value '" + rows + "' for caching sub-option 'rows_per_partition': only "
                    + "'ALL', 'NONE' or a positive integer are allowed");
        }
        return out;
    }

    /** {@code compaction}: a known strategy (short or full name), its thresholds filled in but for UCS. */
    static Map<String, String> compaction(Map<String, String> given) {
        String cls = given.get("class");
        if (cls == null) {
            throw CqlException.config("Missing sub-option 'class' for the 'compaction' option");
        }
        String full = cls.contains(".") ? cls : COMPACTION_PACKAGE + cls;
        String simple = full.startsWith(COMPACTION_PACKAGE) ? full.substring(COMPACTION_PACKAGE.length()) : null;
        Set<String> own = simple == null ? null : COMPACTION.get(simple);
        if (own == null) {
            throw CqlException.config("Unable to find compaction strategy class '" + full + "'");
        }
        Map<String, String> out = new TreeMap<>(given);
        out.put("class", full);
        if (!simple.equals("UnifiedCompactionStrategy")) {
            Set<String> unknown = new LinkedHashSet<>();
            for (String option : given.keySet()) {
                if (!COMMON_COMPACTION.contains(option) && !own.contains(option)) {
                    unknown.add(option);
                }
            }
            if (!unknown.isEmpty()) {
                throw CqlException.config("Properties specified " + unknown + " are not understood by " + simple);
            }
            out.putIfAbsent("max_threshold", "32");
            out.putIfAbsent("min_threshold", "4");
        }
        return out;
    }

    /** {@code compression}: a known compressor with its chunk length, or {@code {'enabled': 'false'}}. */
    static Map<String, String> compression(Map<String, String> given) {
        Map<String, String> out = new TreeMap<>(given);
        String enabled = out.remove("enabled");
        if (given.isEmpty() || (enabled != null && !Boolean.parseBoolean(enabled))) {
            if (!out.isEmpty()) {
                throw CqlException.config("If the 'enabled' option is set to false no other options must be specified");
            }
            return new TreeMap<>(Map.of("enabled", "false"));
        }
        String cls = out.get("class");
        if (cls == null || cls.isEmpty()) {
            throw CqlException.config("Missing sub-option 'class' for the 'compression' option.");
        }
        String full = cls.contains(".") ? cls : COMPRESSION_PACKAGE + cls;
        if (!full.startsWith(COMPRESSION_PACKAGE) || !COMPRESSORS.contains(full.substring(COMPRESSION_PACKAGE.length()))) {
            throw CqlException.config("Could not create Compression for type " + full);
        }
        out.put("class", full);
        Set<String> unknown = new LinkedHashSet<>();
        for (String option : out.keySet()) {
            if (!COMPRESSION_OPTIONS.contains(option)) {
                unknown.add(option);
            }
        }
        if (!unknown.isEmpty()) {
            throw CqlException.config("Unknown compression options " + String.join(", ", unknown));
        }
        String chunk = out.getOrDefault("chunk_length_in_kb", "16");
        int kb;
        try {
            kb = Integer.parseInt(chunk);
        } catch (NumberFormatException e) {
            throw CqlException.config("Invalid value for chunk_length_in_kb: " + chunk);
        }
        if (kb <= 0 || Integer.bitCount(kb) != 1) {
            throw CqlException.config("chunk_length_in_kb must be a power of 2");
        }
        out.put("chunk_length_in_kb", Integer.toString(kb));
        return out;
    }

    /**
     * {@code speculative_retry} and {@code additional_write_policy}: {@code 99p} (or {@code 99PERCENTILE}),
     * {@code 50ms}, {@code ALWAYS}, {@code NEVER} (or {@code NONE}), {@code MIN(...)} and {@code MAX(...)}, as
     * Cassandra's SpeculativeRetryPolicy writes them back.
     */
    static String retryPolicy(String option, String given) {
        String v = given.trim();
        String upper = v.toUpperCase(Locale.ROOT);
        if (upper.equals("ALWAYS")) {
            return "ALWAYS";
        }
        if (upper.equals("NEVER") || upper.equals("NONE")) {
            return "NEVER";
        }
        String simple = simplePolicy(option, given, v);
        if (simple != null) {
            return simple;
        }
        Matcher hybrid = HYBRID.matcher(v);
        if (hybrid.matches()) {
            String a = simplePolicy(option, given, hybrid.group(2));
            String b = simplePolicy(option, given, hybrid.group(3));
            if (a != null && b != null) {
                if (a.endsWith("p") == b.endsWith("p")) {
                    throw CqlException.config("Invalid value " + given + " for option '" + option + "': MIN()/MAX() "
                            + "arguments should be of different types, but both are of type "
                            + (a.endsWith("p") ? "PERCENTILE" : "FIXED"));
                }
                String percentile = a.endsWith("p") ? a : b;
                String fixed = a.endsWith("p") ? b : a;
                return hybrid.group(1).toUpperCase(Locale.ROOT) + "(" + percentile + "," + fixed + ")";
            }
        }
        throw CqlException.config("Invalid value " + given + " for option '" + option + "'");
    }

    /** {@code 99p}/{@code 99PERCENTILE} as {@code 99p}, {@code 50ms} as {@code 50ms}; null for other forms. */
    private static String simplePolicy(String option, String given, String v) {
        Matcher p = PERCENTILE.matcher(v);
        if (p.matches()) {
            BigDecimal percentile = new BigDecimal(p.group(1));
            if (percentile.signum() <= 0 || percentile.compareTo(BigDecimal.valueOf(100)) >= 0) {
                throw CqlException.config("Invalid value " + given + " for PERCENTILE option '" + option
                        + "': must be between (0.0 and 100.0)");
            }
            return percentile.stripTrailingZeros().toPlainString() + "p";
        }
        Matcher f = FIXED.matcher(v);
        if (f.matches()) {
            return new BigDecimal(f.group(1)).longValue() + "ms";
        }
        return null;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
