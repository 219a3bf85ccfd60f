package io.strata.cql.analyze;

import io.strata.cql.ast.QualifiedName;
import io.strata.cql.request.CqlException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;

/** Name resolution shared by the analyzers, with Cassandra's messages. Stateless. */
public final class Analysis {
    private Analysis() {}

    static ColumnMetadata column(TableMetadata t, String name) {
        ColumnMetadata c = t.column(name);
        if (c == null) {
            throw CqlException.invalid("Undefined column name " + name + " in table " + t.keyspace() + "." + t.name());
        }
        return c;
    }

    /** The keyspace a name lives in: its own, else the session's. */
    public static String keyspace(QualifiedName name, String sessionKeyspace) {
        if (name.keyspace() != null) {
            return name.keyspace();
        }
        if (sessionKeyspace == null) {
            throw CqlException.invalid("No keyspace has been specified. USE a keyspace, or explicitly specify "
                    + "keyspace.tablename");
        }
        return sessionKeyspace;
    }

    static TableMetadata table(Schema schema, QualifiedName name, String sessionKeyspace) {
        String ks = keyspace(name, sessionKeyspace);
        if (schema.keyspace(ks).isEmpty()) {
            throw CqlException.invalid("Keyspace " + ks + " does not exist");
        }
        TableMetadata t = schema.table(ks, name.name())
                .orElseThrow(() -> CqlException.invalid("table " + name.name() + " does not exist"));
        if (io.strata.cql.schema.RestoreState.restoring(t)) {
            // as Keyspaces: only an ACTIVE table serves reads and writes
            throw CqlException.invalid("Table " + ks + "." + t.name() + " is not ACTIVE: it is being restored (status"
                    + " RESTORING in system_schema_mcs.tables); retry once it is ACTIVE");
        }
        return t;
    }
}
