package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Batch;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.event.SchemaChangeEvent;
import com.datastax.oss.protocol.internal.response.result.ColumnSpec;
import com.datastax.oss.protocol.internal.response.result.DefaultRows;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import com.datastax.oss.protocol.internal.response.result.SchemaChange;
import com.datastax.oss.protocol.internal.response.result.SetKeyspace;
import com.datastax.oss.protocol.internal.response.result.Void;
import io.strata.cql.types.NativeType;
import io.strata.cql.ast.CreateKeyspace;
import io.strata.cql.ast.CreateTable;
import io.strata.cql.ast.Delete;
import io.strata.cql.ast.DropKeyspace;
import io.strata.cql.ast.DropTable;
import io.strata.cql.ast.Insert;
import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.ast.QualifiedName;
import io.strata.cql.ast.Select;
import io.strata.cql.ast.Statement;
import io.strata.cql.ast.Truncate;
import io.strata.cql.ast.Update;
import io.strata.cql.ast.Use;
import io.strata.cql.parse.CqlParser;
import io.strata.cql.parse.CqlSyntaxException;
import io.strata.cql.schema.ColumnMetadata;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.server.ClientState;
import io.strata.cql.server.RequestHandler;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.cql.system.VirtualTable;
import io.strata.cql.types.InvalidValueException;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.StorageException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Executes QUERY, PREPARE, EXECUTE and BATCH for authenticated connections: parses, analyses against
 * the tenant's schema, and runs the plan against the storage engine or the system tables. Each tenant
 * sees only its own keyspaces; prepared statements are cached per tenant.
 *
 * <p>Never blocks: parsing and analysis are CPU-only; storage calls return stages. Thread-safe.
 */
public final class CqlRequestHandler implements RequestHandler {
    private static final Logger LOG = Logger.getLogger(CqlRequestHandler.class);

    /** Keyspaces' batch limits. */
    static final int MAX_LOGGED_BATCH = 100;
    static final int MAX_UNLOGGED_BATCH = 30;

    private final StorageEngine engine;
    private final SchemaService schemas;
    private final SystemKeyspaces system;
    private final TimeUuids time;
    private final PreparedStatements prepared;

    public CqlRequestHandler(StorageEngine engine, SchemaService schemas, SystemKeyspaces system, Clock clock,
            long maxPreparedStatements) {
        this.engine = requireNonNull(engine, "engine is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.system = requireNonNull(system, "system is null");
        this.time = new TimeUuids(requireNonNull(clock, "clock is null"));
        this.prepared = new PreparedStatements(maxPreparedStatements);
    }

    @Override
    public CompletionStage<Message> handle(ClientState state, Message request) {
        CompletionStage<Message> stage;
        try {
            if (request instanceof Query q) {
                stage = query(state, q);
            } else if (request instanceof Prepare p) {
                stage = prepare(state, p);
            } else if (request instanceof Execute e) {
                stage = execute(state, e);
            } else if (request instanceof Batch b) {
                stage = batch(state, b);
            } else {
                return CompletableFuture.completedFuture(new Error(ProtocolConstants.ErrorCode.PROTOCOL_ERROR,
                        "Unexpected message " + request.getClass().getSimpleName()));
            }
        } catch (Throwable t) {
            return CompletableFuture.completedFuture(toError(t));
        }
        return stage.exceptionally(this::toError);
    }

    private Message toError(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CqlException c) {
            return c.toError();
        }
        if (cause instanceof CqlSyntaxException s) {
            return new Error(ProtocolConstants.ErrorCode.SYNTAX_ERROR, s.getMessage());
        }
        if (cause instanceof InvalidValueException v) {
            return new Error(ProtocolConstants.ErrorCode.INVALID, v.getMessage());
        }
        if (cause instanceof StorageException s) {
            LOG.warnf(s, "storage failure");
            return new Error(ProtocolConstants.ErrorCode.SERVER_ERROR, "Storage failure: " + s.getMessage());
        }
        LOG.errorf(cause, "unexpected failure executing a request");
        return new Error(ProtocolConstants.ErrorCode.SERVER_ERROR, "Internal error: " + cause);
    }

    // ---- QUERY / PREPARE / EXECUTE / BATCH ------------------------------------------------------------

    private CompletionStage<Message> query(ClientState state, Query q) {
        ParsedStatement parsed = CqlParser.parse(q.query);
        String keyspace = q.options.keyspace != null ? q.options.keyspace : state.keyspace();
        String tenant = state.tenant().tenantId();
        return schemas.schema(tenant).thenCompose(schema -> {
            Analysis a = analyze(parsed, keyspace, schema);
            Bindings b = bind(a.variables(), q.options, parsed.bindMarkers().size());
            return run(state, a, b, q.options, null);
        });
    }

    private CompletionStage<Message> prepare(ClientState state, Prepare p) {
        ParsedStatement parsed = CqlParser.parse(p.cqlQuery);
        String keyspace = p.keyspace != null ? p.keyspace : state.keyspace();
        String tenant = state.tenant().tenantId();
        return schemas.schema(tenant).thenApply(schema -> {
            Analysis a = analyze(parsed, keyspace, schema);
            List<ColumnSpec> vars = a.variables().specs();
            byte[] id = PreparedStatements.id(keyspace, p.cqlQuery);
            List<ColumnSpec> resultColumns = a.resultColumns();
            Prepared prep = new Prepared(id, p.cqlQuery, keyspace, parsed.statement(),
                    new Prepared.Analyzed(a.table(), a.plan(), resultColumns), vars, a.partitionKeyIndexes());
            prepared.put(tenant, prep);
            RowsMetadata variables = new RowsMetadata(vars, null, a.partitionKeyIndexes(), null);
            RowsMetadata result = resultColumns.isEmpty() ? new RowsMetadata(0, null, null, null)
                    : new RowsMetadata(resultColumns, null, null, null);
            return new com.datastax.oss.protocol.internal.response.result.Prepared(id, resultMetadataId(resultColumns),
                    variables, result);
        });
    }

    private CompletionStage<Message> execute(ClientState state, Execute e) {
        String tenant = state.tenant().tenantId();
        Prepared p = prepared.get(tenant, e.queryId);
        if (p == null) {
            throw new CqlException.UnpreparedException(e.queryId);
        }
        return schemas.schema(tenant).thenCompose(schema -> {
            Analysis a = currentAnalysis(tenant, p, schema);
            Bindings b = bind(a.variables(), e.options, p.variables().size());
            return run(state, a, b, e.options, e.resultMetadataId);
        });
    }

    /** A prepared statement stays valid while its table is unchanged; otherwise UNPREPARED makes the driver re-prepare. */
    private Analysis currentAnalysis(String tenant, Prepared p, Schema schema) {
        TableMetadata then = p.analyzed().table();
        if (then != null && !SystemKeyspaces.isSystemKeyspace(then.keyspace())) {
            TableMetadata now = schema.table(then.keyspace(), then.name()).orElse(null);
            if (now != then) {
                prepared.invalidate(tenant, p.id());
                throw new CqlException.UnpreparedException(p.id());
            }
        }
        if (p.analyzed().plan() != null) {
            return new Analysis(p.statement(), p.keyspace(), p.analyzed().table(), p.analyzed().plan(),
                    Variables.fromSpecs(p.variables()), p.analyzed().resultColumns(), p.partitionKeyIndexes());
        }
        return analyze(new ParsedStatement(p.statement(), List.of()), p.keyspace(), schema, p.variables().size());
    }

    private CompletionStage<Message> batch(ClientState state, Batch batch) {
        String tenant = state.tenant().tenantId();
        String keyspace = batch.keyspace != null ? batch.keyspace : state.keyspace();
        checkBatchSize(batch.type == ProtocolConstants.BatchType.UNLOGGED, batch.queriesOrIds.size());
        ConsistencyPolicy.checkWrite(batch.consistency);
        return schemas.schema(tenant).thenCompose(schema -> {
            ExecutionContext ctx = context(batch.defaultTimestamp);
            List<ModificationPlan> plans = new ArrayList<>();
            List<Bindings> bindings = new ArrayList<>();
            for (int i = 0; i < batch.queriesOrIds.size(); i++) {
                Object qOrId = batch.queriesOrIds.get(i);
                List<ByteBuffer> values = batch.values.get(i);
                Analysis a;
                if (qOrId instanceof String text) {
                    ParsedStatement parsed = CqlParser.parse(text);
                    a = analyze(parsed, keyspace, schema);
                } else {
                    byte[] id = (byte[]) qOrId;
                    Prepared p = prepared.get(tenant, id);
                    if (p == null) {
                        throw new CqlException.UnpreparedException(id);
                    }
                    a = currentAnalysis(tenant, p, schema);
                }
                if (!(a.plan() instanceof ModificationPlan mp)) {
                    throw CqlException.invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
                }
                Bindings b = Bindings.of(values);
                if (b.size() != a.variables().count()) {
                    throw CqlException.invalid("There were " + a.variables().count() + " markers(?) in CQL but "
                            + b.size() + " bound variables");
                }
                plans.add(mp);
                bindings.add(b);
            }
            checkCounterBatch(batch.type == ProtocolConstants.BatchType.COUNTER,
                    batch.type == ProtocolConstants.BatchType.LOGGED, plans);
            return applyAll(tenant, plans, bindings, ctx);
        });
    }

    /** Keyspaces' batch limits: 100 statements in a logged batch, 30 in an unlogged one. */
    static void checkBatchSize(boolean unlogged, int size) {
        int max = unlogged ? MAX_UNLOGGED_BATCH : MAX_LOGGED_BATCH;
        if (size > max) {
            throw CqlException.invalid("Batch too large: " + (unlogged ? "unlogged" : "logged") + " batches may contain at most "
                    + max + " statements, got " + size);
        }
    }

    /** Cassandra's rules: counter batches hold only counter updates, logged batches none, and no batch mixes both. */
    private static void checkCounterBatch(boolean counterBatch, boolean logged, List<ModificationPlan> plans) {
        boolean counters = false;
        boolean others = false;
        for (ModificationPlan mp : plans) {
            boolean counter = ModificationPlan.isCounterTable(mp.table());
            counters |= counter;
            others |= !counter;
        }
        if (counterBatch && others) {
            throw CqlException.invalid("Cannot include non-counter statement in a counter batch");
        }
        if (logged && counters) {
            throw CqlException.invalid("Cannot include a counter statement in a logged batch");
        }
        if (counters && others) {
            throw CqlException.invalid("Counter and non-counter mutations cannot exist in the same batch");
        }
    }

    /** Builds every statement's update (reading first where a list operation needs it) and applies them atomically. */
    private CompletionStage<Message> applyAll(String tenant, List<ModificationPlan> plans, List<Bindings> bindings,
            ExecutionContext ctx) {
        if (plans.size() > 1 && plans.stream().anyMatch(p -> p.condition() != null)) {
            return conditionalBatch(tenant, plans, bindings, ctx);
        }
        if (plans.size() == 1 && plans.get(0).condition() != null) {
            return lightweightTransaction(tenant, plans.get(0), bindings.get(0), ctx);
        }
        List<CompletableFuture<PartitionUpdate>> builds = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            ModificationPlan mp = plans.get(i);
            Bindings b = bindings.get(i);
            if (mp.writesSeveralPartitions()) {
                // IN on the partition key: the statement's update of each partition, all applied atomically.
                for (PartitionKey key : mp.partitionKeysFor(b, ctx)) {
                    if (!mp.needsRead()) {
                        builds.add(CompletableFuture.completedFuture(mp.buildFor(key, tenant, b, ctx, defaultTtl(mp.table()), null)));
                    } else {
                        builds.add(engine.read(mp.readBeforeWrite(tenant, b, ctx, key)).toCompletableFuture().thenApply(r ->
                                mp.buildFor(key, tenant, b, ctx, defaultTtl(mp.table()),
                                        r.partitions().isEmpty() ? null : r.partitions().get(0))));
                    }
                }
                continue;
            }
            if (!mp.needsRead()) {
                builds.add(CompletableFuture.completedFuture(mp.build(tenant, b, ctx, defaultTtl(mp.table()))));
            } else {
                builds.add(engine.read(mp.readBeforeWrite(tenant, b, ctx)).toCompletableFuture().thenApply(r ->
                        mp.build(tenant, b, ctx, defaultTtl(mp.table()), r.partitions().isEmpty() ? null : r.partitions().get(0))));
            }
        }
        return CompletableFuture.allOf(builds.toArray(CompletableFuture[]::new)).thenCompose(v -> {
            List<PartitionUpdate> updates = new ArrayList<>(builds.size());
            for (CompletableFuture<PartitionUpdate> f : builds) {
                updates.add(f.join());
            }
            return engine.apply(updates);
        }).thenApply(v -> (Message) Void.INSTANCE);
    }

    /**
     * A batch with conditions, as Cassandra runs it: every statement on one partition of one table; the
     * partition is read under its compare-and-set lock, every condition is evaluated against its own row, and
     * either all statements apply or none. The result is one {@code [applied]} row, or, when a condition
     * failed, a row per existing conditional row with its primary key and the condition columns.
     */
    private CompletionStage<Message> conditionalBatch(String tenant, List<ModificationPlan> plans, List<Bindings> bindings,
            ExecutionContext ctx) {
        TableMetadata t = plans.get(0).table();
        PartitionKey key = plans.get(0).partitionKeyFor(bindings.get(0), ctx);
        for (int i = 0; i < plans.size(); i++) {
            if (plans.get(i).table() != t && !plans.get(i).table().id().equals(t.id())) {
                throw CqlException.invalid("Batch with conditions cannot span multiple tables");
            }
            if (plans.get(i).writesSeveralPartitions()) {
                throw CqlException.invalid("Batch with conditions cannot span multiple partitions");
            }
            if (!plans.get(i).partitionKeyFor(bindings.get(i), ctx).equals(key)) {
                throw CqlException.invalid("Batch with conditions cannot span multiple partitions");
            }
        }
        ReadQuery read = new ReadQuery(t.tableId(tenant), new io.strata.storage.spi.PartitionSelection.Single(key),
                List.of(io.strata.storage.spi.Slice.ALL), false, null, Integer.MAX_VALUE, Integer.MAX_VALUE, ctx.nowInSeconds(), null);
        return engine.applyIf(read, current -> {
            PartitionData p = current.partitions().isEmpty() ? null : current.partitions().get(0);
            for (int i = 0; i < plans.size(); i++) {
                ModificationPlan mp = plans.get(i);
                if (mp.condition() != null) {
                    Row row = rowAt(p, mp.clusteringFor(bindings.get(i), ctx));
                    if (!conditionHolds(mp.condition(), row, p == null ? null : p.staticRow(), bindings.get(i), ctx)) {
                        return null;
                    }
                }
            }
            List<PartitionUpdate> updates = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) {
                ModificationPlan mp = plans.get(i);
                PartitionData own = null;
                if (p != null) {
                    Row row = rowAt(p, mp.clusteringFor(bindings.get(i), ctx));
                    own = new PartitionData(p.key(), p.staticRow(), row == null ? List.of() : List.of(row));
                }
                updates.add(mp.build(tenant, bindings.get(i), ctx, defaultTtl(t), own));
            }
            return updates;
        }).thenApply(result -> {
            List<ColumnMetadata> shown = new ArrayList<>(t.partitionKey());
            shown.addAll(t.clustering());
            for (ModificationPlan mp : plans) {
                if (mp.condition() instanceof LwtCondition.IfColumns cols) {
                    cols.conditions().forEach(c -> {
                        if (!shown.contains(c.column())) {
                            shown.add(c.column());
                        }
                    });
                }
            }
            List<ColumnSpec> specs = new ArrayList<>();
            specs.add(new ColumnSpec(t.keyspace(), t.name(), "[applied]", 0, NativeType.BOOLEAN.rawType()));
            Queue<List<ByteBuffer>> rows = new ArrayDeque<>();
            PartitionData p = result.current().partitions().isEmpty() ? null : result.current().partitions().get(0);
            if (result.applied() || p == null || p.rows().isEmpty()) {
                List<ByteBuffer> only = new ArrayList<>();
                only.add(ByteBuffer.wrap(io.strata.cql.types.Values.ofBoolean(result.applied())));
                rows.add(only);
                return (Message) new DefaultRows(new RowsMetadata(specs, null, null, null), rows);
            }
            for (ColumnMetadata c : shown) {
                specs.add(new ColumnSpec(t.keyspace(), t.name(), c.name(), specs.size(), c.type().rawType()));
            }
            List<byte[]> pk = PartitionKeys.split(p.key().key(), t.partitionKey().size());
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < plans.size(); i++) {
                if (plans.get(i).condition() == null) {
                    continue;
                }
                Row row = rowAt(p, plans.get(i).clusteringFor(bindings.get(i), ctx));
                if (row == null || !seen.add(java.util.HexFormat.of().formatHex(row.clustering().encoded()))) {
                    continue;
                }
                List<ByteBuffer> values = new ArrayList<>();
                values.add(ByteBuffer.wrap(io.strata.cql.types.Values.ofBoolean(false)));
                values.addAll(currentValues(t, shown, pk, p, row));
                rows.add(values);
            }
            if (rows.isEmpty()) {
                List<ByteBuffer> only = new ArrayList<>();
                only.add(ByteBuffer.wrap(io.strata.cql.types.Values.ofBoolean(false)));
                for (int i = 0; i < shown.size(); i++) {
                    only.add(null);
                }
                rows.add(only);
            }
            return (Message) new DefaultRows(new RowsMetadata(specs, null, null, null), rows);
        });
    }

    /** The values of {@code columns} in a row read by a conditional statement (for its [applied]=false result). */
    private static List<ByteBuffer> currentValues(TableMetadata t, List<ColumnMetadata> columns, List<byte[]> pk,
            PartitionData p, Row row) {
        List<byte[]> ck = t.clustering().isEmpty() ? List.of()
                : io.strata.cql.types.ComparableEncoding.decode(t.clusteringTypes(), t.clusteringDescending(),
                        row.clustering().encoded());
        List<ByteBuffer> values = new ArrayList<>(columns.size());
        for (ColumnMetadata c : columns) {
            byte[] v = switch (c.kind()) {
                case PARTITION_KEY -> pk.get(c.position());
                case CLUSTERING -> ck.get(c.position());
                case STATIC -> Cells.value(p.staticRow(), c.name(), c.type());
                case REGULAR -> Cells.value(row, c.name(), c.type());
            };
            values.add(v == null ? null : ByteBuffer.wrap(v));
        }
        return values;
    }

    private static Row rowAt(PartitionData p, byte[] clustering) {
        if (p == null) {
            return null;
        }
        for (Row r : p.rows()) {
            if (Arrays.equals(r.clustering().encoded(), clustering)) {
                return r;
            }
        }
        return null;
    }

    /**
     * A lightweight transaction: the row is read, the condition evaluated and the write applied under the
     * partition's compare-and-set lock in the engine (linearizable per partition). The result is
     * Cassandra's: {@code [applied]}, and when not applied the current values (the whole row for
     * IF NOT EXISTS, the conditioned columns otherwise).
     */
    private CompletionStage<Message> lightweightTransaction(String tenant, ModificationPlan mp, Bindings b,
            ExecutionContext ctx) {
        ReadQuery read = mp.conditionRead(tenant, b, ctx);
        TableMetadata t = mp.table();
        return engine.applyIf(read, current -> {
            PartitionData p = current.partitions().isEmpty() ? null : current.partitions().get(0);
            Row row = p == null || p.rows().isEmpty() ? null : p.rows().get(0);
            if (!conditionHolds(mp.condition(), row, p == null ? null : p.staticRow(), b, ctx)) {
                return null;
            }
            return List.of(mp.build(tenant, b, ctx, defaultTtl(t), p));
        }).thenApply(result -> {
            List<ColumnSpec> specs = new ArrayList<>();
            List<ByteBuffer> values = new ArrayList<>();
            specs.add(new ColumnSpec(t.keyspace(), t.name(), "[applied]", 0, NativeType.BOOLEAN.rawType()));
            values.add(ByteBuffer.wrap(io.strata.cql.types.Values.ofBoolean(result.applied())));
            PartitionData p = result.current().partitions().isEmpty() ? null : result.current().partitions().get(0);
            Row row = p == null || p.rows().isEmpty() ? null : p.rows().get(0);
            if (!result.applied() && row != null) {
                List<ColumnMetadata> shown = new ArrayList<>();
                if (mp.condition() instanceof LwtCondition.IfColumns cols) {
                    cols.conditions().forEach(c -> {
                        if (!shown.contains(c.column())) {
                            shown.add(c.column());
                        }
                    });
                } else {
                    shown.addAll(t.columns());
                }
                List<byte[]> pk = PartitionKeys.split(p.key().key(), t.partitionKey().size());
                for (ColumnMetadata c : shown) {
                    specs.add(new ColumnSpec(t.keyspace(), t.name(), c.name(), specs.size(), c.type().rawType()));
                }
                values.addAll(currentValues(t, shown, pk, p, row));
            }
            Queue<List<ByteBuffer>> rows = new ArrayDeque<>();
            rows.add(values);
            return (Message) new DefaultRows(new RowsMetadata(specs, null, null, null), rows);
        });
    }

    private static boolean conditionHolds(LwtCondition condition, Row row, Row staticRow, Bindings b, ExecutionContext ctx) {
        if (condition instanceof LwtCondition.IfNotExists) {
            return row == null;
        }
        if (condition instanceof LwtCondition.IfExists) {
            return row != null;
        }
        for (LwtCondition.ColumnCondition c : ((LwtCondition.IfColumns) condition).conditions()) {
            byte[] actual = c.actual(c.column().isStatic() ? staticRow : row, b, ctx);
            if (!LwtCondition.holds(c, actual, b, ctx)) {
                return false;
            }
        }
        return true;
    }

    // ---- analysis -------------------------------------------------------------------------------------

    record Analysis(Statement statement, String keyspace, TableMetadata table, Object plan, Variables variables,
            List<ColumnSpec> resultColumns, int[] partitionKeyIndexes) {}

    private Analysis analyze(ParsedStatement parsed, String keyspace, Schema schema) {
        return analyze(parsed, keyspace, schema, parsed.bindMarkers().size());
    }

    private Analysis analyze(ParsedStatement parsed, String keyspace, Schema schema, int markerCount) {
        Statement s = parsed.statement();
        if (s instanceof Select sel) {
            String ks = Ddl.resolveKeyspace(sel.table(), keyspace);
            if (SystemKeyspaces.isSystemKeyspace(ks)) {
                TableMetadata def = SystemKeyspaces.definition(ks, sel.table().name())
                        .orElseThrow(() -> CqlException.invalid("table " + sel.table().name() + " does not exist"));
                Variables vars = new Variables(markerCount, ks, def.name());
                VirtualSelect vs = VirtualSelect.analyze(sel, def, vars);
                return new Analysis(s, ks, def, vs, vars, vs.resultColumns(), null);
            }
            TableMetadata t = table(schema, sel.table(), keyspace);
            Variables vars = new Variables(markerCount, t.keyspace(), t.name());
            SelectPlan plan = SelectPlan.analyze(sel, t, vars);
            return new Analysis(s, ks, t, plan, vars, plan.resultColumns(), pkIndexes(plan.singlePartitionKey()));
        }
        if (s instanceof Insert || s instanceof Update || s instanceof Delete) {
            QualifiedName name = s instanceof Insert i ? i.table() : s instanceof Update u ? u.table() : ((Delete) s).table();
            String ks = Ddl.resolveKeyspace(name, keyspace);
            if (SystemKeyspaces.isSystemKeyspace(ks)) {
                throw CqlException.unauthorized("System keyspace " + ks + " is not modifiable");
            }
            TableMetadata t = table(schema, name, keyspace);
            Variables vars = new Variables(markerCount, t.keyspace(), t.name());
            ModificationPlan plan = s instanceof Insert i ? ModificationPlan.insert(i, t, vars)
                    : s instanceof Update u ? ModificationPlan.update(u, t, vars) : ModificationPlan.delete((Delete) s, t, vars);
            return new Analysis(s, ks, t, plan, vars, List.of(), pkIndexes(plan.partitionKeySources()));
        }
        if (s instanceof io.strata.cql.ast.Batch b) {
            Variables vars = new Variables(markerCount, keyspace, null);
            List<ModificationPlan> plans = new ArrayList<>();
            for (Statement child : b.statements()) {
                Analysis ca = analyzeChild(child, keyspace, schema, vars);
                plans.add((ModificationPlan) ca.plan());
            }
            ValueSource batchTimestamp = b.using() == null || b.using().timestamp() == null ? null
                    : vars.source(b.using().timestamp(), io.strata.cql.types.NativeType.BIGINT, "[timestamp]");
            BatchPlan plan = new BatchPlan(b, plans, b.using(), batchTimestamp);
            return new Analysis(s, keyspace, null, plan, vars, List.of(), null);
        }
        // DDL and USE carry no plan: they are executed from the statement itself.
        return new Analysis(s, keyspace, null, null, new Variables(markerCount, keyspace, null), List.of(), null);
    }

    private Analysis analyzeChild(Statement child, String keyspace, Schema schema, Variables vars) {
        QualifiedName name = child instanceof Insert i ? i.table() : child instanceof Update u ? u.table()
                : child instanceof Delete d ? d.table() : null;
        if (name == null) {
            throw CqlException.invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
        }
        TableMetadata t = table(schema, name, keyspace);
        ModificationPlan plan = child instanceof Insert i ? ModificationPlan.insert(i, t, vars)
                : child instanceof Update u ? ModificationPlan.update(u, t, vars) : ModificationPlan.delete((Delete) child, t, vars);
        return new Analysis(child, t.keyspace(), t, plan, vars, List.of(), null);
    }

    private static int[] pkIndexes(List<ValueSource> pk) {
        if (pk == null) {
            return null;
        }
        int[] idx = new int[pk.size()];
        for (int i = 0; i < idx.length; i++) {
            if (!(pk.get(i) instanceof ValueSource.Bind b)) {
                return null;
            }
            idx[i] = b.index();
        }
        return idx;
    }

    private static TableMetadata table(Schema schema, QualifiedName name, String sessionKeyspace) {
        String ks = Ddl.resolveKeyspace(name, sessionKeyspace);
        if (schema.keyspace(ks).isEmpty()) {
            throw CqlException.invalid("Keyspace " + ks + " does not exist");
        }
        return schema.table(ks, name.name())
                .orElseThrow(() -> CqlException.invalid("table " + name.name() + " does not exist"));
    }

    private static Bindings bind(Variables vars, QueryOptions options, int markerCount) {
        if (options.namedValues != null && !options.namedValues.isEmpty()) {
            List<ByteBuffer> positional = new ArrayList<>(markerCount);
            for (int i = 0; i < markerCount; i++) {
                positional.add(null);
            }
            for (Map.Entry<String, ByteBuffer> e : options.namedValues.entrySet()) {
                int idx = vars.indexOf(e.getKey());
                if (idx < 0) {
                    throw CqlException.invalid("Unknown identifier " + e.getKey());
                }
                positional.set(idx, e.getValue());
            }
            return Bindings.of(positional);
        }
        List<ByteBuffer> values = options.positionalValues == null ? List.of() : options.positionalValues;
        if (values.size() != markerCount) {
            throw CqlException.invalid("There were " + markerCount + " markers(?) in CQL but " + values.size()
                    + " bound variables");
        }
        return Bindings.of(values);
    }

    // ---- execution ------------------------------------------------------------------------------------

    private ExecutionContext context(long defaultTimestamp) {
        long ts = defaultTimestamp != QueryOptions.NO_DEFAULT_TIMESTAMP && defaultTimestamp != Long.MIN_VALUE
                ? defaultTimestamp : time.nextTimestampMicros();
        return new ExecutionContext(ts, time.nowMillis(), time);
    }

    private static int defaultTtl(TableMetadata t) {
        Object v = t.options().get("default_time_to_live");
        return v == null ? 0 : Integer.parseInt(String.valueOf(v));
    }

    /** Applies {@link ConsistencyPolicy} to a statement about to run (DDL and USE carry no plan and no check). */
    private static void checkConsistency(Object plan, int consistency, int serialConsistency) {
        if (plan instanceof ModificationPlan mp) {
            ConsistencyPolicy.checkWrite(consistency);
            if (mp.condition() != null) {
                ConsistencyPolicy.checkSerial(serialConsistency);
            }
        } else if (plan instanceof BatchPlan) {
            ConsistencyPolicy.checkWrite(consistency);
        } else if (plan != null) {
            ConsistencyPolicy.checkRead(consistency);
        }
    }

    private CompletionStage<Message> run(ClientState state, Analysis a, Bindings b, QueryOptions options,
            byte[] clientResultMetadataId) {
        String tenant = state.tenant().tenantId();
        Statement s = a.statement();
        ExecutionContext ctx = context(options.defaultTimestamp);
        checkConsistency(a.plan(), options.consistency, options.serialConsistency);
        if (a.plan() instanceof ModificationPlan mp) {
            if (mp.condition() != null) {
                return lightweightTransaction(tenant, mp, b, ctx);
            }
            return applyAll(tenant, List.of(mp), List.of(b), ctx);
        }
        if (a.plan() instanceof BatchPlan bp) {
            checkBatchSize(bp.statement().type() == io.strata.cql.ast.Batch.Type.UNLOGGED, bp.plans().size());
            checkCounterBatch(bp.statement().type() == io.strata.cql.ast.Batch.Type.COUNTER,
                    bp.statement().type() == io.strata.cql.ast.Batch.Type.LOGGED, bp.plans());
            List<Bindings> same = new ArrayList<>();
            for (int i = 0; i < bp.plans().size(); i++) {
                same.add(b);
            }
            ExecutionContext batchCtx = ctx;
            if (bp.timestamp() != null) {
                byte[] v = bp.timestamp().resolve(b, ctx);
                if (v != null && !Bindings.isUnset(v)) {
                    // USING TIMESTAMP of the batch is every statement's default timestamp.
                    batchCtx = new ExecutionContext(ByteBuffer.wrap(v).getLong(), ctx.nowMillis(), ctx.timeUuids());
                }
            }
            return applyAll(tenant, bp.plans(), same, batchCtx);
        }
        if (a.plan() instanceof SelectPlan sp) {
            return select(tenant, sp, b, ctx, options, a, clientResultMetadataId);
        }
        if (a.plan() instanceof VirtualSelect vs) {
            Schema schema = schemas.cached(tenant);
            VirtualTable vt = system.table(vs.table().keyspace(), vs.table().name(), schema).orElseThrow();
            return CompletableFuture.completedFuture(vs.execute(vt, b, ctx, options));
        }
        if (s instanceof io.strata.cql.ast.Describe d) {
            return schemas.schema(tenant).thenApply(schema ->
                    (Message) DescribeResult.describe(d, schema, a.keyspace(), system.clusterName()));
        }
        if (s instanceof Use u) {
            Schema schema = schemas.cached(tenant);
            if (schema.keyspace(u.keyspace()).isEmpty() && !SystemKeyspaces.isSystemKeyspace(u.keyspace())) {
                throw CqlException.invalid("Keyspace '" + u.keyspace() + "' does not exist");
            }
            state.keyspace(u.keyspace());
            return CompletableFuture.completedFuture(new SetKeyspace(u.keyspace()));
        }
        if (s instanceof CreateKeyspace ck) {
            return ddl(tenant, schema -> Ddl.createKeyspace(ck, schema));
        }
        if (s instanceof DropKeyspace dk) {
            return ddl(tenant, schema -> Ddl.dropKeyspace(dk, schema));
        }
        if (s instanceof io.strata.cql.ast.AlterKeyspace ak) {
            return ddl(tenant, schema -> Ddl.alterKeyspace(ak, schema));
        }
        if (s instanceof CreateTable ct) {
            String ks = Ddl.resolveKeyspace(ct.name(), a.keyspace());
            return ddl(tenant, schema -> Ddl.createTable(ct, ks, schema));
        }
        if (s instanceof DropTable dt) {
            String ks = Ddl.resolveKeyspace(dt.name(), a.keyspace());
            return ddl(tenant, schema -> Ddl.dropTable(dt, ks, schema));
        }
        if (s instanceof io.strata.cql.ast.CreateType ct) {
            String ks = Ddl.resolveKeyspace(ct.name(), a.keyspace());
            return ddl(tenant, schema -> Ddl.createType(ct, ks, schema));
        }
        if (s instanceof io.strata.cql.ast.DropType dt) {
            String ks = Ddl.resolveKeyspace(dt.name(), a.keyspace());
            return ddl(tenant, schema -> Ddl.dropType(dt, ks, schema));
        }
        if (s instanceof io.strata.cql.ast.AlterType at) {
            String ks = Ddl.resolveKeyspace(at.name(), a.keyspace());
            return ddl(tenant, schema -> Ddl.alterType(at, ks, schema));
        }
        if (s instanceof io.strata.cql.ast.AlterTable at) {
            String ks = Ddl.resolveKeyspace(at.name(), a.keyspace());
            long nowMicros = time.nextTimestampMicros();
            return ddl(tenant, schema -> Ddl.alterTable(at, ks, schema, nowMicros));
        }
        if (s instanceof Truncate tr) {
            TableMetadata t = table(schemas.cached(tenant), tr.name(), a.keyspace());
            return engine.truncate(t.tableId(tenant)).thenApply(v -> Void.INSTANCE);
        }
        throw CqlException.invalid(s.getClass().getSimpleName() + " statements are not supported yet");
    }

    private CompletionStage<Message> ddl(String tenant, java.util.function.Function<Schema, SchemaService.Change> decide) {
        return schemas.apply(tenant, decide).thenApply(applied -> {
            SchemaChangeEvent e = applied.event();
            if (e == null) {
                return Void.INSTANCE;
            }
            return new SchemaChange(e.changeType, e.target, e.keyspace, e.object, e.arguments);
        });
    }

    private CompletionStage<Message> select(String tenant, SelectPlan plan, Bindings b, ExecutionContext ctx,
            QueryOptions options, Analysis a, byte[] clientResultMetadataId) {
        int pageSize = options.pageSize > 0 ? options.pageSize : Integer.MAX_VALUE;
        PagingState ps = options.pagingState == null ? null : PagingState.deserialize(options.pagingState);
        int userLimit = SelectPlan.positiveInt(plan.limit, b, ctx, "limit");
        int perPartition = plan.distinct ? 1 : SelectPlan.positiveInt(plan.perPartitionLimit, b, ctx, "per partition limit");
        List<ColumnSpec> columns = a.resultColumns();
        boolean skipMetadata = options.skipMetadata && (clientResultMetadataId == null
                || Arrays.equals(clientResultMetadataId, resultMetadataId(columns)));
        Reader reader = new Reader(tenant, plan, b, ctx, perPartition);
        List<SelectPlan.BoundFilter> filters = plan.boundFilters(b, ctx);
        if (plan.aggregation != null) {
            Aggregation.Aggregator agg = plan.aggregation.start();
            return aggregate(reader, agg, filters, null).thenApply(v -> {
                Queue<List<ByteBuffer>> rows = new ArrayDeque<>();
                for (List<ByteBuffer> r : agg.finish()) {
                    if (rows.size() < userLimit) {
                        rows.add(r);
                    }
                }
                RowsMetadata md = skipMetadata ? new RowsMetadata(columns.size(), null, null, null)
                        : new RowsMetadata(columns, null, null, null);
                return (Message) new DefaultRows(md, plan.json ? json(plan, rows) : rows);
            });
        }
        int remaining = ps != null ? ps.remaining() : userLimit;
        int rowLimit = Math.min(pageSize, remaining);
        return reader.read(rowLimit, ps == null ? null : ps.position()).thenApply(result -> {
            Queue<List<ByteBuffer>> rows = new ArrayDeque<>();
            boolean[] full = {false};
            ReadQuery.Position last = collect(plan, result, filters, b, ctx, view -> rows.add(row(plan, view)),
                    MAX_PAGE_BYTES, full);
            int left = remaining == Integer.MAX_VALUE ? Integer.MAX_VALUE : remaining - rows.size();
            ByteBuffer paging = null;
            if ((!result.exhausted() || full[0]) && left > 0 && last != null) {
                paging = PagingState.atPosition(last, left).serialize();
            }
            RowsMetadata md = skipMetadata ? new RowsMetadata(columns.size(), paging, null, null)
                    : new RowsMetadata(columns, paging, null, null);
            return new DefaultRows(md, plan.json ? json(plan, rows) : rows);
        });
    }

    /** SELECT JSON: each row as one JSON object in a single text column. */
    private static Queue<List<ByteBuffer>> json(SelectPlan plan, Queue<List<ByteBuffer>> rows) {
        List<String> labels = plan.outputLabels();
        List<io.strata.cql.types.DataType> types = plan.outputTypes();
        Queue<List<ByteBuffer>> out = new ArrayDeque<>();
        for (List<ByteBuffer> r : rows) {
            List<ByteBuffer> one = new ArrayList<>(1);
            one.add(ByteBuffer.wrap(JsonCodec.row(labels, types, r).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            out.add(one);
        }
        return out;
    }

    /** Aggregation reads every matching row, in chunks, before answering. */
    private static final int AGGREGATION_CHUNK_ROWS = 5_000;

    private CompletionStage<java.lang.Void> aggregate(Reader reader, Aggregation.Aggregator agg,
            List<SelectPlan.BoundFilter> filters, ReadQuery.Position after) {
        return reader.read(AGGREGATION_CHUNK_ROWS, after).thenCompose(result -> {
            ReadQuery.Position last = collect(reader.plan, result, filters, reader.bindings, reader.ctx, agg::add,
                    Long.MAX_VALUE, new boolean[1]);
            if (result.exhausted() || last == null) {
                return CompletableFuture.completedFuture(null);
            }
            return aggregate(reader, agg, filters, last);
        });
    }

    /**
     * Reads a plan's rows: one storage read for a token range, or the IN partitions one after another in
     * token order, resuming after a position (paging).
     */
    private final class Reader {
        final SelectPlan plan;
        final Bindings bindings;
        final ExecutionContext ctx;
        private final String tenant;
        private final int perPartition;
        private final List<io.strata.storage.spi.Slice> slices;
        private final List<io.strata.storage.spi.PartitionKey> keys;

        Reader(String tenant, SelectPlan plan, Bindings b, ExecutionContext ctx, int perPartition) {
            this.tenant = tenant;
            this.plan = plan;
            this.bindings = b;
            this.ctx = ctx;
            this.perPartition = perPartition;
            this.slices = plan.slices(b, ctx);
            this.keys = plan.partitionKey == null ? null : plan.partitionKeys(b, ctx);
            // Keyspaces splits IN restrictions into single-row subqueries: partitions x clustering prefixes.
            int subqueries = (keys == null ? 1 : keys.size()) * Math.max(1, slices.size());
            if (keys != null && subqueries > SelectPlan.MAX_IN_SUBQUERIES) {
                throw CqlException.invalid("The IN restrictions of this query expand to " + subqueries
                        + " subqueries; at most " + SelectPlan.MAX_IN_SUBQUERIES + " are allowed");
            }
        }

        CompletionStage<ReadResult> read(int rowLimit, ReadQuery.Position resume) {
            if (keys == null) {
                return engine.read(query(plan.tokenRange(bindings, ctx), rowLimit, resume));
            }
            int idx = 0;
            if (resume != null) {
                while (idx < keys.size() && !Arrays.equals(keys.get(idx).key(), resume.key().key())) {
                    idx++;
                }
                if (idx == keys.size()) {
                    return CompletableFuture.completedFuture(new ReadResult(List.of(), true));
                }
                if (resume.clustering() == null) {
                    idx++;
                    resume = null;
                }
            }
            return readKeys(idx, resume, rowLimit, new ArrayList<>());
        }

        private CompletionStage<ReadResult> readKeys(int idx, ReadQuery.Position resume, int budget, List<PartitionData> acc) {
            if (idx >= keys.size()) {
                return CompletableFuture.completedFuture(new ReadResult(acc, true));
            }
            if (budget <= 0) {
                return CompletableFuture.completedFuture(new ReadResult(acc, false));
            }
            ReadQuery rq = query(new io.strata.storage.spi.PartitionSelection.Single(keys.get(idx)), budget, resume);
            return engine.read(rq).thenCompose(r -> {
                acc.addAll(r.partitions());
                if (!r.exhausted()) {
                    return CompletableFuture.completedFuture(new ReadResult(acc, false));
                }
                return readKeys(idx + 1, null, budget - r.rowCount(), acc);
            });
        }

        private ReadQuery query(io.strata.storage.spi.PartitionSelection partitions, int rowLimit, ReadQuery.Position resume) {
            return new ReadQuery(plan.table.tableId(tenant), partitions, slices, plan.reversed, plan.fetchedColumns, rowLimit,
                    perPartition, ctx.nowInSeconds(), resume);
        }
    }

    /**
     * As in Keyspaces, a page ends after 1 MB of rows read (filtered-out rows count; the columns the query
     * reads), whatever the page size.
     */
    static final long MAX_PAGE_BYTES = 1024 * 1024;

    /**
     * Feeds the rows that pass the filters to {@code sink}, stopping once {@code byteBudget} bytes of rows
     * were read ({@code full[0]} is then set); returns the position of the last row read (filtered or not),
     * for paging. DISTINCT positions are whole partitions.
     */
    private static ReadQuery.Position collect(SelectPlan plan, ReadResult result, List<SelectPlan.BoundFilter> filters,
            Bindings b, ExecutionContext ctx, java.util.function.Consumer<Selection.RowView> sink, long byteBudget,
            boolean[] full) {
        TableMetadata t = plan.table;
        ReadQuery.Position last = null;
        long bytes = 0;
        Map<String, Long> dropped = droppedColumns(t);
        int pkCount = t.partitionKey().size();
        for (PartitionData p : result.partitions()) {
            List<byte[]> pk = PartitionKeys.split(p.key().key(), pkCount);
            if (p.rows().isEmpty()) {
                if (p.staticRow() != null) {
                    Selection.RowView view = new Selection.RowView(p.key().key(), pk, null, withoutDropped(p.staticRow(), dropped),
                            null, b, ctx);
                    if (SelectPlan.accepts(filters, view)) {
                        sink.accept(view);
                    }
                    last = new ReadQuery.Position(p.key(), null);
                }
                continue;
            }
            for (Row r : p.rows()) {
                if (bytes >= byteBudget) {
                    full[0] = true;
                    return last;
                }
                bytes += rowBytes(r);
                List<byte[]> ck = t.clustering().isEmpty() ? List.of()
                        : io.strata.cql.types.ComparableEncoding.decode(t.clusteringTypes(), t.clusteringDescending(),
                                r.clustering().encoded());
                Selection.RowView view = new Selection.RowView(p.key().key(), pk, ck, withoutDropped(p.staticRow(), dropped),
                        withoutDropped(r, dropped), b, ctx);
                if (SelectPlan.accepts(filters, view)) {
                    sink.accept(view);
                }
                last = new ReadQuery.Position(p.key(), plan.distinct ? null : r.clustering());
            }
        }
        return last;
    }

    /** When columns were dropped (micros), by name; empty for most tables. */
    static Map<String, Long> droppedColumns(TableMetadata t) {
        Map<String, Long> out = null;
        for (Map.Entry<String, Object> o : t.options().entrySet()) {
            if (o.getKey().startsWith(Ddl.DROPPED_PREFIX)) {
                if (out == null) {
                    out = new java.util.HashMap<>();
                }
                out.put(o.getKey().substring(Ddl.DROPPED_PREFIX.length()), Long.parseLong(String.valueOf(o.getValue())));
            }
        }
        return out == null ? Map.of() : out;
    }

    /** The row without cells written before their column was dropped (a re-added column starts empty). */
    static Row withoutDropped(Row r, Map<String, Long> dropped) {
        if (r == null || dropped.isEmpty()) {
            return r;
        }
        List<io.strata.storage.spi.Cell> kept = new ArrayList<>(r.cells().size());
        boolean changed = false;
        for (io.strata.storage.spi.Cell c : r.cells()) {
            Long at = dropped.get(c.column());
            if (at != null && c.timestamp() <= at) {
                changed = true;
            } else {
                kept.add(c);
            }
        }
        return changed ? new Row(r.clustering(), r.liveness(), r.deletion(), r.complexDeletions(), kept) : r;
    }

    private static long rowBytes(Row r) {
        long n = r.clustering().encoded().length;
        for (io.strata.storage.spi.Cell c : r.cells()) {
            n += c.column().length() + (c.value() == null ? 0 : c.value().length) + (c.path() == null ? 0 : c.path().length);
        }
        return n;
    }

    private static List<ByteBuffer> row(SelectPlan plan, Selection.RowView view) {
        List<ByteBuffer> values = new ArrayList<>(plan.outputs.size());
        for (SelectPlan.Output o : plan.outputs) {
            byte[] v = o.expr().eval(view);
            values.add(v == null ? null : ByteBuffer.wrap(v));
        }
        return values;
    }

    static byte[] resultMetadataId(List<ColumnSpec> columns) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (ColumnSpec c : columns) {
                md5.update((c.ksName + "." + c.tableName + "." + c.name + ":" + c.type.id + ";")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return md5.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
