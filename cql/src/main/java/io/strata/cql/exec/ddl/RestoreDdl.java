package io.strata.cql.exec.ddl;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.RestoreTable;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.RestoreState;
import io.strata.cql.schema.RestoreWindow;
import io.strata.cql.schema.Restores;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaHistory;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.SchemaService.Change;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides a restore into a new table against the tenant's current schema (inside {@link SchemaService#apply}, so
 * concurrent DDL and restores are serialised): which incarnation of the source name was live at the instant, whether
 * point-in-time recovery covers that instant, whether the target may be created and another restore may start; and
 * the new table, marked RESTORING: the source's columns and Cassandra options as of the instant; capacity mode, auto
 * scaling, encryption and PITR as the source has them now (or had them when dropped), as Keyspaces' RestoreTable
 * does, unless the statement overrides them; tags only as given. Pure functions of (statement, schema, time).
 * Stateless.
 */
final class RestoreDdl {
    static final String TIMESTAMP = "restore_timestamp";
    private static final Set<String> PROPERTIES = Set.of(TIMESTAMP, "custom_properties", "autoscaling_settings", "tags");
    /** What a restore may override in custom_properties (Keyspaces: capacity, encryption, PITR). */
    private static final Set<String> OVERRIDABLE = Set.of(CapacityProperties.CAPACITY, EncryptionProperties.KEY,
            PitrProperties.KEY);
    /** What the restored table takes from the source as it is now (or was when dropped). */
    private static final Set<String> LATEST_CUSTOM = OVERRIDABLE;
    /** Keyspaces' own spelling, {@code 2020-06-30T04:05:00+0000}, besides ISO-8601 with {@code Z} or {@code +00:00}. */
    private static final DateTimeFormatter COMPACT_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z");

    private RestoreDdl() {}

    /**
     * What the decision produced, for the executor once it is committed: the source incarnation's id and the
     * instant (for the engine) and the new table.
     */
    record Decision(UUID sourceId, long atMillis, TableMetadata target) {
        Decision {
            requireNonNull(sourceId, "sourceId is null");
            requireNonNull(target, "target is null");
        }
    }

    /** The change RESTORE TABLE makes; {@code decided} receives the decision. */
    static Change restore(RestoreTable s, String targetKs, String sourceKs, Schema schema, long nowMillis,
            Restores.Options options, java.util.function.Consumer<Decision> decided) {
        for (String key : s.properties().keySet()) {
            if (!PROPERTIES.contains(key)) {
                throw CqlException.syntax("Unknown property '" + key + "' for RESTORE TABLE; known: restore_timestamp,"
                        + " custom_properties, autoscaling_settings, tags");
            }
        }
        String source = sourceKs + "." + s.source().name();
        KeyspaceMetadata ks = checkTarget(schema, targetKs, s.target().name(), options);
        Object given = s.properties().get(TIMESTAMP);
        long at;
        SchemaHistory.Found found;
        if (given != null) {
            at = parseTimestamp(given);
            if (at > nowMillis) {
                throw CqlException.invalid("restore_timestamp " + Instant.ofEpochMilli(at) + " is in the future (now is "
                        + Instant.ofEpochMilli(nowMillis) + ")");
            }
            found = schema.history().find(schema, sourceKs, s.source().name(), at).orElseThrow(() ->
                    neverExisted(schema, sourceKs, s.source().name())
                            ? CqlException.invalid("Table '" + source + "' doesn't exist")
                            : CqlException.invalid("Table " + source + " did not exist at " + Instant.ofEpochMilli(at)));
        } else if (schema.table(sourceKs, s.source().name()).isPresent()) {
            at = nowMillis;
            found = schema.history().find(schema, sourceKs, s.source().name(), at).orElseThrow();
        } else {
            // as Keyspaces: a dropped table without a timestamp is restored as it was when it was dropped
            SchemaHistory.Incarnation last = schema.history().named(sourceKs, s.source().name()).stream()
                    .filter(SchemaHistory.Incarnation::dropped)
                    .max(Comparator.comparingLong(SchemaHistory.Incarnation::droppedMillis))
                    .orElseThrow(() -> CqlException.invalid("Table '" + source + "' doesn't exist"));
            at = last.droppedMillis() - 1;
            found = new SchemaHistory.Found(last.at(at), last.latest(), last.createdMillis(), last.droppedMillis());
        }
        checkCovered(found, source, at, nowMillis, options);
        if (!targetKs.equals(sourceKs) && found.atInstant().columns().stream().anyMatch(c -> usesUserType(c.type()))) {
            throw CqlException.invalid("Table " + source + " uses user-defined types of keyspace " + sourceKs
                    + ": restore it into that keyspace");
        }
        Map<String, Object> props = new LinkedHashMap<>(s.properties());
        props.remove(TIMESTAMP);
        Map<String, Object> overrides = TableOptions.parse(props);
        Map<String, Object> optionsOf = options(found.atInstant(), found.latest(), overrides, nowMillis,
                props.containsKey("autoscaling_settings"));
        TableMetadata table = new RestoreState(source, found.atInstant().id(), at, nowMillis, false).mark(
                new TableMetadata(targetKs, s.target().name(), UUID.randomUUID(), found.atInstant().columns(), optionsOf,
                        found.atInstant().dropped()));
        decided.accept(new Decision(found.atInstant().id(), at, table));
        return new Change(Optional.of(schema.with(ks.withTable(table), SchemaService.newSchemaVersion())),
                SchemaEvent.table(SchemaEvent.Change.CREATED, targetKs, table.name()));
    }

    /**
     * The change a restore from an on-demand backup makes: the backup's table schema ({@code source}, stored with it)
     * as a new RESTORING table {@code targetKs.targetName}, with all its settings.
     */
    static Change restoreBackup(String backup, TableMetadata source, long takenMillis, String targetKs, String targetName,
            Schema schema, long nowMillis, Restores.Options options, java.util.function.Consumer<Decision> decided) {
        KeyspaceMetadata ks = checkTarget(schema, targetKs, targetName, options);
        if (!targetKs.equals(source.keyspace()) && source.columns().stream().anyMatch(c -> usesUserType(c.type()))) {
            throw CqlException.invalid("The table of backup " + backup + " uses user-defined types of keyspace "
                    + source.keyspace() + ": restore it into that keyspace");
        }
        Map<String, Object> optionsOf = options(source, source, Map.of(), nowMillis, false);
        TableMetadata table = new RestoreState(backup, source.id(), takenMillis, nowMillis, true).mark(
                new TableMetadata(targetKs, targetName, UUID.randomUUID(), source.columns(), optionsOf, source.dropped()));
        decided.accept(new Decision(source.id(), takenMillis, table));
        return new Change(Optional.of(schema.with(ks.withTable(table), SchemaService.newSchemaVersion())),
                SchemaEvent.table(SchemaEvent.Change.CREATED, targetKs, targetName));
    }

    private static KeyspaceMetadata checkTarget(Schema schema, String targetKs, String targetName,
            Restores.Options options) {
        KeyspaceMetadata ks = schema.keyspace(targetKs)
                .orElseThrow(() -> CqlException.invalid("Keyspace '" + targetKs + "' doesn't exist"));
        TableOptions.validateName("table", targetName);
        if (ks.tables().containsKey(targetName)) {
            throw new CqlException.AlreadyExists(targetKs, targetName);
        }
        List<TableMetadata> running = Restores.restoring(schema);
        if (running.size() >= options.maxConcurrent()) {
            throw CqlException.invalid("Too many restores in progress: at most " + options.maxConcurrent()
                    + " may run at once (" + String.join(", ", running.stream().map(TableMetadata::toString).toList())
                    + " are RESTORING); try again when one is ACTIVE");
        }
        return ks;
    }

    /** PITR must be enabled on the source now (or when dropped) and have been since before {@code at}. */
    private static void checkCovered(SchemaHistory.Found found, String source, long at, long nowMillis,
            Restores.Options options) {
        long since = RestoreWindow.enabledSince(found.latest().options());
        if (since < 0) {
            throw CqlException.invalid("Point-in-time recovery is not enabled on " + source + (found.droppedMillis()
                    != SchemaHistory.LIVE ? " (it was not when the table was dropped)" : "; enable it with ALTER TABLE "
                    + source + " WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'enabled'}}"));
        }
        long earliest = Math.max(Math.max(nowMillis - options.window().toMillis(), since), found.createdMillis());
        if (at < earliest) {
            throw CqlException.invalid("restore_timestamp " + Instant.ofEpochMilli(at) + " is before the earliest"
                    + " restorable time of " + source + ", " + Instant.ofEpochMilli(earliest) + " (the window is the "
                    + options.window().toDays() + " days before now, from when point-in-time recovery was enabled)");
        }
        if (RestoreState.restoring(found.atInstant())) {
            throw CqlException.invalid("Table " + source + " was being restored at " + Instant.ofEpochMilli(at)
                    + "; restore it as of a time after it became ACTIVE");
        }
    }

    /**
     * The restored table's options: Cassandra's (TTL included) and Keyspaces' ttl/client-side-timestamp settings as
     * of the instant; capacity, encryption, PITR and auto scaling as of now; then the statement's overrides, validated
     * and stamped as on CREATE TABLE (the new table's on-demand and PITR clocks start now).
     */
    private static Map<String, Object> options(TableMetadata atInstant, TableMetadata latest, Map<String, Object> overrides,
            long nowMillis, boolean autoscalingGiven) {
        Map<String, Object> out = new LinkedHashMap<>(atInstant.options());
        out.remove(RestoreState.OPTION);
        out.remove("tags");
        out.remove(AutoscalingProperties.KEY);
        Map<String, Object> custom = new LinkedHashMap<>();
        if (atInstant.options().get(CapacityProperties.CUSTOM) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (!LATEST_CUSTOM.contains(String.valueOf(k))) {
                    custom.put(String.valueOf(k), v);
                }
            });
        }
        if (latest.options().get(CapacityProperties.CUSTOM) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (LATEST_CUSTOM.contains(String.valueOf(k))) {
                    custom.put(String.valueOf(k), v);
                }
            });
        }
        if (latest.options().get(AutoscalingProperties.KEY) != null) {
            out.put(AutoscalingProperties.KEY, latest.options().get(AutoscalingProperties.KEY));
        }
        if (overrides.get(CapacityProperties.CUSTOM) instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (!OVERRIDABLE.contains(k)) {
                    throw CqlException.invalid("RESTORE TABLE may override capacity_mode, encryption_specification and"
                            + " point_in_time_recovery in custom_properties, not '" + k + "'");
                }
                custom.put(k, e.getValue());
            }
        }
        if (!custom.isEmpty()) {
            out.put(CapacityProperties.CUSTOM, custom);
        }
        if (overrides.containsKey(AutoscalingProperties.KEY)) {
            out.put(AutoscalingProperties.KEY, overrides.get(AutoscalingProperties.KEY));
        }
        if (overrides.containsKey("tags")) {
            out.put("tags", overrides.get("tags"));
        }
        // a PITR map carried from the source loses its stamp: the new table's window starts now
        return PitrProperties.onCreate(EncryptionProperties.validate(AutoscalingProperties.validate(
                CapacityProperties.onCreate(out, nowMillis), autoscalingGiven)), nowMillis);
    }

    /** {@code restore_timestamp}: ISO-8601 with a zone ({@code Z}, {@code +00:00} or Keyspaces' {@code +0000}). */
    static long parseTimestamp(Object value) {
        String text = String.valueOf(value).strip();
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the other spellings
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // and Keyspaces' own
        }
        try {
            return OffsetDateTime.parse(text, COMPACT_OFFSET).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw CqlException.invalid("Invalid restore_timestamp '" + text + "': use an ISO-8601 instant with a zone,"
                    + " such as '2026-12-01T04:05:00Z'");
        }
    }

    private static boolean neverExisted(Schema schema, String keyspace, String name) {
        return schema.table(keyspace, name).isEmpty() && schema.history().named(keyspace, name).isEmpty();
    }

    private static boolean usesUserType(DataType t) {
        if (t instanceof UserType) {
            return true;
        }
        if (t instanceof CollectionType c) {
            return usesUserType(c.keyOrElement()) || (c.value() != null && usesUserType(c.value()));
        }
        if (t instanceof TupleType tt) {
            return tt.elements().stream().anyMatch(RestoreDdl::usesUserType);
        }
        return false;
    }
}
