package io.strata.cql.plan;

import static java.util.Objects.requireNonNull;

import io.strata.cql.ast.Statement;

/**
 * A DDL statement, by the kind of schema element it changes; the executor for that element decides the
 * change against the tenant's current schema (so the decision sees concurrent DDL). {@code keyspace} is
 * the keyspace the statement's name resolves to. Immutable.
 */
public sealed interface SchemaChangePlan extends Plan {
    Statement statement();

    String keyspace();

    /** Dispatches on the element changed. */
    <R> R change(ChangeVisitor<R> visitor);

    /** One method per kind of schema element. */
    interface ChangeVisitor<R> {
        R keyspace(KeyspaceChange change);

        R table(TableChange change);

        R type(TypeChange change);

        R restore(RestoreChange change);
    }

    @Override
    default <R> R accept(Visitor<R> visitor) {
        return visitor.schemaChange(this);
    }

    @Override
    default Access access() {
        return Access.NONE;
    }

    /** CREATE, ALTER or DROP KEYSPACE. */
    record KeyspaceChange(Statement statement, String keyspace) implements SchemaChangePlan {
        public KeyspaceChange {
            requireNonNull(statement, "statement is null");
            requireNonNull(keyspace, "keyspace is null");
        }

        @Override
        public <R> R change(ChangeVisitor<R> visitor) {
            return visitor.keyspace(this);
        }
    }

    /** CREATE, ALTER or DROP TABLE. */
    record TableChange(Statement statement, String keyspace) implements SchemaChangePlan {
        public TableChange {
            requireNonNull(statement, "statement is null");
            requireNonNull(keyspace, "keyspace is null");
        }

        @Override
        public <R> R change(ChangeVisitor<R> visitor) {
            return visitor.table(this);
        }
    }

    /**
     * RESTORE TABLE: a new table in {@code keyspace} (the target's) from a table of {@code sourceKeyspace} as it was
     * at an instant.
     */
    record RestoreChange(Statement statement, String keyspace, String sourceKeyspace) implements SchemaChangePlan {
        public RestoreChange {
            requireNonNull(statement, "statement is null");
            requireNonNull(keyspace, "keyspace is null");
            requireNonNull(sourceKeyspace, "sourceKeyspace is null");
        }

        @Override
        public <R> R change(ChangeVisitor<R> visitor) {
            return visitor.restore(this);
        }
    }

    /** CREATE, ALTER or DROP TYPE. */
    record TypeChange(Statement statement, String keyspace) implements SchemaChangePlan {
        public TypeChange {
            requireNonNull(statement, "statement is null");
            requireNonNull(keyspace, "keyspace is null");
        }

        @Override
        public <R> R change(ChangeVisitor<R> visitor) {
            return visitor.type(this);
        }
    }
}
