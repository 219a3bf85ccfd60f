package io.strata.gateway.audit;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.ast.AlterKeyspace;
import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.AlterType;
import io.strata.cql.ast.CreateIndex;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateMaterializedView;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.CreateType;
import io.strata.cql.ast.DropIndex;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.DropType;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Statement;
import io.strata.cql.exec.PlanGuard;
import io.strata.cql.plan.Plan;
import io.strata.cql.plan.SchemaChangePlan;
import io.strata.cql.plan.TruncatePlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.ErrorCode;

/**
 * Records, once each request ended, every DDL statement ({@link SchemaChangePlan}) and {@code TRUNCATE} with its
 * outcome ({@code ok}, or {@code failed} with the error), and every statement an access policy refused
 * ({@code denied}, with the missing permission), each with the token id and the client's address. The plan carries
 * the parsed statement, not its text, so the record names the statement's kind and object
 * ({@code CREATE TABLE ks.t}, {@code ALTER TABLE ks.t ADD}); properties and values are left out. Never refuses.
 * Thread-safe; holds the caller only for one {@link AuditLog#record} (microseconds).
 */
public final class AuditGuard implements PlanGuard {
    private final AuditLog log;

    public AuditGuard(AuditLog log) {
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public Uni<Void> check(RequestContext context, Plan plan) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public void completed(RequestContext context, Plan plan, Throwable failure) {
        String ddl = null;
        if (plan instanceof SchemaChangePlan change) {
            ddl = describe(change.statement(), change.keyspace());
        } else if (plan instanceof TruncatePlan truncate) {
            ddl = "TRUNCATE " + truncate.table().keyspace() + "." + truncate.table().name();
        }
        String source = context.client() == null ? null : context.client().getHostAddress();
        String tokenId = context.caller().tokenId().isEmpty() ? null : context.caller().tokenId();
        if (failure instanceof CqlException e && e.code() == ErrorCode.UNAUTHORIZED) {
            log.denied(context.tenant(), context.caller().principal(), tokenId, source,
                    ddl != null ? ddl : kind(plan), e.getMessage());
        } else if (ddl != null) {
            log.ddl(context.tenant(), context.caller().principal(), tokenId, source, ddl,
                    failure == null ? null : failure instanceof CqlException ? failure.getMessage()
                            : "internal error: " + failure.getClass().getSimpleName());
        }
    }

    /** What kind of statement a plan ran, for a denial record (the statement's values are never recorded). */
    static String kind(Plan plan) {
        String name = plan.getClass().getSimpleName();
        return switch (name) {
            case "SelectPlan", "VirtualSelectPlan" -> "SELECT";
            case "ModificationPlan" -> "UPDATE";
            case "ConditionalPlan" -> "conditional UPDATE";
            case "BatchPlan" -> "BATCH";
            case "UsePlan" -> "USE";
            case "DescribePlan" -> "DESCRIBE";
            default -> name.endsWith("Plan") ? name.substring(0, name.length() - 4) : name;
        };
    }

    /** The kind of a DDL statement and the object it changes, without its properties. */
    static String describe(Statement s, String keyspace) {
        if (s instanceof CreateKeyspace c) {
            return "CREATE KEYSPACE " + c.name();
        } else if (s instanceof AlterKeyspace a) {
            return "ALTER KEYSPACE " + a.name();
        } else if (s instanceof DropKeyspace d) {
            return "DROP KEYSPACE " + d.name();
        } else if (s instanceof CreateTable c) {
            return "CREATE TABLE " + qualified(c.name(), keyspace);
        } else if (s instanceof AlterTable a) {
            return "ALTER TABLE " + qualified(a.name(), keyspace) + " " + action(a.action().getClass());
        } else if (s instanceof DropTable d) {
            return "DROP TABLE " + qualified(d.name(), keyspace);
        } else if (s instanceof CreateType c) {
            return "CREATE TYPE " + qualified(c.name(), keyspace);
        } else if (s instanceof AlterType a) {
            return "ALTER TYPE " + qualified(a.name(), keyspace) + " " + action(a.action().getClass());
        } else if (s instanceof DropType d) {
            return "DROP TYPE " + qualified(d.name(), keyspace);
        } else if (s instanceof CreateIndex c) {
            return "CREATE INDEX " + c.indexName() + " ON " + qualified(c.table(), keyspace);
        } else if (s instanceof DropIndex d) {
            return "DROP INDEX " + qualified(d.name(), keyspace);
        } else if (s instanceof CreateMaterializedView c) {
            return "CREATE MATERIALIZED VIEW " + qualified(c.name(), keyspace);
        }
        return s.getClass().getSimpleName() + " in " + keyspace;
    }

    private static String qualified(QualifiedName name, String keyspace) {
        return name.hasKeyspace() ? name.toString() : keyspace + "." + name.name();
    }

    private static String action(Class<?> action) {
        return switch (action.getSimpleName()) {
            case "AddColumns", "AddField" -> "ADD";
            case "DropColumns" -> "DROP";
            case "RenameColumns", "RenameFields" -> "RENAME";
            case "WithProperties" -> "WITH";
            default -> action.getSimpleName();
        };
    }
}
