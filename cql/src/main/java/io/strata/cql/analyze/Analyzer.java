package io.strata.cql.analyze;

import io.strata.cql.ast.AlterKeyspace;
import io.strata.cql.ast.AlterTable;
import io.strata.cql.ast.AlterType;
import io.strata.cql.ast.Batch;
import io.strata.cql.ast.CreateIndex;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateMaterializedView;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.CreateType;
import io.strata.cql.ast.Delete;
import io.strata.cql.ast.Describe;
import io.strata.cql.ast.DropIndex;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.DropType;
import io.strata.cql.ast.Insert;
import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.Statement;
import io.strata.cql.ast.RestoreTable;
import io.strata.cql.ast.Truncate;
import io.strata.cql.ast.Update;
import io.strata.cql.ast.Use;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Analyzed;
import io.strata.cql.plan.BatchPlan;
import io.strata.cql.plan.ConditionalPlan;
import io.strata.cql.plan.DescribePlan;
import io.strata.cql.plan.Plan;
import io.strata.cql.plan.Restrictions;
import io.strata.cql.plan.SchemaChangePlan;
import io.strata.cql.plan.SelectPlan;
import io.strata.cql.plan.TruncatePlan;
import io.strata.cql.plan.UsePlan;
import io.strata.cql.plan.VirtualSelectPlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.ResultColumn;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.types.NativeType;
import java.util.ArrayList;
import java.util.List;

/**
 * The analysis step of the request path: binds a parsed statement to the tenant's schema and produces its
 * {@link Analyzed} plan, bind variables and result columns. Pure: the same statement, keyspace and schema
 * always give the same result, so prepared statements keep it. Stateless, thread-safe.
 */
public final class Analyzer {
    private Analyzer() {}

    /**
     * @param keyspace the keyspace unqualified names resolve against (the statement's or the session's), or null
     */
    public static Analyzed analyze(ParsedStatement parsed, String keyspace, Schema schema) {
        Statement s = parsed.statement();
        int markers = parsed.bindMarkers().size();
        if (s instanceof Select sel) {
            return select(sel, keyspace, schema, markers);
        }
        if (s instanceof Insert || s instanceof Update || s instanceof Delete) {
            TableMetadata t = writableTable(schema, target(s), keyspace);
            Variables vars = new Variables(markers, t.keyspace(), t.name());
            ModificationAnalyzer.Analyzed a = modification(s, t, vars);
            return new Analyzed(a.plan(), vars.specs(), List.of(), pkIndexes(a.write().where()), t,
                    new ConditionalPlan.Statement(a.write(), a.condition()));
        }
        if (s instanceof Batch b) {
            Variables vars = new Variables(markers, keyspace, null);
            List<ConditionalPlan.Statement> children = new ArrayList<>();
            for (Statement child : b.statements()) {
                TableMetadata t = writableTable(schema, target(child), keyspace);
                ModificationAnalyzer.Analyzed a = modification(child, t, vars);
                children.add(new ConditionalPlan.Statement(a.write(), a.condition()));
            }
            ValueSource timestamp = b.using().timestamp() == null ? null
                    : vars.source(b.using().timestamp(), NativeType.BIGINT, "[timestamp]");
            Plan plan = BatchAnalyzer.plan(BatchPlan.Type.valueOf(b.type().name()), children, timestamp);
            return new Analyzed(plan, vars.specs(), List.of(), null, null, null);
        }
        Plan plan = other(s, keyspace, schema);
        return new Analyzed(plan, new Variables(markers, keyspace, null).specs(), List.of(), null, null, null);
    }

    private static Analyzed select(Select sel, String keyspace, Schema schema, int markers) {
        String ks = Analysis.keyspace(sel.table(), keyspace);
        if (SystemKeyspaces.isSystemKeyspace(ks)) {
            TableMetadata def = SystemKeyspaces.definition(ks, sel.table().name())
                    .orElseThrow(() -> CqlException.invalid("table " + sel.table().name() + " does not exist"));
            Variables vars = new Variables(markers, ks, def.name());
            VirtualSelectPlan plan = VirtualSelectAnalyzer.analyze(sel, def, vars);
            return new Analyzed(plan, vars.specs(), plan.resultColumns(), null, null, null);
        }
        TableMetadata t = Analysis.table(schema, sel.table(), keyspace);
        Variables vars = new Variables(markers, t.keyspace(), t.name());
        SelectPlan plan = SelectAnalyzer.analyze(sel, t, vars);
        List<ResultColumn> columns = plan.resultColumns();
        return new Analyzed(plan, vars.specs(), columns, pkIndexes(plan.where()), t, null);
    }

    private static ModificationAnalyzer.Analyzed modification(Statement s, TableMetadata t, Variables vars) {
        if (s instanceof Insert i) {
            return ModificationAnalyzer.insert(i, t, vars);
        }
        if (s instanceof Update u) {
            return ModificationAnalyzer.update(u, t, vars);
        }
        return ModificationAnalyzer.delete((Delete) s, t, vars);
    }

    private static QualifiedName target(Statement s) {
        if (s instanceof Insert i) {
            return i.table();
        }
        if (s instanceof Update u) {
            return u.table();
        }
        if (s instanceof Delete d) {
            return d.table();
        }
        throw CqlException.invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
    }

    private static TableMetadata writableTable(Schema schema, QualifiedName name, String keyspace) {
        String ks = Analysis.keyspace(name, keyspace);
        if (SystemKeyspaces.isSystemKeyspace(ks)) {
            throw CqlException.unauthorized("System keyspace " + ks + " is not modifiable");
        }
        return Analysis.table(schema, name, keyspace);
    }

    private static Plan other(Statement s, String keyspace, Schema schema) {
        if (s instanceof CreateKeyspace ck) {
            return new SchemaChangePlan.KeyspaceChange(s, ck.name());
        }
        if (s instanceof AlterKeyspace ak) {
            return new SchemaChangePlan.KeyspaceChange(s, ak.name());
        }
        if (s instanceof DropKeyspace dk) {
            return new SchemaChangePlan.KeyspaceChange(s, dk.name());
        }
        if (s instanceof CreateTable ct) {
            return new SchemaChangePlan.TableChange(s, Analysis.keyspace(ct.name(), keyspace));
        }
        if (s instanceof AlterTable at) {
            return new SchemaChangePlan.TableChange(s, Analysis.keyspace(at.name(), keyspace));
        }
        if (s instanceof DropTable dt) {
            return new SchemaChangePlan.TableChange(s, Analysis.keyspace(dt.name(), keyspace));
        }
        if (s instanceof RestoreTable rt) {
            String sourceKs = Analysis.keyspace(rt.source(), keyspace);
            String targetKs = Analysis.keyspace(rt.target(), keyspace);
            if (SystemKeyspaces.isSystemKeyspace(targetKs)) {
                throw CqlException.unauthorized("Cannot RESTORE TABLE into system keyspace " + targetKs);
            }
            if (SystemKeyspaces.isSystemKeyspace(sourceKs)) {
                throw CqlException.invalid("Cannot RESTORE TABLE from system keyspace " + sourceKs);
            }
            return new SchemaChangePlan.RestoreChange(rt, targetKs, sourceKs);
        }
        if (s instanceof CreateMaterializedView mv) {
            return new SchemaChangePlan.TableChange(s, Analysis.keyspace(mv.name(), keyspace));
        }
        if (s instanceof CreateType ct) {
            return new SchemaChangePlan.TypeChange(s, Analysis.keyspace(ct.name(), keyspace));
        }
        if (s instanceof AlterType at) {
            return new SchemaChangePlan.TypeChange(s, Analysis.keyspace(at.name(), keyspace));
        }
        if (s instanceof DropType dt) {
            return new SchemaChangePlan.TypeChange(s, Analysis.keyspace(dt.name(), keyspace));
        }
        if (s instanceof Truncate tr) {
            String ks = Analysis.keyspace(tr.name(), keyspace);
            if (SystemKeyspaces.isSystemKeyspace(ks)) {
                throw CqlException.unauthorized("System keyspace " + ks + " is not modifiable");
            }
            return new TruncatePlan(Analysis.table(schema, tr.name(), keyspace));
        }
        if (s instanceof Use u) {
            return new UsePlan(u.keyspace());
        }
        if (s instanceof Describe d) {
            return new DescribePlan(d, keyspace);
        }
        if (s instanceof CreateIndex || s instanceof DropIndex) {
            throw CqlException.invalid("Secondary indexes are not supported (as in Amazon Keyspaces): query by primary "
                    + "key, or filter with ALLOW FILTERING");
        }
        throw CqlException.invalid(s.getClass().getSimpleName() + " statements are not supported");
    }

    /** The variable positions of the partition key when each column is one bound marker (token-aware routing). */
    private static int[] pkIndexes(Restrictions where) {
        if (!(where.partition() instanceof Restrictions.PartitionRestriction.Keys keys) || !keys.single()) {
            return null;
        }
        int[] idx = new int[keys.columns().size()];
        for (int i = 0; i < idx.length; i++) {
            if (!(keys.columns().get(i).values().get(0) instanceof ValueSource.Bind b)) {
                return null;
            }
            idx[i] = b.index();
        }
        return idx;
    }
}
