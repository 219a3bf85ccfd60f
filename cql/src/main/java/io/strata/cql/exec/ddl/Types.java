package io.strata.cql.exec.ddl;

import io.strata.cql.ast.TypeRef;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.KeyspaceMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.types.CollectionType;
import io.strata.cql.types.DataType;
import io.strata.cql.types.NativeType;
import io.strata.cql.types.TupleType;
import io.strata.cql.types.UserType;
import java.util.ArrayList;
import java.util.List;

/** Resolution of written types against a keyspace's user types, with Cassandra's rules. Stateless. */
final class Types {
    private Types() {}

    static KeyspaceMetadata userKeyspace(String keyspace, Schema schema, String what) {
        if (SystemKeyspaces.isSystemKeyspace(keyspace)) {
            throw CqlException.unauthorized("Cannot " + what + " in system keyspace " + keyspace);
        }
        return schema.keyspace(keyspace).orElseThrow(() -> CqlException.invalid("Keyspace '" + keyspace + "' doesn't exist"));
    }

    static DataType resolve(TypeRef ref, KeyspaceMetadata ks) {
        return resolve(ref, ks, false);
    }

    /** The type of a table column: a non-frozen UDT may not hold non-frozen collections (Cassandra 5.0.9). */
    static DataType column(TypeRef ref, KeyspaceMetadata ks) {
        DataType t = resolve(ref, ks, false);
        if (t instanceof UserType u && !u.isFrozen() && u.fieldTypes().stream().anyMatch(f -> !f.isFrozen())) {
            throw CqlException.invalid("Non-frozen UDTs with nested non-frozen collections are not supported");
        }
        return t;
    }

    private static DataType resolve(TypeRef ref, KeyspaceMetadata ks, boolean frozen) {
        if (ref instanceof TypeRef.Native n) {
            NativeType t = NativeType.byName(n.name());
            if (t == null) {
                throw CqlException.invalid("Unknown type " + n.name());
            }
            return t;
        }
        if (ref instanceof TypeRef.Frozen f) {
            return resolve(f.inner(), ks, true);
        }
        if (ref instanceof TypeRef.Collection c) {
            CollectionType.Kind kind = CollectionType.Kind.valueOf(c.kind().name());
            DataType first = resolve(c.arguments().get(0), ks, false);
            DataType second = kind == CollectionType.Kind.MAP ? resolve(c.arguments().get(1), ks, false) : null;
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
                els.add(resolve(e, ks, true));
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

}
