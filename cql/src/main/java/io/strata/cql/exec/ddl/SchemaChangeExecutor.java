package io.strata.cql.exec.ddl;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.plan.SchemaChangePlan;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.Result;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.system.NodeInfo;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import io.strata.cql.ast.RestoreTable;
import java.util.function.LongSupplier;

/**
 * Runs DDL: the executor of the changed element (keyspace, table, type) decides the change against the
 * tenant's current schema inside {@link SchemaService#apply}, which commits it by compare-and-set and
 * announces it. A decision that changes nothing (IF [NOT] EXISTS) answers VOID. Thread-safe.
 */
public final class SchemaChangeExecutor {
    private final SchemaService schemas;
    private final Supplier<Optional<Set<String>>> datacenters;
    private final LongSupplier nowMicros;
    private final java.time.Duration capacitySwitchWait;
    private final Recovery recovery;

    /**
     * @param node what the node says about itself: NetworkTopologyStrategy may name only its data center
     * @param nowMicros the clock of dropped columns
     */
    public SchemaChangeExecutor(SchemaService schemas, Supplier<NodeInfo> node, LongSupplier nowMicros) {
        this(schemas, node, nowMicros, java.time.Duration.ofHours(24));
    }

    /** @param capacitySwitchWait how long a table waits between switches back to on-demand capacity (24 h) */
    public SchemaChangeExecutor(SchemaService schemas, Supplier<NodeInfo> node, LongSupplier nowMicros,
            java.time.Duration capacitySwitchWait) {
        this.capacitySwitchWait = requireNonNull(capacitySwitchWait, "capacitySwitchWait is null");
        requireNonNull(node, "node is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.recovery = new Recovery(schemas);
        this.datacenters = () -> Optional.of(Set.of(node.get().datacenter()));
        this.nowMicros = requireNonNull(nowMicros, "nowMicros is null");
    }

    public Uni<Result> execute(RequestContext rc, SchemaChangePlan plan) {
        String tenant = rc.tenant();
        Supplier<CompletionStage<SchemaService.Applied>> run = plan.change(new SchemaChangePlan.ChangeVisitor<>() {
            @Override
            public Supplier<CompletionStage<SchemaService.Applied>> keyspace(SchemaChangePlan.KeyspaceChange c) {
                Optional<Set<String>> known = datacenters.get();
                return committed(rc, schema -> KeyspaceDdl.apply(c.statement(), schema, known));
            }

            @Override
            public Supplier<CompletionStage<SchemaService.Applied>> table(SchemaChangePlan.TableChange c) {
                long now = nowMicros.getAsLong();
                return committed(rc, schema -> TableDdl.apply(c.statement(), c.keyspace(), schema, now, capacitySwitchWait));
            }

            @Override
            public Supplier<CompletionStage<SchemaService.Applied>> type(SchemaChangePlan.TypeChange c) {
                return committed(rc, schema -> TypeDdl.apply(c.statement(), c.keyspace(), schema));
            }

            @Override
            public Supplier<CompletionStage<SchemaService.Applied>> restore(SchemaChangePlan.RestoreChange c) {
                if (rc.trace().enabled()) {
                    rc.trace().event("Committing the restored table RESTORING, then starting the restore in storage");
                }
                return () -> recovery.restoreTable(tenant, (RestoreTable) c.statement(), c.keyspace(), c.sourceKeyspace());
            }
        });
        return Uni.createFrom().completionStage(run)
                .map(applied -> applied.event() == null ? Result.VOID : new Result.SchemaChanged(applied.event()));
    }

    private Supplier<CompletionStage<SchemaService.Applied>> committed(RequestContext rc,
            Function<Schema, SchemaService.Change> decide) {
        if (rc.trace().enabled()) {
            rc.trace().event("Committing the schema change to the tenant's catalog (compare-and-set)");
        }
        return () -> schemas.apply(rc.tenant(), decide);
    }
}
