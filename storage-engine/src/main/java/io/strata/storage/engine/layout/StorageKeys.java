package io.strata.storage.engine.layout;

import io.strata.storage.spi.TableId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Every key and name the engine stores, built and parsed here and nowhere else (as SlateDB's paths.rs):
 * <pre>
 * data store (BlobStore)
 *   epoch/&lt;epoch:020&gt;                                   writer epochs, created only if absent
 *   tables/&lt;tenant&gt;/&lt;table uuid&gt;/TABLE                  a table's identity (tenant, keyspace, name, uuid)
 *   tables/&lt;tenant&gt;/&lt;table uuid&gt;/manifest/&lt;version:020&gt;  manifest versions, created only if absent
 *   tables/&lt;tenant&gt;/&lt;table uuid&gt;/segments/&lt;id:020&gt;.seg  immutable segments
 *   catalog/&lt;name&gt;/&lt;version:020&gt;                       catalog document versions, created only if absent
 *   wal-retired/&lt;log name&gt;                              when a commit log was fully flushed
 * commit log (LogStore)
 *   wal-&lt;number:020&gt;                                    one log per roll
 * commit log kept as blobs (BlobLogStore, e.g. on S3), under {@link #COMMIT_LOG_BLOB_PREFIX}
 *   wal/&lt;log name&gt;/&lt;sequence:020&gt;                      one blob per group commit
 * </pre>
 * Numbers are zero-padded to 20 digits so that listing order (bytewise) is numeric order. These keys are
 * the on-store format: changing one strands existing data. Stateless; thread-safe.
 */
public final class StorageKeys {
    /** Root of every table's blobs in the data store. */
    public static final String TABLES = "tables/";
    /** Writer epochs in the data store. */
    public static final String EPOCHS = "epoch/";
    /** Markers of commit logs flushed by every table, named after the log. */
    public static final String RETIRED_LOGS = "wal-retired/";
    /** Root of catalog documents in the data store. */
    public static final String CATALOG = "catalog/";
    /** What every commit log's name starts with. */
    public static final String COMMIT_LOG_PREFIX = "wal-";
    /** The key prefix of a commit log kept as blobs (one per chunk) inside a blob store. */
    public static final String COMMIT_LOG_BLOB_PREFIX = "wal/";

    private static final String IDENTITY = "TABLE";
    private static final String ENCRYPTION = "ENCRYPTION";
    private static final String RESTORE = "RESTORE";
    /** On-demand backups: {@code backups/<tenant>/<name>}. */
    public static final String BACKUPS = "backups/";
    private static final String MANIFESTS = "manifest/";
    private static final String SEGMENTS = "segments/";
    private static final String SEGMENT_SUFFIX = ".seg";
    private static final Pattern NUMBER = Pattern.compile("\\d{20}");

    private StorageKeys() {}

    private static String number(long n) {
        return String.format("%020d", n);
    }

    private static String lastName(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    // ---- tables -----------------------------------------------------------------------------------------

    /** The prefix of every blob of a table: {@code tables/<tenant>/<uuid>/}. */
    public static String tableRoot(TableId table) {
        return TABLES + table.tenant() + "/" + table.id() + "/";
    }

    /** The table root a key lies under (its first three path elements), or empty outside a table's root. */
    public static Optional<String> tableRootOf(String key) {
        if (!key.startsWith(TABLES)) {
            return Optional.empty();
        }
        int at = -1;
        for (int i = 0; i < 3; i++) {
            at = key.indexOf('/', at + 1);
            if (at < 0) {
                return Optional.empty();
            }
        }
        return Optional.of(key.substring(0, at + 1));
    }

    /** The tenant of a table root ({@code tables/<tenant>/<uuid>/}). */
    public static String tenantOfRoot(String root) {
        if (!root.startsWith(TABLES) || root.indexOf('/', TABLES.length()) < 0) {
            throw new IllegalArgumentException("not a table root: " + root);
        }
        return root.substring(TABLES.length(), root.indexOf('/', TABLES.length()));
    }

    /** The blob holding a table's identity. */
    public static String tableIdentity(String root) {
        return root + IDENTITY;
    }

    /** The blob naming the customer-managed key a table's new data is encrypted under (absent: the service's). */
    public static String tableEncryption(String root) {
        return root + ENCRYPTION;
    }

    /** The blob recording that a table is (or was) built by a restore, and how far that got. */
    public static String restoreMarker(String root) {
        return root + RESTORE;
    }

    /** The blob of a tenant's on-demand backup. */
    public static String backup(String tenant, String name) {
        return BACKUPS + tenant + "/" + name;
    }

    public static String manifestPrefix(String root) {
        return root + MANIFESTS;
    }

    public static String manifest(String root, long version) {
        return manifestPrefix(root) + number(version);
    }

    /**
     * Whether {@code key} is a manifest version of the table: exactly {@code <root>manifest/<20 digits>}. Anything
     * else under the prefix (a foreign object, or a store's in-flight temporary such as S3Proxy's filesystem
     * backend lists as {@code <key>-<uuid>}) is not one and is ignored by every reader.
     */
    public static boolean isManifest(String root, String key) {
        String prefix = manifestPrefix(root);
        return key.startsWith(prefix) && NUMBER.matcher(key).region(prefix.length(), key.length()).matches();
    }

    /** The version of a manifest key. */
    public static long manifestVersion(String manifestKey) {
        return Long.parseLong(lastName(manifestKey));
    }

    public static String segment(TableId table, long segmentId) {
        return segment(tableRoot(table), segmentId);
    }

    public static String segment(String root, long segmentId) {
        return root + SEGMENTS + number(segmentId) + SEGMENT_SUFFIX;
    }

    /** Whether {@code key} is a segment of the table: exactly {@code <root>segments/<20 digits>.seg}. */
    public static boolean isSegment(String root, String key) {
        String prefix = root + SEGMENTS;
        return key.startsWith(prefix) && key.endsWith(SEGMENT_SUFFIX)
                && NUMBER.matcher(key).region(prefix.length(), key.length() - SEGMENT_SUFFIX.length()).matches();
    }

    /** The id of a segment key. */
    public static long segmentId(String segmentKey) {
        String name = lastName(segmentKey);
        return Long.parseLong(name.substring(0, name.length() - SEGMENT_SUFFIX.length()));
    }

    // ---- data keys --------------------------------------------------------------------------------------

    /** Every data key of every tenant lives under this prefix. */
    public static final String DATA_KEYS = "keys/";

    /** The prefix of a tenant's wrapped data keys: {@code keys/<tenant>/}. */
    public static String dataKeyPrefix(String tenant) {
        return DATA_KEYS + tenant + "/";
    }

    /** The prefix of every wrapping of a tenant's data key {@code version}. */
    public static String dataKeyVersionPrefix(String tenant, int version) {
        return dataKeyPrefix(tenant) + "dk-" + number(version) + "-";
    }

    /**
     * Wrapping {@code generation} of a tenant's data key {@code version}:
     * {@code keys/<tenant>/dk-<version:020>-<generation:020>}. Re-wrapping under a new master key writes the next
     * generation (create-if-absent, as every versioned blob), and readers take the newest.
     */
    public static String dataKey(String tenant, int version, long generation) {
        return dataKeyVersionPrefix(tenant, version) + number(generation);
    }

    /** The data key version and wrapping generation of a data key blob, or null if the key is not one. */
    public static long[] dataKeyVersionAndGeneration(String key) {
        String name = lastName(key);
        if (!name.startsWith("dk-") || name.length() != 3 + 20 + 1 + 20 || name.charAt(23) != '-'
                || !NUMBER.matcher(name.substring(3, 23)).matches() || !NUMBER.matcher(name.substring(24)).matches()) {
            return null;
        }
        return new long[] {Long.parseLong(name.substring(3, 23)), Long.parseLong(name.substring(24))};
    }

    // ---- writer epochs ----------------------------------------------------------------------------------

    public static String epoch(long epoch) {
        return EPOCHS + number(epoch);
    }

    /** Whether {@code key} is a writer epoch claim: exactly {@code epoch/<20 digits>}. */
    public static boolean isEpoch(String key) {
        return key.startsWith(EPOCHS) && NUMBER.matcher(key).region(EPOCHS.length(), key.length()).matches();
    }

    public static long epochOf(String epochKey) {
        return Long.parseLong(epochKey.substring(EPOCHS.length()));
    }

    // ---- commit logs ------------------------------------------------------------------------------------

    /** The name of commit log {@code number} in the log store. */
    public static String commitLog(long number) {
        return COMMIT_LOG_PREFIX + number(number);
    }

    /** The number of a commit log name, or empty for any other log name. */
    /** Point-in-time history extracted from commit log {@code number} when it retired (see {@code CommitLog.extract}). */
    public static final String HISTORY_LOG_PREFIX = "hist-";

    public static String historyLog(long number) {
        return HISTORY_LOG_PREFIX + number(number);
    }

    public static OptionalLong historyLogNumber(String logName) {
        if (!logName.startsWith(HISTORY_LOG_PREFIX)
                || !NUMBER.matcher(logName.substring(HISTORY_LOG_PREFIX.length())).matches()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(logName.substring(HISTORY_LOG_PREFIX.length())));
    }

    public static OptionalLong commitLogNumber(String logName) {
        if (!logName.startsWith(COMMIT_LOG_PREFIX)
                || !NUMBER.matcher(logName.substring(COMMIT_LOG_PREFIX.length())).matches()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(logName.substring(COMMIT_LOG_PREFIX.length())));
    }

    /** The marker saying that a commit log was flushed by every table. */
    public static String retiredLog(String logName) {
        return RETIRED_LOGS + logName;
    }

    /** The log (commit or history log) a retired-log marker stands for, or empty for a key that is no marker. */
    public static Optional<String> retiredLogName(String markerKey) {
        if (!markerKey.startsWith(RETIRED_LOGS)) {
            return Optional.empty();
        }
        String log = markerKey.substring(RETIRED_LOGS.length());
        return commitLogNumber(log).isPresent() || historyLogNumber(log).isPresent() ? Optional.of(log)
                : Optional.empty();
    }

    // ---- catalog ----------------------------------------------------------------------------------------

    /** The prefix of a catalog document's versions; refuses names that could escape the catalog. */
    public static String catalogDocument(String name) {
        if (name.contains("..") || name.startsWith("/") || name.isEmpty()) {
            throw new IllegalArgumentException("bad catalog name " + name);
        }
        return CATALOG + name + "/";
    }

    public static String catalogVersion(String name, long version) {
        return catalogDocument(name) + number(version);
    }

    /** The version a key holds of the named document, or empty for keys that are no version of it. */
    public static OptionalLong catalogVersionOf(String name, String key) {
        String prefix = catalogDocument(name);
        if (!key.startsWith(prefix)) {
            return OptionalLong.empty();
        }
        String rest = key.substring(prefix.length());
        return NUMBER.matcher(rest).matches() ? OptionalLong.of(Long.parseLong(rest)) : OptionalLong.empty();
    }

    /** The document name of a catalog key ({@code catalog/<name>/<version>}), or empty outside the catalog. */
    public static Optional<String> catalogNameOf(String key) {
        if (!key.startsWith(CATALOG)) {
            return Optional.empty();
        }
        String k = key.substring(CATALOG.length());
        int slash = k.lastIndexOf('/');
        return slash > 0 ? Optional.of(k.substring(0, slash)) : Optional.empty();
    }
}
