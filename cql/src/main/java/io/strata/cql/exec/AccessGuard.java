package io.strata.cql.exec;

import io.smallrye.mutiny.Uni;
import io.strata.cql.ast.AlterKeyspace;
import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.CreateIndex;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateMaterializedView;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.RestoreTable;
import io.strata.cql.ast.Statement;
import io.strata.cql.plan.BatchPlan;
import io.strata.cql.plan.ConditionalPlan;
import io.strata.cql.plan.DescribePlan;
import io.strata.cql.plan.ModificationPlan;
import io.strata.cql.plan.Plan;
import io.strata.cql.plan.SchemaChangePlan;
import io.strata.cql.plan.SelectPlan;
import io.strata.cql.plan.TruncatePlan;
import io.strata.cql.plan.UsePlan;
import io.strata.cql.plan.VirtualSelectPlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.RequestContext;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.AccessPolicy.Action;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every statement against the caller's {@link AccessPolicy} before it runs, with the permissions Cassandra
 * asks for: SELECT to read a table, MODIFY to write or truncate it (an LWT needs both), CREATE / ALTER / DROP for
 * DDL on the keyspace or table named (RESTORE TABLE: SELECT on the source and CREATE on the target); describing a keyspace or table needs it to be visible to the token
 * ({@link AccessPolicy#sees}, {@link AccessPolicy#seesKeyspace}: DESCRIBE or any other grant on it). A denial is
 * UNAUTHORIZED with Cassandra's message naming the missing permission and resource.
 *
 * <p>Decisions: system keyspaces stay readable by every token (drivers read {@code system.local} and
 * {@code system_schema} to connect); CREATE KEYSPACE checks CREATE on the new keyspace's own name, so a pattern
 * grant ({@code CREATE:app_*}) can let a token create keyspaces of a prefix; describing what the token cannot see
 * is UNAUTHORIZED (naming the DESCRIBE permission), not "not found", while listings, {@code DESCRIBE SCHEMA} and
 * the system tables silently leave out what it cannot see. Stateless and thread-safe.
 */
public final class AccessGuard implements PlanGuard {
    @Override
    public String name() {
        return "access check";
    }

    @Override
    public Uni<Void> check(RequestContext context, Plan plan) {
        AccessPolicy policy = context.caller().policy();
        if (policy == AccessPolicy.ALL) {
            return Uni.createFrom().voidItem();
        }
        for (Need need : plan.accept(new Needs())) {
            if (!need.metBy(policy)) {
                return Uni.createFrom().failure(CqlException.unauthorized("User " + context.caller().principal()
                        + " has no " + need.action() + " permission on " + need.resource() + " or any of its parents"));
            }
        }
        return Uni.createFrom().voidItem();
    }

    /**
     * A permission a plan needs. {@code visible}: seeing the resource will do (any grant on the table; for a
     * keyspace, any grant on it or on some of its tables, {@link AccessPolicy#seesKeyspace}); {@code orKeyspace},
     * if set, is a keyspace whose visibility will do as well (a bare {@code DESCRIBE name} may name either).
     */
    record Need(Action action, String keyspace, String table, boolean visible, String orKeyspace) {
        static Need of(Action action, String keyspace, String table) {
            return new Need(action, keyspace, table, false, null);
        }

        static Need visible(String keyspace, String table) {
            return new Need(Action.DESCRIBE, keyspace, table, true, null);
        }

        boolean metBy(AccessPolicy policy) {
            if (!visible) {
                return policy.allows(action, keyspace, table);
            }
            return (table == null ? policy.seesKeyspace(keyspace) : policy.sees(keyspace, table))
                    || (orKeyspace != null && policy.seesKeyspace(orKeyspace));
        }

        String resource() {
            return keyspace == null ? "<all keyspaces>"
                    : table == null ? "<keyspace " + keyspace + ">" : "<table " + keyspace + "." + table + ">";
        }
    }

    private static final class Needs implements Plan.Visitor<List<Need>> {
        @Override
        public List<Need> select(SelectPlan plan) {
            return onTable(Action.SELECT, plan.table());
        }

        @Override
        public List<Need> virtualSelect(VirtualSelectPlan plan) {
            return List.of();
        }

        @Override
        public List<Need> modification(ModificationPlan plan) {
            return onTable(Action.MODIFY, plan.table());
        }

        @Override
        public List<Need> batch(BatchPlan plan) {
            List<Need> needs = new ArrayList<>();
            for (ModificationPlan m : plan.statements()) {
                needs.addAll(onTable(Action.MODIFY, m.table()));
            }
            return needs;
        }

        @Override
        public List<Need> conditional(ConditionalPlan plan) {
            List<Need> needs = new ArrayList<>(onTable(Action.SELECT, plan.table()));
            needs.addAll(onTable(Action.MODIFY, plan.table()));
            return needs;
        }

        @Override
        public List<Need> schemaChange(SchemaChangePlan plan) {
            Statement s = plan.statement();
            String ks = plan.keyspace();
            if (s instanceof CreateKeyspace) {
                return List.of(Need.of(Action.CREATE, ks, null));
            }
            if (s instanceof AlterKeyspace) {
                return List.of(Need.of(Action.ALTER, ks, null));
            }
            if (s instanceof DropKeyspace) {
                return List.of(Need.of(Action.DROP, ks, null));
            }
            if (s instanceof CreateTable t) {
                return List.of(Need.of(Action.CREATE, ks, t.name().name()));
            }
            if (s instanceof AlterTable t) {
                return List.of(Need.of(Action.ALTER, ks, t.name().name()));
            }
            if (s instanceof DropTable t) {
                return List.of(Need.of(Action.DROP, ks, t.name().name()));
            }
            if (s instanceof CreateIndex i) {
                return List.of(Need.of(Action.ALTER, ks, i.table().name()));
            }
            if (s instanceof RestoreTable r) {
                // reading the source's history and creating the target, as Keyspaces' restore needs select on the
                // source and create on the target
                return List.of(Need.of(Action.SELECT, sourceKeyspace(plan), r.source().name()),
                        Need.of(Action.CREATE, ks, r.target().name()));
            }
            if (s instanceof CreateMaterializedView v) {
                return List.of(Need.of(Action.CREATE, ks, v.name().name()));
            }
            // types and DROP INDEX: on the keyspace, by the statement's verb
            String verb = s.getClass().getSimpleName();
            Action action = verb.startsWith("Create") ? Action.CREATE : verb.startsWith("Alter") ? Action.ALTER : Action.DROP;
            return List.of(Need.of(action, ks, null));
        }

        private static String sourceKeyspace(SchemaChangePlan plan) {
            return plan.change(new SchemaChangePlan.ChangeVisitor<String>() {
                @Override
                public String keyspace(SchemaChangePlan.KeyspaceChange c) {
                    return c.keyspace();
                }

                @Override
                public String table(SchemaChangePlan.TableChange c) {
                    return c.keyspace();
                }

                @Override
                public String type(SchemaChangePlan.TypeChange c) {
                    return c.keyspace();
                }

                @Override
                public String restore(SchemaChangePlan.RestoreChange c) {
                    return c.sourceKeyspace();
                }
            });
        }

        @Override
        public List<Need> use(UsePlan plan) {
            return List.of();
        }

        @Override
        public List<Need> truncate(TruncatePlan plan) {
            return onTable(Action.MODIFY, plan.table());
        }

        /**
         * What is described must be visible to the token; listings and schemas need nothing, since the executor
         * describes only the visible schema ({@link io.strata.cql.schema.SchemaVisibility}).
         */
        @Override
        public List<Need> describe(DescribePlan plan) {
            var target = plan.statement().target();
            String current = plan.keyspace();
            Need need = switch (plan.statement().kind()) {
                case KEYSPACES, SCHEMA, FULL_SCHEMA, CLUSTER -> null;
                case TABLES, TYPES -> current == null ? null : Need.visible(current, null);
                case KEYSPACE, ONLY_KEYSPACE -> Need.visible(target != null ? target.name() : current, null);
                case TABLE -> Need.visible(target.keyspace() != null ? target.keyspace() : current, target.name());
                case TYPE -> Need.visible(target.keyspace() != null ? target.keyspace() : current, null);
                case NAME -> target.keyspace() != null ? Need.visible(target.keyspace(), target.name())
                        : current == null ? Need.visible(target.name(), null)
                        : new Need(Action.DESCRIBE, current, target.name(), true, target.name());
            };
            if (need == null || need.keyspace() == null || SystemKeyspaces.isSystemKeyspace(need.keyspace())
                    || (need.orKeyspace() != null && SystemKeyspaces.isSystemKeyspace(need.orKeyspace()))) {
                return List.of(); // no keyspace: the executor answers; system keyspaces are visible to all
            }
            return List.of(need);
        }

        private static List<Need> onTable(Action action, TableMetadata table) {
            if (SystemKeyspaces.isSystemKeyspace(table.keyspace())) {
                return List.of(); // writes to system tables are refused by the executor whatever the grant
            }
            return List.of(Need.of(action, table.keyspace(), table.name()));
        }
    }
}
