package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.schema.TableParams;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.ColumnDefinition;
import io.strata.cql.ast.CreateMaterializedView;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.Statement;
import io.strata.cql.plan.ModificationPlan;
import io.strata.cql.schema.DroppedColumn;
import io.strata.cql.schema.SchemaService.Change;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * CREATE, ALTER and DROP TABLE (and CREATE MATERIALIZED VIEW, refused as by default in Cassandra): columns, keys, clustering order, static and counter rules, table options,
 * dropped columns (recorded so a re-added column starts empty), with Cassandra's codes and messages. Pure
 * functions of (statement, current schema, time). Stateless.
 */
final class TableDdl {
    private TableDdl() {}

    static Change apply(Statement s, String keyspace, Schema schema, long nowMicros) {
        return apply(s, keyspace, schema, nowMicros, java.time.Duration.ofHours(24));
    }

    /** @param capacitySwitchWait how long a table waits between switches back to on-demand capacity */
    static Change apply(Statement s, String keyspace, Schema schema, long nowMicros,
            java.time.Duration capacitySwitchWait) {
        if (s instanceof CreateMaterializedView) {
            // As Cassandra with its default configuration (materialized_views_enabled: false), before any other check.
            throw CqlException.invalid("Materialized views are disabled. Enable in cassandra.yaml to use.");
        }
        if (s instanceof CreateTable c) {
            return createTable(c, keyspace, schema, nowMicros / 1000);
        }
        if (s instanceof AlterTable a) {
            return alterTable(a, keyspace, schema, nowMicros, capacitySwitchWait);
        }
        return dropTable((DropTable) s, keyspace, schema);
    }

    static Change createTable(CreateTable s, String keyspace, Schema schema, long nowMillis) {
        if (SystemKeyspaces.isSystemKeyspace(keyspace)) {
            throw CqlException.unauthorized("Cannot CREATE TABLE in system keyspace " + keyspace);
        }
        KeyspaceMetadata ks = schema.keyspace(keyspace)
                .orElseThrow(() -> CqlException.invalid("Keyspace '" + keyspace + "' doesn't exist"));
        TableOptions.validateName("table", s.name().name());
        if (ks.tables().containsKey(s.name().name())) {
            if (s.ifNotExists()) {
                return Change.none();
            }
            throw new CqlException.AlreadyExists(keyspace, s.name().name());
        }
        // COMPACT STORAGE (deprecated, still accepted by Cassandra 5.0.9): created as a plain CQL table, see
        // docs/design/0008-schema-metadata.md.
        Map<String, DataType> types = new LinkedHashMap<>();
        Set<String> statics = new HashSet<>();
        for (ColumnDefinition c : s.columns()) {
            if (types.put(c.name(), Types.column(c.type(), ks)) != null) {
                throw CqlException.invalid("Duplicate column '" + c.name() + "' declaration for table '" + s.name() + "'");
            }
            if (c.isStatic()) {
                statics.add(c.name());
            }
        }
        if (s.partitionKey().isEmpty()) {
            throw CqlException.invalid("No PRIMARY KEY specified for table '" + s.name().name() + "' (exactly one required)");
        }
        List<ColumnMetadata> cols = new ArrayList<>();
        Set<String> keyCols = new HashSet<>();
        for (int i = 0; i < s.partitionKey().size(); i++) {
            String n = s.partitionKey().get(i);
            DataType t = keyColumnType(types, n, s.name().name(), keyCols);
            if (statics.contains(n)) {
                throw CqlException.invalid("Static column " + n + " cannot be part of the PRIMARY KEY");
            }
            cols.add(new ColumnMetadata(n, t, ColumnMetadata.Kind.PARTITION_KEY, i, false));
        }
        for (String orderCol : s.clusteringOrderDescending().keySet()) {
            if (!s.clusteringColumns().contains(orderCol)) {
                throw CqlException.invalid("Only clustering key columns can be defined in CLUSTERING ORDER directive: "
                        + orderCol + " is not a clustering column");
            }
        }
        List<String> ordered = new ArrayList<>(s.clusteringOrderDescending().keySet());
        if (!ordered.isEmpty() && !s.clusteringColumns().subList(0, ordered.size()).equals(ordered)) {
            throw CqlException.invalid("The order of columns in the CLUSTERING ORDER directive must match that of the "
                    + "clustering columns (" + String.join(", ", s.clusteringColumns()) + ")");
        }
        for (int i = 0; i < s.clusteringColumns().size(); i++) {
            String n = s.clusteringColumns().get(i);
            DataType t = keyColumnType(types, n, s.name().name(), keyCols);
            if (statics.contains(n)) {
                throw CqlException.invalid("Static column " + n + " cannot be part of the PRIMARY KEY");
            }
            boolean desc = Boolean.TRUE.equals(s.clusteringOrderDescending().get(n));
            cols.add(new ColumnMetadata(n, t, ColumnMetadata.Kind.CLUSTERING, i, desc));
        }
        boolean hasCounter = false;
        boolean hasNonCounter = false;
        for (Map.Entry<String, DataType> e : types.entrySet()) {
            if (keyCols.contains(e.getKey())) {
                continue;
            }
            boolean isStatic = statics.contains(e.getKey());
            if (isStatic && s.clusteringColumns().isEmpty()) {
                throw CqlException.invalid("Static columns are only useful (and thus allowed) if the table has at least "
                        + "one clustering column");
            }
            if (e.getValue() == NativeType.COUNTER) {
                hasCounter = true;
            } else {
                hasNonCounter = true;
            }
            cols.add(new ColumnMetadata(e.getKey(), e.getValue(), isStatic ? ColumnMetadata.Kind.STATIC
                    : ColumnMetadata.Kind.REGULAR, -1, false));
        }
        if (hasCounter && hasNonCounter) {
            throw CqlException.invalid("Cannot mix counter and non counter columns in the same table");
        }
        Map<String, Object> options = PitrProperties.onCreate(EncryptionProperties.validate(AutoscalingProperties.validate(
                CapacityProperties.onCreate(TableOptions.parse(s.properties()), nowMillis), true)), nowMillis);
        validateOptions(options, hasCounter);
        TableMetadata table = new TableMetadata(keyspace, s.name().name(), UUID.randomUUID(), cols, options);
        return new Change(
                Optional.of(schema.with(ks.withTable(table), SchemaService.newSchemaVersion())),
                SchemaEvent.table(SchemaEvent.Change.CREATED, keyspace, s.name().name()));
    }

    static Change dropTable(DropTable s, String keyspace, Schema schema) {
        if (SystemKeyspaces.isSystemKeyspace(keyspace)) {
            throw CqlException.unauthorized("Cannot DROP TABLE in system keyspace " + keyspace);
        }
        Optional<KeyspaceMetadata> ks = schema.keyspace(keyspace);
        if (ks.isEmpty() || !ks.get().tables().containsKey(s.name().name())) {
            if (s.ifExists()) {
                return Change.none();
            }
            if (ks.isEmpty()) {
                throw CqlException.invalid("Keyspace '" + keyspace + "' doesn't exist");
            }
            throw CqlException.invalid("Table '" + keyspace + "." + s.name().name() + "' doesn't exist");
        }
        notRestoring(ks.get().tables().get(s.name().name()), "dropped");
        return new Change(
                Optional.of(schema.with(ks.get().withoutTable(s.name().name()), SchemaService.newSchemaVersion())),
                SchemaEvent.table(SchemaEvent.Change.DROPPED, keyspace, s.name().name()));
    }

    static Change alterTable(AlterTable s, String keyspace, Schema schema, long nowMicros,
            java.time.Duration capacitySwitchWait) {
        KeyspaceMetadata ks = Types.userKeyspace(keyspace, schema, "ALTER TABLE");
        TableMetadata t = ks.tables().get(s.name().name());
        if (t == null) {
            throw CqlException.invalid("Table '" + keyspace + "." + s.name().name() + "' doesn't exist");
        }
        notRestoring(t, "altered");
        TableMetadata next;
        if (s.action() instanceof AlterTable.AddColumns add) {
            List<ColumnMetadata> cols = new ArrayList<>(t.columns());
            boolean counterTable = ModificationPlan.isCounterTable(t);
            for (ColumnDefinition d : add.columns()) {
                if (t.column(d.name()) != null || cols.stream().anyMatch(c -> c.name().equals(d.name()))) {
                    throw CqlException.invalid("Column with name '" + d.name() + "' already exists");
                }
                DataType type = Types.column(d.type(), ks);
                if (d.isStatic() && t.clustering().isEmpty()) {
                    throw CqlException.invalid("Static columns are only useful (and thus allowed) if the table has at least "
                            + "one clustering column");
                }
                if ((type == NativeType.COUNTER) != counterTable && !t.regularAndStatic().isEmpty()) {
                    throw CqlException.config(keyspace + "." + t.name() + ": " + (counterTable
                            ? "Cannot have a non counter column (\"" + d.name() + "\") in a counter table"
                            : "Cannot have a counter column (\"" + d.name() + "\") in a non counter table"));
                }
                cols.add(new ColumnMetadata(d.name(), type, d.isStatic() ? ColumnMetadata.Kind.STATIC
                        : ColumnMetadata.Kind.REGULAR, -1, false));
            }
            next = t.withColumns(cols);
        } else if (s.action() instanceof AlterTable.DropColumns drop) {
            List<ColumnMetadata> cols = new ArrayList<>(t.columns());
            for (String n : drop.columns()) {
                ColumnMetadata c = t.column(n);
                if (c == null) {
                    throw CqlException.invalid("Column " + n + " was not found in table " + keyspace + "." + t.name());
                }
                if (c.isPrimaryKey()) {
                    throw CqlException.invalid("Cannot drop PRIMARY KEY column " + n);
                }
                cols.remove(c);
            }
            // As Cassandra's dropped_columns: a column added again later must not show the dropped data.
            Map<String, DroppedColumn> dropped = new LinkedHashMap<>(t.dropped());
            for (String n : drop.columns()) {
                ColumnMetadata c = t.column(n);
                dropped.put(n, new DroppedColumn(n, c.type(), nowMicros, c.isStatic()));
            }
            next = t.withColumns(cols).withDropped(dropped);
        } else if (s.action() instanceof AlterTable.WithProperties with) {
            Map<String, Object> options = new LinkedHashMap<>(t.options());
            for (Map.Entry<String, Object> o : TableOptions.parse(with.properties()).entrySet()) {
                // Keyspaces updates one setting per ALTER: custom_properties and tags merge by key
                if ((o.getKey().equals("custom_properties") || o.getKey().equals("tags"))
                        && options.get(o.getKey()) instanceof Map<?, ?> old && o.getValue() instanceof Map<?, ?> added) {
                    Map<Object, Object> merged = new LinkedHashMap<>(old);
                    merged.putAll(added);
                    options.put(o.getKey(), merged);
                } else {
                    options.put(o.getKey(), o.getValue());
                }
            }
            options = PitrProperties.onAlter(t.options(), EncryptionProperties.validate(AutoscalingProperties.validate(
                    CapacityProperties.onAlter(t.options(), options, nowMicros / 1000, capacitySwitchWait,
                            t.keyspace() + "." + t.name()),
                    with.properties().keySet().stream().anyMatch(k -> k.equalsIgnoreCase(AutoscalingProperties.KEY)))),
                    nowMicros / 1000);
            validateOptions(options, ModificationPlan.isCounterTable(t));
            next = t.withOptions(options);
        } else {
            // As in Cassandra, only primary key columns can be renamed: their values are stored by position
            // (partition key bytes, clustering prefix), so the rename is metadata only.
            AlterTable.RenameColumns rename = (AlterTable.RenameColumns) s.action();
            List<ColumnMetadata> cols = new ArrayList<>(t.columns());
            for (Map.Entry<String, String> r : rename.renames().entrySet()) {
                int at = -1;
                for (int i = 0; i < cols.size(); i++) {
                    if (cols.get(i).name().equals(r.getKey())) {
                        at = i;
                    }
                }
                if (at < 0) {
                    throw CqlException.invalid("Column " + r.getKey() + " was not found in table " + keyspace + "." + t.name());
                }
                ColumnMetadata c = cols.get(at);
                if (!c.isPrimaryKey()) {
                    throw CqlException.invalid("Cannot rename non PRIMARY KEY column " + r.getKey());
                }
                if (cols.stream().anyMatch(x -> x.name().equals(r.getValue()))) {
                    throw CqlException.invalid("Cannot rename column " + r.getKey() + " to " + r.getValue() + " in table '"
                            + t.name() + "'; another column with that name already exists");
                }
                cols.set(at, new ColumnMetadata(r.getValue(), c.type(), c.kind(), c.position(), c.descending()));
            }
            next = t.withColumns(cols);
        }
        return new Change(Optional.of(schema.with(ks.withTable(next), SchemaService.newSchemaVersion())),
                SchemaEvent.table(SchemaEvent.Change.UPDATED, keyspace, t.name()));
    }

    /** As Keyspaces: a table changes only once ACTIVE (a RESTORING table's storage is the engine's restore). */
    static void notRestoring(TableMetadata t, String what) {
        if (io.strata.cql.schema.RestoreState.restoring(t)) {
            throw CqlException.invalid("Table " + t.keyspace() + "." + t.name() + " is RESTORING: it can be " + what
                    + " once the restore is ACTIVE");
        }
    }

    private static void validateOptions(Map<String, Object> options, boolean counterTable) {
        TableParams params = TableParams.of(options);
        TableOptions.validate(params);
        if (counterTable && params.defaultTimeToLive() > 0) {
            throw CqlException.invalid("Cannot set default_time_to_live on a table with counters");
        }
    }

    private static DataType keyColumnType(Map<String, DataType> types, String n, String table, Set<String> keyCols) {
        DataType t = types.get(n);
        if (t == null) {
            throw CqlException.invalid("Unknown column '" + n + "' referenced in PRIMARY KEY for table '" + table + "'");
        }
        if (!keyCols.add(n)) {
            throw CqlException.invalid("Duplicate column '" + n + "' in PRIMARY KEY clause for table '" + table + "'");
        }
        if (t == NativeType.COUNTER) {
            throw CqlException.invalid("counter type is not supported for PRIMARY KEY column '" + n + "'");
        }
        if (t == NativeType.DURATION) {
            throw CqlException.invalid("duration type is not supported for PRIMARY KEY column '" + n + "'");
        }
        if (!t.isFrozen()) {
            throw CqlException.invalid("Invalid non-frozen collection type " + t.cql() + " for PRIMARY KEY column '" + n + "'");
        }
        return t;
    }

}
