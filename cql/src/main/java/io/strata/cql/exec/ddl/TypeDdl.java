package io.strata.cql.exec.ddl;

import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaEvent;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.ast.AlterType;
import io.strata.cql.ast.CreateType;
import io.strata.cql.ast.DropType;
import io.strata.cql.ast.FieldDefinition;
import io.strata.cql.ast.Statement;
import io.strata.cql.ast.TypeRef;
import io.strata.cql.schema.SchemaService.Change;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CREATE, ALTER and DROP TYPE: fields and their types, renames, uses by tables and other types (an
 * altered type is replaced wherever it is embedded), with Cassandra's codes and messages. Pure functions of
 * (statement, current schema). Stateless.
 */
final class TypeDdl {
    private TypeDdl() {}

    static Change apply(Statement s, String keyspace, Schema schema) {
        if (s instanceof CreateType c) {
            return createType(c, keyspace, schema);
        }
        if (s instanceof AlterType a) {
            return alterType(a, keyspace, schema);
        }
        return dropType((DropType) s, keyspace, schema);
    }

    static Change createType(CreateType s, String keyspace, Schema schema) {
        KeyspaceMetadata ks = Types.userKeyspace(keyspace, schema, "CREATE TYPE");
        String name = s.name().name();
        if (ks.types().containsKey(name)) {
            if (s.ifNotExists()) {
                return Change.none();
            }
            throw CqlException.invalid("A user type with name '" + name + "' already exists");
        }
        TableOptions.validateName("type", name);
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
        return new Change(Optional.of(schema.with(withType(ks, ut), SchemaService.newSchemaVersion())),
                SchemaEvent.type(SchemaEvent.Change.CREATED, keyspace, name));
    }

    static Change dropType(DropType s, String keyspace, Schema schema) {
        Optional<KeyspaceMetadata> found = schema.keyspace(keyspace);
        String name = s.name().name();
        if (found.isEmpty() || !found.get().types().containsKey(name)) {
            if (s.ifExists()) {
                return Change.none();
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
        return new Change(Optional.of(schema.with(next, SchemaService.newSchemaVersion())),
                SchemaEvent.type(SchemaEvent.Change.DROPPED, keyspace, name));
    }

    static Change alterType(AlterType s, String keyspace, Schema schema) {
        KeyspaceMetadata ks = Types.userKeyspace(keyspace, schema, "ALTER TYPE");
        String name = s.name().name();
        UserType ut = ks.types().get(name);
        if (ut == null) {
            throw CqlException.invalid("Type " + keyspace + "." + name + " doesn't exist");
        }
        List<String> names = new ArrayList<>(ut.fieldNames());
        List<DataType> types = new ArrayList<>(ut.fieldTypes());
        if (s.action() instanceof AlterType.AddField add) {
            if (names.contains(add.field().name())) {
                throw CqlException.invalid("Cannot add field " + add.field().name() + " to type " + keyspace + "." + name
                        + ": a field with name " + add.field().name() + " already exists");
            }
            names.add(add.field().name());
            types.add(fieldType(add.field(), ks));
        } else {
            for (Map.Entry<String, String> r : ((AlterType.RenameFields) s.action()).renames().entrySet()) {
                int idx = names.indexOf(r.getKey());
                if (idx < 0) {
                    throw CqlException.invalid("Unkown field " + r.getKey() + " in user type " + keyspace + "." + name);
                }
                if (!r.getKey().equals(r.getValue()) && names.contains(r.getValue())) {
                    // (sic: Cassandra 5.0.9 names the keyspace only)
                    throw CqlException.invalid("Duplicate field name " + r.getValue() + " in type " + keyspace);
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
        return new Change(Optional.of(schema.with(next, SchemaService.newSchemaVersion())),
                SchemaEvent.type(SchemaEvent.Change.UPDATED, keyspace, name));
    }

    private static DataType fieldType(FieldDefinition f, KeyspaceMetadata ks) {
        // As Cassandra: collection fields may be non-frozen (the UDT value itself is frozen where used); a
        // nested UDT must be frozen, which is checked on the written type, before the name is looked up.
        if (f.type() instanceof TypeRef.UserType) {
            throw CqlException.invalid("A user type cannot contain non-frozen UDTs");
        }
        DataType t = Types.resolve(f.type(), ks);
        if (t == NativeType.COUNTER) {
            throw CqlException.invalid("A user type cannot contain counters");
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

}
