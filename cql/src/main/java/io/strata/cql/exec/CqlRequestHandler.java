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
        if (batch.type == ProtocolConstants.BatchType.COUNTER) {
            throw CqlException.invalid("Counter batches are not supported yet");
        }
        return schemas.schema(tenant).thenCompose(schema -> {
            ExecutionContext ctx = context(batch.defaultTimestamp);
            List<PartitionUpdate> updates = new ArrayList<>();
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
                updates.add(mp.build(tenant, b, ctx, defaultTtl(mp.table())));
            }
            return engine.apply(updates).thenApply(v -> (Message) Void.INSTANCE);
        });
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
            return new Analysis(s, ks, t, plan, vars, plan.resultColumns(), pkIndexes(plan.partitionKey));
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
            BatchPlan plan = new BatchPlan(b, plans, b.using());
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

    private CompletionStage<Message> run(ClientState state, Analysis a, Bindings b, QueryOptions options,
            byte[] clientResultMetadataId) {
        String tenant = state.tenant().tenantId();
        Statement s = a.statement();
        ExecutionContext ctx = context(options.defaultTimestamp);
        if (a.plan() instanceof ModificationPlan mp) {
            PartitionUpdate u = mp.build(tenant, b, ctx, defaultTtl(mp.table()));
            return engine.apply(List.of(u)).thenApply(v -> Void.INSTANCE);
        }
        if (a.plan() instanceof BatchPlan bp) {
            List<PartitionUpdate> updates = new ArrayList<>();
            for (ModificationPlan mp : bp.plans()) {
                updates.add(mp.build(tenant, b, ctx, defaultTtl(mp.table())));
            }
            return engine.apply(updates).thenApply(v -> Void.INSTANCE);
        }
        if (a.plan() instanceof SelectPlan sp) {
            return select(tenant, sp, b, ctx, options, a, clientResultMetadataId);
        }
        if (a.plan() instanceof VirtualSelect vs) {
            Schema schema = schemas.cached(tenant);
            VirtualTable vt = system.table(vs.table().keyspace(), vs.table().name(), schema).orElseThrow();
            return CompletableFuture.completedFuture(vs.execute(vt, b, ctx, options));
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
        if (s instanceof CreateTable ct) {
            String ks = Ddl.resolveKeyspace(ct.name(), a.keyspace());
            return ddl(tenant, schema -> Ddl.createTable(ct, ks, schema));
        }
        if (s instanceof DropTable dt) {
            String ks = Ddl.resolveKeyspace(dt.name(), a.keyspace());
            return ddl(tenant, schema -> Ddl.dropTable(dt, ks, schema));
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
        int perPartition = SelectPlan.positiveInt(plan.perPartitionLimit, b, ctx, "per partition limit");
        int remaining = ps != null ? ps.remaining() : userLimit;
        int rowLimit = Math.min(pageSize, remaining);
        ReadQuery rq = new ReadQuery(plan.table.tableId(tenant), plan.partitions(b, ctx), plan.slices(b, ctx), plan.reversed,
                plan.fetchedColumns, rowLimit, perPartition, ctx.nowInSeconds(), ps == null ? null : ps.position());
        List<ColumnSpec> columns = a.resultColumns();
        boolean skipMetadata = options.skipMetadata && (clientResultMetadataId == null
                || Arrays.equals(clientResultMetadataId, resultMetadataId(columns)));
        return engine.read(rq).thenApply(result -> {
            Queue<List<ByteBuffer>> rows = new ArrayDeque<>();
            ReadQuery.Position last = collect(plan, result, rows);
            int left = remaining == Integer.MAX_VALUE ? Integer.MAX_VALUE : remaining - rows.size();
            ByteBuffer paging = null;
            if (!result.exhausted() && left > 0 && last != null) {
                paging = PagingState.atPosition(last, left).serialize();
            }
            RowsMetadata md = skipMetadata ? new RowsMetadata(columns.size(), paging, null, null)
                    : new RowsMetadata(columns, paging, null, null);
            return new DefaultRows(md, rows);
        });
    }

    /** Turns reconciled partitions into result rows; returns the position of the last row, for paging. */
    private static ReadQuery.Position collect(SelectPlan plan, ReadResult result, Queue<List<ByteBuffer>> out) {
        TableMetadata t = plan.table;
        ReadQuery.Position last = null;
        int pkCount = t.partitionKey().size();
        for (PartitionData p : result.partitions()) {
            List<byte[]> pk = PartitionKeys.split(p.key().key(), pkCount);
            if (p.rows().isEmpty()) {
                if (p.staticRow() != null) {
                    out.add(row(plan, pk, null, p.staticRow(), null));
                    last = new ReadQuery.Position(p.key(), null);
                }
                continue;
            }
            for (Row r : p.rows()) {
                List<byte[]> ck = t.clustering().isEmpty() ? List.of()
                        : io.strata.cql.types.ComparableEncoding.decode(t.clusteringTypes(), t.clusteringDescending(),
                                r.clustering().encoded());
                out.add(row(plan, pk, ck, p.staticRow(), r));
                last = new ReadQuery.Position(p.key(), r.clustering());
            }
        }
        return last;
    }

    private static List<ByteBuffer> row(SelectPlan plan, List<byte[]> pk, List<byte[]> ck, Row staticRow, Row row) {
        List<ByteBuffer> values = new ArrayList<>(plan.outputs.size());
        for (SelectPlan.Output o : plan.outputs) {
            ColumnMetadata c = o.column();
            byte[] v = switch (c.kind()) {
                case PARTITION_KEY -> pk.get(c.position());
                case CLUSTERING -> ck == null || c.position() >= ck.size() ? null : ck.get(c.position());
                case STATIC -> cellValue(staticRow, c.name());
                case REGULAR -> cellValue(row, c.name());
            };
            values.add(v == null ? null : ByteBuffer.wrap(v));
        }
        return values;
    }

    private static byte[] cellValue(Row row, String column) {
        if (row == null) {
            return null;
        }
        for (io.strata.storage.spi.Cell cell : row.cells()) {
            if (cell.column().equals(column) && cell.path() == null) {
                return cell.value();
            }
        }
        return null;
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
