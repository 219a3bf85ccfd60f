package io.strata.cql.exec;

import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.AlterType;
import io.strata.cql.ast.ColumnDefinition;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.CreateType;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.DropType;
import io.strata.cql.ast.FieldDefinition;
import io.strata.cql.ast.PropertyNumber;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns DDL statements into schema changes: validation with Cassandra's error codes and messages, and the
 * SCHEMA_CHANGE event each change announces. Pure functions of (statement, current schema). Thread-safe.
 */
final class Ddl {
    private static final Pattern NAME = Pattern.compile("\\w{1,48}");
    private static final Set<String> TABLE_OPTIONS = Set.of("comment", "default_time_to_live", "gc_grace_seconds",
            "bloom_filter_fp_chance", "caching", "compaction", "compression", "crc_check_chance",
            "memtable_flush_period_in_ms", "read_repair", "read_repair_chance", "dclocal_read_repair_chance",
            "speculative_retry", "additional_write_policy", "cdc", "custom_properties", "tags", "min_index_interval",
            "max_index_interval", "extensions", "id");
    /** Keyspaces caps TTLs at 20 years, as Cassandra does. */
    static final int MAX_TTL = 630_720_000;

    private Ddl() {}

    static SchemaService.Change createKeyspace(CreateKeyspace s, Schema schema) {
        validateName("keyspace", s.name());
        if (schema.keyspace(s.name()).isPresent() || SystemKeyspaces.isSystemKeyspace(s.name())) {
            if (s.ifNotExists()) {
                return SchemaService.Change.none();
            }
            throw new CqlException.AlreadyExistsException(s.name(), "");
        }
        Map<String, String> replication = replication(s.properties());
        boolean durable = booleanProperty(s.properties(), "durable_writes", true);
        for (String key : s.properties().keySet()) {
            // tags: Amazon Keyspaces' resource tags (accepted, not interpreted)
            if (!key.equals("replication") && !key.equals("durable_writes") && !key.equals("tags")) {
                throw CqlException.syntax("Unknown property '" + key + "'");
            }
        }
        KeyspaceMetadata ks = new KeyspaceMetadata(s.name(), replication, durable, Map.of(), Map.of());
        return new SchemaService.Change(Optional.of(schema.with(ks, SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("CREATED", "KEYSPACE", s.name(), null, List.of()));
    }

    static SchemaService.Change dropKeyspace(DropKeyspace s, Schema schema) {
        if (SystemKeyspaces.isSystemKeyspace(s.name())) {
            throw CqlException.unauthorized("Cannot DROP <keyspace " + s.name() + ">: system keyspaces are not modifiable");
        }
        if (schema.keyspace(s.name()).isEmpty()) {
            if (s.ifExists()) {
                return SchemaService.Change.none();
            }
            throw CqlException.invalid("Keyspace '" + s.name() + "' doesn't exist");
        }
        return new SchemaService.Change(Optional.of(schema.without(s.name(), SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("DROPPED", "KEYSPACE", s.name(), null, List.of()));
    }

    static SchemaService.Change createTable(CreateTable s, String keyspace, Schema schema) {
        if (SystemKeyspaces.isSystemKeyspace(keyspace)) {
            throw CqlException.unauthorized("Cannot CREATE TABLE in system keyspace " + keyspace);
        }
        KeyspaceMetadata ks = schema.keyspace(keyspace)
                .orElseThrow(() -> CqlException.invalid("Keyspace '" + keyspace + "' doesn't exist"));
        validateName("table", s.name().name());
        if (ks.tables().containsKey(s.name().name())) {
            if (s.ifNotExists()) {
                return SchemaService.Change.none();
            }
            throw new CqlException.AlreadyExistsException(keyspace, s.name().name());
        }
        if (s.compactStorage()) {
            throw CqlException.invalid("COMPACT STORAGE tables are not supported (deprecated since Cassandra 4.0)");
        }
        Map<String, DataType> types = new LinkedHashMap<>();
        Set<String> statics = new HashSet<>();
        for (ColumnDefinition c : s.columns()) {
            if (types.put(c.name(), resolveType(c.type(), ks)) != null) {
                throw CqlException.invalid("Duplicate column '" + c.name() + "' declaration for table " + keyspace + "." + s.name().name());
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
            DataType t = keyColumnType(types, n, "PRIMARY KEY", keyCols);
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
            DataType t = keyColumnType(types, n, "PRIMARY KEY", keyCols);
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
        Map<String, Object> options = tableOptions(s.properties());
        TableMetadata table = new TableMetadata(keyspace, s.name().name(), UUID.randomUUID(), cols, options);
        return new SchemaService.Change(
                Optional.of(schema.with(ks.withTable(table), SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("CREATED", "TABLE", keyspace, s.name().name(), List.of()));
    }

    static SchemaService.Change dropTable(DropTable s, String keyspace, Schema schema) {
        if (SystemKeyspaces.isSystemKeyspace(keyspace)) {
            throw CqlException.unauthorized("Cannot DROP TABLE in system keyspace " + keyspace);
        }
        Optional<KeyspaceMetadata> ks = schema.keyspace(keyspace);
        if (ks.isEmpty() || !ks.get().tables().containsKey(s.name().name())) {
            if (s.ifExists()) {
                return SchemaService.Change.none();
            }
            if (ks.isEmpty()) {
                throw CqlException.invalid("Keyspace '" + keyspace + "' doesn't exist");
            }
            throw CqlException.invalid("Table '" + keyspace + "." + s.name().name() + "' doesn't exist");
        }
        return new SchemaService.Change(
                Optional.of(schema.with(ks.get().withoutTable(s.name().name()), SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("DROPPED", "TABLE", keyspace, s.name().name(), List.of()));
    }

    static SchemaService.Change createType(CreateType s, String keyspace, Schema schema) {
        KeyspaceMetadata ks = userKeyspace(keyspace, schema, "CREATE TYPE");
        String name = s.name().name();
        if (ks.types().containsKey(name)) {
            if (s.ifNotExists()) {
                return SchemaService.Change.none();
            }
            throw new CqlException.AlreadyExistsException(keyspace, name);
        }
        validateName("type", name);
        if (NativeType.byName(name) != null) {
            throw CqlException.invalid("Type name " + name + " is reserved");
        }
        List<String> names = new ArrayList<>();
        List<DataType> types = new ArrayList<>();
        for (FieldDefinition f : s.fields()) {
            if (names.contains(f.name())) {
                throw CqlException.invalid("Duplicate field name " + f.name() + " in type " + name);
            }
            names.add(f.name());
            types.add(fieldType(f, ks));
        }
        UserType ut = new UserType(keyspace, name, names, types, false);
        return new SchemaService.Change(Optional.of(schema.with(withType(ks, ut), SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("CREATED", "TYPE", keyspace, name, List.of()));
    }

    static SchemaService.Change dropType(DropType s, String keyspace, Schema schema) {
        Optional<KeyspaceMetadata> found = schema.keyspace(keyspace);
        String name = s.name().name();
        if (found.isEmpty() || !found.get().types().containsKey(name)) {
            if (s.ifExists()) {
                return SchemaService.Change.none();
            }
            if (found.isEmpty()) {
                throw CqlException.invalid("Keyspace '" + keyspace + "' doesn't exist");
            }
            throw CqlException.invalid("Type '" + keyspace + "." + name + "' doesn't exist");
        }
        KeyspaceMetadata ks = found.get();
        for (TableMetadata t : ks.tables().values()) {
            for (ColumnMetadata c : t.columns()) {
                if (references(c.type(), keyspace, name)) {
                    throw CqlException.invalid("Cannot drop user type " + keyspace + "." + name + " as it is still used by table "
                            + keyspace + "." + t.name());
                }
            }
        }
        for (UserType other : ks.types().values()) {
            if (!other.name().equals(name) && other.fieldTypes().stream().anyMatch(ft -> references(ft, keyspace, name))) {
                throw CqlException.invalid("Cannot drop user type " + keyspace + "." + name + " as it is still used by user type "
                        + other.name());
            }
        }
        java.util.TreeMap<String, UserType> types = new java.util.TreeMap<>(ks.types());
        types.remove(name);
        KeyspaceMetadata next = new KeyspaceMetadata(ks.name(), ks.replication(), ks.durableWrites(), ks.tables(), types);
        return new SchemaService.Change(Optional.of(schema.with(next, SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("DROPPED", "TYPE", keyspace, name, List.of()));
    }

    static SchemaService.Change alterType(AlterType s, String keyspace, Schema schema) {
        KeyspaceMetadata ks = userKeyspace(keyspace, schema, "ALTER TYPE");
        String name = s.name().name();
        UserType ut = ks.types().get(name);
        if (ut == null) {
            throw CqlException.invalid("No user type named " + name + " exists.");
        }
        List<String> names = new ArrayList<>(ut.fieldNames());
        List<DataType> types = new ArrayList<>(ut.fieldTypes());
        if (s.action() instanceof AlterType.AddField add) {
            if (names.contains(add.field().name())) {
                throw CqlException.invalid("Cannot add new field " + add.field().name() + " to type " + keyspace + "." + name
                        + ": a field of the same name already exists");
            }
            names.add(add.field().name());
            types.add(fieldType(add.field(), ks));
        } else {
            for (Map.Entry<String, String> r : ((AlterType.RenameFields) s.action()).renames().entrySet()) {
                int idx = names.indexOf(r.getKey());
                if (idx < 0) {
                    throw CqlException.invalid("Unkown field " + r.getKey() + " in type " + keyspace + "." + name);
                }
                if (names.contains(r.getValue())) {
                    throw CqlException.invalid("Duplicate field name " + r.getValue() + " in type " + keyspace + "." + name);
                }
                names.set(idx, r.getValue());
            }
        }
        UserType altered = new UserType(keyspace, name, names, types, false);
        KeyspaceMetadata next = withType(ks, altered);
        // Tables and other types embed the type: give them the new definition (keeping each use's frozenness).
        for (TableMetadata t : ks.tables().values()) {
            List<ColumnMetadata> cols = new ArrayList<>();
            boolean changed = false;
            for (ColumnMetadata c : t.columns()) {
                DataType nt = replaceType(c.type(), altered);
                changed |= !nt.equals(c.type());
                cols.add(new ColumnMetadata(c.name(), nt, c.kind(), c.position(), c.descending()));
            }
            if (changed) {
                next = next.withTable(t.withColumns(cols));
            }
        }
        for (UserType other : ks.types().values()) {
            if (!other.name().equals(name)) {
                next = withType(next, (UserType) replaceType(other, altered));
            }
        }
        return new SchemaService.Change(Optional.of(schema.with(next, SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("UPDATED", "TYPE", keyspace, name, List.of()));
    }

    /** Options key prefix recording when a column was dropped (micros): older cells of that name stay hidden. */
    static final String DROPPED_PREFIX = "strata.dropped.";

    static SchemaService.Change alterTable(AlterTable s, String keyspace, Schema schema) {
        return alterTable(s, keyspace, schema, System.currentTimeMillis() * 1000);
    }

    static SchemaService.Change alterTable(AlterTable s, String keyspace, Schema schema, long nowMicros) {
        KeyspaceMetadata ks = userKeyspace(keyspace, schema, "ALTER TABLE");
        TableMetadata t = ks.tables().get(s.name().name());
        if (t == null) {
            throw CqlException.invalid("Table '" + keyspace + "." + s.name().name() + "' doesn't exist");
        }
        TableMetadata next;
        if (s.action() instanceof AlterTable.AddColumns add) {
            List<ColumnMetadata> cols = new ArrayList<>(t.columns());
            boolean counterTable = ModificationPlan.isCounterTable(t);
            for (ColumnDefinition d : add.columns()) {
                if (t.column(d.name()) != null || cols.stream().anyMatch(c -> c.name().equals(d.name()))) {
                    throw CqlException.invalid("Column with name '" + d.name() + "' already exists");
                }
                DataType type = resolveType(d.type(), ks);
                if (d.isStatic() && t.clustering().isEmpty()) {
                    throw CqlException.invalid("Static columns are only useful (and thus allowed) if the table has at least "
                            + "one clustering column");
                }
                if ((type == NativeType.COUNTER) != counterTable && !t.regularAndStatic().isEmpty()) {
                    throw CqlException.invalid(counterTable ? "Cannot add a non counter column (" + d.name()
                            + ") in a counter column family" : "Cannot add a counter column (" + d.name()
                            + ") in a non counter column family");
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
            Map<String, Object> options = new LinkedHashMap<>(t.options());
            for (String n : drop.columns()) {
                options.put(DROPPED_PREFIX + n, Long.toString(nowMicros));
            }
            next = t.withColumns(cols).withOptions(options);
        } else if (s.action() instanceof AlterTable.WithProperties with) {
            Map<String, Object> options = new LinkedHashMap<>(t.options());
            for (Map.Entry<String, Object> o : tableOptions(with.properties()).entrySet()) {
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
        return new SchemaService.Change(Optional.of(schema.with(ks.withTable(next), SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("UPDATED", "TABLE", keyspace, t.name(), List.of()));
    }

    private static KeyspaceMetadata userKeyspace(String keyspace, Schema schema, String what) {
        if (SystemKeyspaces.isSystemKeyspace(keyspace)) {
            throw CqlException.unauthorized("Cannot " + what + " in system keyspace " + keyspace);
        }
        return schema.keyspace(keyspace).orElseThrow(() -> CqlException.invalid("Keyspace '" + keyspace + "' doesn't exist"));
    }

    private static DataType fieldType(FieldDefinition f, KeyspaceMetadata ks) {
        DataType t = resolveType(f.type(), ks);
        if (t == NativeType.COUNTER) {
            throw CqlException.invalid("A user type cannot contain counters");
        }
        // As Cassandra: collection fields may be non-frozen (the UDT value itself is frozen where used);
        // a nested UDT must be frozen.
        if (t instanceof UserType && !t.isFrozen()) {
            throw CqlException.invalid("Non-frozen UDTs are not allowed inside user types: " + f.name()
                    + " " + t.cql() + " (use frozen<...>)");
        }
        return t;
    }

    private static KeyspaceMetadata withType(KeyspaceMetadata ks, UserType ut) {
        java.util.TreeMap<String, UserType> types = new java.util.TreeMap<>(ks.types());
        types.put(ut.name(), ut);
        return new KeyspaceMetadata(ks.name(), ks.replication(), ks.durableWrites(), ks.tables(), types);
    }

    private static boolean references(DataType t, String keyspace, String name) {
        if (t instanceof UserType u && u.keyspace().equals(keyspace) && u.name().equals(name)) {
            return true;
        }
        return t.subTypes().stream().anyMatch(sub -> references(sub, keyspace, name));
    }

    private static DataType replaceType(DataType t, UserType altered) {
        if (t instanceof UserType u) {
            if (u.keyspace().equals(altered.keyspace()) && u.name().equals(altered.name())) {
                return new UserType(u.keyspace(), u.name(), altered.fieldNames(), altered.fieldTypes(), u.isFrozen());
            }
            List<DataType> fields = u.fieldTypes().stream().map(f -> replaceType(f, altered)).toList();
            return new UserType(u.keyspace(), u.name(), u.fieldNames(), fields, u.isFrozen());
        }
        if (t instanceof CollectionType c) {
            return new CollectionType(c.kind(), replaceType(c.keyOrElement(), altered),
                    c.value() == null ? null : replaceType(c.value(), altered), c.isFrozen());
        }
        if (t instanceof TupleType tt) {
            return new TupleType(tt.elements().stream().map(e -> replaceType(e, altered)).toList());
        }
        return t;
    }

    private static DataType keyColumnType(Map<String, DataType> types, String n, String where, Set<String> keyCols) {
        DataType t = types.get(n);
        if (t == null) {
            throw CqlException.invalid("Unknown definition " + n + " referenced in " + where);
        }
        if (!keyCols.add(n)) {
            throw CqlException.invalid("Duplicate definition for " + n + " in " + where);
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

    static DataType resolveType(TypeRef ref, KeyspaceMetadata ks) {
        return resolveType(ref, ks, false);
    }

    private static DataType resolveType(TypeRef ref, KeyspaceMetadata ks, boolean frozen) {
        if (ref instanceof TypeRef.Native n) {
            NativeType t = NativeType.byName(n.name());
            if (t == null) {
                throw CqlException.invalid("Unknown type " + n.name());
            }
            return t;
        }
        if (ref instanceof TypeRef.Frozen f) {
            return resolveType(f.inner(), ks, true);
        }
        if (ref instanceof TypeRef.Collection c) {
            CollectionType.Kind kind = CollectionType.Kind.valueOf(c.kind().name());
            DataType first = resolveType(c.arguments().get(0), ks, false);
            DataType second = kind == CollectionType.Kind.MAP ? resolveType(c.arguments().get(1), ks, false) : null;
            // Durations have no order (Cassandra refuses them where elements are sorted).
            if (kind == CollectionType.Kind.SET && first == NativeType.DURATION) {
                throw CqlException.invalid("Durations are not allowed inside sets: " + ref);
            }
            if (kind == CollectionType.Kind.MAP && first == NativeType.DURATION) {
                throw CqlException.invalid("Durations are not allowed as map keys: " + ref);
            }
            for (DataType sub : second == null ? List.of(first) : List.of(first, second)) {
                if (!sub.isFrozen()) {
                    throw CqlException.invalid("Non-frozen collections are not allowed inside collections: " + ref);
                }
                if (sub == NativeType.COUNTER) {
                    throw CqlException.invalid("Counters are not allowed inside collections: " + ref);
                }
            }
            return new CollectionType(kind, first, second, frozen);
        }
        if (ref instanceof TypeRef.Tuple t) {
            List<DataType> els = new ArrayList<>();
            for (TypeRef e : t.elements()) {
                els.add(resolveType(e, ks, true));
            }
            return new TupleType(els);
        }
        if (ref instanceof TypeRef.UserType u) {
            UserType ut = ks.types().get(u.name().name());
            if (ut == null) {
                throw CqlException.invalid("Unknown type " + ks.name() + "." + u.name().name());
            }
            return new UserType(ut.keyspace(), ut.name(), ut.fieldNames(), ut.fieldTypes(), frozen);
        }
        throw CqlException.invalid("Unsupported type " + ref);
    }

    private static Map<String, String> replication(Map<String, Object> props) {
        Object r = props.get("replication");
        if (!(r instanceof Map<?, ?> m)) {
            throw CqlException.syntax("Missing mandatory option 'replication'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        String cls = out.get("class");
        if (cls == null) {
            throw CqlException.config("Missing replication strategy class");
        }
        String shortName = cls.substring(cls.lastIndexOf('.') + 1);
        switch (shortName) {
            case "SimpleStrategy" -> {
                if (!out.containsKey("replication_factor")) {
                    throw CqlException.config("SimpleStrategy requires a replication_factor strategy option.");
                }
                replicationFactor(out.get("replication_factor"));
                for (String option : out.keySet()) {
                    if (!option.equals("class") && !option.equals("replication_factor")) {
                        throw CqlException.config("Unrecognized strategy option {" + option + "} passed to SimpleStrategy");
                    }
                }
                out.put("class", "org.apache.cassandra.locator.SimpleStrategy");
            }
            case "NetworkTopologyStrategy" -> {
                for (Map.Entry<String, String> dc : out.entrySet()) {
                    if (!dc.getKey().equals("class")) {
                        replicationFactor(dc.getValue());
                    }
                }
                out.put("class", "org.apache.cassandra.locator.NetworkTopologyStrategy");
            }
            case "SingleRegionStrategy" -> out.put("class", "SingleRegionStrategy");
            default -> throw CqlException.config("Unable to find replication strategy class '" + cls
                    + "' (supported: SimpleStrategy, NetworkTopologyStrategy, SingleRegionStrategy)");
        }
        return out;
    }

    private static void replicationFactor(String value) {
        try {
            if (Integer.parseInt(value.trim()) < 0) {
                throw CqlException.config("Replication factor must be non-negative; found " + value);
            }
        } catch (NumberFormatException e) {
            throw CqlException.config("Replication factor must be numeric; found " + value);
        }
    }

    /** ALTER KEYSPACE: new replication and/or durable_writes; tables and types stay. */
    static SchemaService.Change alterKeyspace(io.strata.cql.ast.AlterKeyspace s, Schema schema) {
        if (SystemKeyspaces.isSystemKeyspace(s.name())) {
            throw CqlException.unauthorized("Cannot ALTER <keyspace " + s.name() + ">: system keyspaces are not modifiable");
        }
        KeyspaceMetadata ks = schema.keyspace(s.name())
                .orElseThrow(() -> CqlException.invalid("Keyspace '" + s.name() + "' doesn't exist"));
        for (String key : s.properties().keySet()) {
            if (!key.equals("replication") && !key.equals("durable_writes") && !key.equals("tags")) {
                throw CqlException.syntax("Unknown property '" + key + "'");
            }
        }
        Map<String, String> replication = s.properties().containsKey("replication") ? replication(s.properties())
                : ks.replication();
        boolean durable = booleanProperty(s.properties(), "durable_writes", ks.durableWrites());
        KeyspaceMetadata next = new KeyspaceMetadata(ks.name(), replication, durable, ks.tables(), ks.types());
        return new SchemaService.Change(Optional.of(schema.with(next, SchemaService.newSchemaVersion())),
                new SchemaChangeEvent("UPDATED", "KEYSPACE", s.name(), null, List.of()));
    }

    private static boolean booleanProperty(Map<String, Object> props, String name, boolean def) {
        Object v = props.get(name);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v);
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw CqlException.syntax("Invalid boolean value '" + s + "' for property '" + name + "'");
    }

    static Map<String, Object> tableOptions(Map<String, Object> props) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : props.entrySet()) {
            String key = e.getKey();
            if (!TABLE_OPTIONS.contains(key)) {
                throw CqlException.syntax("Unknown property '" + key + "'");
            }
            Object v = e.getValue();
            switch (key) {
                case "default_time_to_live", "gc_grace_seconds", "memtable_flush_period_in_ms", "min_index_interval",
                        "max_index_interval" -> {
                    long n = integerOption(key, v);
                    if (n < 0) {
                        throw CqlException.config(key + " must be greater than or equal to 0 (got " + n + ")");
                    }
                    if (key.equals("default_time_to_live") && n > MAX_TTL) {
                        throw CqlException.config("default_time_to_live must be less than or equal to " + MAX_TTL
                                + " (got " + n + ")");
                    }
                    options.put(key, Long.toString(n));
                }
                case "bloom_filter_fp_chance", "crc_check_chance", "read_repair_chance", "dclocal_read_repair_chance" ->
                        options.put(key, Double.toString(doubleOption(key, v)));
                default -> options.put(key, normalize(v));
            }
        }
        return options;
    }

    private static Object normalize(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), normalize(val)));
            return out;
        }
        return String.valueOf(v);
    }

    private static long integerOption(String key, Object v) {
        try {
            if (v instanceof PropertyNumber n) {
                return n.longValue();
            }
            return Long.parseLong(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw CqlException.syntax("Invalid integer value '" + v + "' for property '" + key + "'");
        }
    }

    private static double doubleOption(String key, Object v) {
        try {
            return v instanceof PropertyNumber n ? n.doubleValue() : Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw CqlException.syntax("Invalid double value '" + v + "' for property '" + key + "'");
        }
    }

    private static void validateName(String what, String name) {
        if (!NAME.matcher(name).matches()) {
            throw CqlException.invalid(what.substring(0, 1).toUpperCase() + what.substring(1) + " name must not be "
                    + "empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \""
                    + name + "\")");
        }
    }

    static String resolveKeyspace(QualifiedName name, String sessionKeyspace) {
        if (name.keyspace() != null) {
            return name.keyspace();
        }
        if (sessionKeyspace == null) {
            throw CqlException.invalid("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
        }
        return sessionKeyspace;
    }
}
