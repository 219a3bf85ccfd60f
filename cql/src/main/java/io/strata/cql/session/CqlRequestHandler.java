package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Batch;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.RowsMetadata;
import io.smallrye.mutiny.Uni;
import io.strata.cql.analyze.Analyzer;
import io.strata.cql.analyze.BatchAnalyzer;
import io.strata.cql.ast.ParsedStatement;
import io.strata.cql.exec.Executor;
import io.strata.cql.exec.PlanGuard;
import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.TimeUuids;
import io.strata.cql.parse.CqlParser;
import io.strata.cql.plan.Analyzed;
import io.strata.cql.plan.BatchPlan;
import io.strata.cql.plan.ConditionalPlan;
import io.strata.cql.plan.Plan;
import io.strata.cql.request.Consistency;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.PageRequest;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.Result;
import io.strata.cql.request.Trace;
import io.strata.cql.schema.Schema;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.system.NodeInfo;
import io.strata.cql.system.SystemKeyspaces;
import io.strata.storage.spi.StorageEngine;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The session step of the request path: takes QUERY, PREPARE, EXECUTE and BATCH messages of an
 * authenticated connection, parses and analyses statements against the tenant's schema (prepared
 * statements keep their analysis, cached per tenant), builds the {@link RequestContext}, runs the plan on
 * the {@link Executor}, and answers with the result, warnings and tracing id, or the CQL error. The only
 * class of the request path that sees protocol messages. Never blocks. Thread-safe.
 *
 * <p>Client-held state is checked here: paging states leave sealed with HMAC-SHA256 under the
 * {@link PagingKey}, bound to tenant and statement, and come back refused (PROTOCOL_ERROR) unless the seal
 * holds ({@link PagingStates}); prepared statements are cached within per-tenant byte budgets
 * ({@link PreparedCacheLimits}).
 */
public final class CqlRequestHandler implements RequestHandler {
    private final Executor executor;
    private final SchemaService schemas;
    private final PreparedStatements prepared;
    private final TraceStore traces;
    private final PagingStates paging;

    /**
     * A handler with the default prepared-statement budgets and a random paging key.
     *
     * @param maxPreparedStatements ignored: the cache's budgets are bytes ({@link PreparedCacheLimits#defaults()})
     * @deprecated the paging key is random per process, so paging states do not survive a restart or move
     *     between nodes; use {@link #CqlRequestHandler(Executor, SchemaService, TraceStore, PagingKey,
     *     PreparedCacheLimits)}
     */
    @Deprecated
    public CqlRequestHandler(Executor executor, SchemaService schemas, TraceStore traces, long maxPreparedStatements) {
        this(executor, schemas, traces, PagingKey.random(), PreparedCacheLimits.defaults());
    }

    /**
     * @param pagingKey the key paging states are sealed with; every node a client may reach needs the same
     * @param preparedLimits the prepared-statement cache's budgets
     */
    public CqlRequestHandler(Executor executor, SchemaService schemas, TraceStore traces, PagingKey pagingKey,
            PreparedCacheLimits preparedLimits) {
        this.executor = requireNonNull(executor, "executor is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.traces = requireNonNull(traces, "traces is null");
        this.paging = new PagingStates(requireNonNull(pagingKey, "pagingKey is null"));
        this.prepared = new PreparedStatements(requireNonNull(preparedLimits, "preparedLimits is null"));
    }

    /**
     * The whole request path over an engine: schema service, system tables with tracing, executor with the
     * given guards, and this session layer; default prepared-statement budgets and a random paging key.
     *
     * <p>The random key is right for one process only: a paging state is refused by any other process, and
     * by this one after a restart. Several gateway nodes behind one address need a shared, configured key:
     * use {@link #assemble(StorageEngine, SchemaService, Supplier, Clock, List, PagingKey, PreparedCacheLimits)}.
     *
     * @param node this node's facts (some known only once the server listens)
     * @param maxPreparedStatements ignored: the cache's budgets are bytes ({@link PreparedCacheLimits#defaults()})
     */
    public static CqlRequestHandler assemble(StorageEngine engine, SchemaService schemas, Supplier<NodeInfo> node,
            Clock clock, long maxPreparedStatements, List<PlanGuard> guards) {
        return assemble(engine, schemas, node, clock, guards, PagingKey.random(), PreparedCacheLimits.defaults());
    }

    /**
     * The whole request path over an engine: schema service, system tables with tracing, executor with the
     * given guards, and this session layer.
     *
     * @param node this node's facts (some known only once the server listens)
     * @param pagingKey the key paging states are sealed with (HMAC-SHA256); the same on every node a client
     *     may send a paging state to
     * @param preparedLimits the prepared-statement cache's byte budgets, per tenant and global
     */
    public static CqlRequestHandler assemble(StorageEngine engine, SchemaService schemas, Supplier<NodeInfo> node,
            Clock clock, List<PlanGuard> guards, PagingKey pagingKey, PreparedCacheLimits preparedLimits) {
        return assemble(engine, schemas, node, clock, guards, pagingKey, preparedLimits, java.time.Duration.ofHours(24));
    }

    /** As above; {@code capacitySwitchWait}: how long a table waits between switches back to on-demand capacity. */
    public static CqlRequestHandler assemble(StorageEngine engine, SchemaService schemas, Supplier<NodeInfo> node,
            Clock clock, List<PlanGuard> guards, PagingKey pagingKey, PreparedCacheLimits preparedLimits,
            java.time.Duration capacitySwitchWait) {
        TraceStore traces = new TraceStore(new TimeUuids(clock), node);
        SystemKeyspaces system = new SystemKeyspaces(node, traces);
        Executor executor = new Executor(engine, schemas, system, clock, guards, capacitySwitchWait);
        return new CqlRequestHandler(executor, schemas, traces, pagingKey, preparedLimits);
    }

    /** The prepared-statement cache, for tests of its budgets. */
    PreparedStatements preparedStatements() {
        return prepared;
    }

    @Override
    public Uni<Response> handle(ClientState state, Request request) {
        Message m = request.message();
        TraceStore.Recording trace = request.tracing()
                ? traces.start(state.tenant().tenantId(), state.client(), describe(m), parameters(m)) : null;
        Trace t = trace == null ? Trace.NONE : trace;
        RequestContext[] context = new RequestContext[1];
        Uni<Message> answer;
        try {
            if (m instanceof Query q) {
                answer = query(state, q, t, context);
            } else if (m instanceof Prepare p) {
                answer = prepare(state, p, t);
            } else if (m instanceof Execute e) {
                answer = execute(state, e, t, context);
            } else if (m instanceof Batch b) {
                answer = batch(state, b, t, context);
            } else {
                answer = Uni.createFrom().item(new Error(ProtocolConstants.ErrorCode.PROTOCOL_ERROR,
                        "Unexpected message " + m.getClass().getSimpleName()));
            }
        } catch (Throwable e) {
            answer = Uni.createFrom().failure(e);
        }
        return answer.onFailure().recoverWithItem(WireMessages::error).map(message -> {
            if (trace != null) {
                trace.event("Request complete");
                trace.finish();
            }
            List<String> warnings = context[0] == null ? List.of() : context[0].warnings().all();
            return new Response(message, trace == null ? null : trace.sessionId, warnings,
                    context[0] == null ? Map.of() : ConsumedCapacity.payload(context[0]));
        });
    }

    private static String describe(Message m) {
        return m instanceof Prepare ? "Preparing CQL3 query" : m instanceof Batch ? "Execute batch of CQL3 queries"
                : "Execute CQL3 query";
    }

    /** The parameters Cassandra records with a trace session. */
    private static Map<String, String> parameters(Message m) {
        Map<String, String> p = new LinkedHashMap<>();
        QueryOptions options = m instanceof Query q ? q.options : m instanceof Execute e ? e.options : null;
        if (m instanceof Query q) {
            p.put("query", q.query);
        } else if (m instanceof Prepare pr) {
            p.put("query", pr.cqlQuery);
        }
        if (options != null) {
            p.put("consistency_level", Consistency.of(options.consistency).name());
            p.put("serial_consistency_level", Consistency.of(options.serialConsistency).name());
            if (options.pageSize > 0) {
                p.put("page_size", Integer.toString(options.pageSize));
            }
        } else if (m instanceof Batch b) {
            p.put("consistency_level", Consistency.of(b.consistency).name());
        }
        return p;
    }

    private Uni<Message> query(ClientState state, Query q, Trace trace, RequestContext[] context) {
        if (trace.enabled()) {
            trace.event("Parsing " + q.query);
        }
        ParsedStatement parsed = CqlParser.parse(q.query);
        String keyspace = q.options.keyspace != null ? q.options.keyspace : state.keyspace();
        return withSchema(state, schema -> {
            trace.event("Preparing statement");
            Analyzed a = Analyzer.analyze(parsed, keyspace, schema);
            Bindings b = bind(a, q.options);
            Supplier<byte[]> scope = () -> PagingStates.scope(keyspace, q.query);
            RequestContext rc = context(state, keyspace, q.options, trace, scope);
            context[0] = rc;
            return run(state, rc, a.plan(), b, q.options, null, null, scope);
        });
    }

    private Uni<Message> prepare(ClientState state, Prepare p, Trace trace) {
        String keyspace = p.keyspace != null ? p.keyspace : state.keyspace();
        byte[] id = PreparedStatements.id(keyspace, p.cqlQuery);
        String tenant = state.tenant().tenantId();
        return withSchema(state, schema -> {
            // as Cassandra does, a statement prepared before (every connection of a driver prepares it) is answered
            // from the cache while its table is unchanged
            Prepared known = prepared.get(tenant, id);
            if (known != null && known.query().equals(p.cqlQuery) && Objects.equals(known.keyspace(), keyspace)
                    && isCurrent(known, schema)) {
                trace.event("Statement found in the prepared statement cache");
                return Uni.createFrom().item(known.message());
            }
            long weight = prepared.weigh(p.cqlQuery);
            if (trace.enabled()) {
                trace.event("Parsing " + p.cqlQuery);
            }
            ParsedStatement parsed = CqlParser.parse(p.cqlQuery);
            trace.event("Preparing statement");
            Analyzed a = Analyzer.analyze(parsed, keyspace, schema);
            RowsMetadata variables = new RowsMetadata(WireMessages.specs(a.variables()), null, a.partitionKeyIndexes(), null);
            Prepared made = new Prepared(id, p.cqlQuery, keyspace, parsed, a, variables, WireColumns.of(a.resultColumns()),
                    PagingStates.scope(keyspace, p.cqlQuery), weight);
            prepared.put(tenant, made);
            return Uni.createFrom().item(made.message());
        });
    }

    private Uni<Message> execute(ClientState state, Execute e, Trace trace, RequestContext[] context) {
        Prepared p = lookup(state, e.queryId);
        return withSchema(state, schema -> {
            Analyzed a = current(state, p, schema);
            Bindings b = bind(a, e.options);
            RequestContext rc = context(state, p.keyspace(), e.options, trace, p::scope);
            context[0] = rc;
            return run(state, rc, a.plan(), b, e.options, e.resultMetadataId, p.result(), p::scope);
        });
    }

    private Uni<Message> batch(ClientState state, Batch batch, Trace trace, RequestContext[] context) {
        String keyspace = batch.keyspace != null ? batch.keyspace : state.keyspace();
        BatchPlan.Type type = switch (batch.type) {
            case ProtocolConstants.BatchType.UNLOGGED -> BatchPlan.Type.UNLOGGED;
            case ProtocolConstants.BatchType.COUNTER -> BatchPlan.Type.COUNTER;
            default -> BatchPlan.Type.LOGGED;
        };
        BatchAnalyzer.checkSize(type, batch.queriesOrIds.size());
        return withSchema(state, schema -> {
            List<ConditionalPlan.Statement> children = new ArrayList<>();
            List<Bindings> bindings = new ArrayList<>();
            for (int i = 0; i < batch.queriesOrIds.size(); i++) {
                Object queryOrId = batch.queriesOrIds.get(i);
                Analyzed a;
                if (queryOrId instanceof String text) {
                    if (trace.enabled()) {
                        trace.event("Parsing " + text);
                    }
                    a = Analyzer.analyze(CqlParser.parse(text), keyspace, schema);
                } else {
                    a = current(state, lookup(state, (byte[]) queryOrId), schema);
                }
                if (a.modification() == null) {
                    throw CqlException.invalid("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are "
                            + "allowed.");
                }
                Bindings b = WireMessages.bindings(batch.values.get(i));
                if (b.size() != a.variables().size()) {
                    throw CqlException.invalid("There were " + a.variables().size() + " markers(?) in CQL but " + b.size()
                            + " bound variables");
                }
                children.add(a.modification());
                bindings.add(b);
            }
            Plan plan = BatchAnalyzer.plan(type, children, null);
            RequestContext rc = new RequestContext(state.tenant(), keyspace, Consistency.of(batch.consistency),
                    Consistency.of(batch.serialConsistency), batch.defaultTimestamp != QueryOptions.NO_DEFAULT_TIMESTAMP
                            && batch.defaultTimestamp != Long.MIN_VALUE ? batch.defaultTimestamp : RequestContext.NO_TIMESTAMP,
                    PageRequest.NONE, trace).client(state.client());
            context[0] = rc;
            return executor.executeBatch(rc, plan, bindings).map(r -> WireMessages.result(r, false, null, null));
        });
    }

    /** Runs a statement; a page's paging state leaves sealed to the tenant and {@code scope}. */
    private Uni<Message> run(ClientState state, RequestContext rc, Plan plan, Bindings b, QueryOptions options,
            byte[] clientMetadataId, WireColumns known, Supplier<byte[]> scope) {
        return executor.execute(rc, plan, b).map(result -> {
            if (result instanceof Result.SetKeyspace sk) {
                state.keyspace(sk.keyspace());
            }
            if (result instanceof Result.Rows rows && rows.pagingState() != null) {
                result = new Result.Rows(rows.columns(), rows.rows(),
                        paging.seal(rc.tenant(), scope.get(), rows.pagingState()));
            }
            return WireMessages.result(result, options.skipMetadata, clientMetadataId, known);
        });
    }

    /** The request's context; a paging state the client sent is opened (checked) against tenant and {@code scope}. */
    private RequestContext context(ClientState state, String keyspace, QueryOptions options, Trace trace,
            Supplier<byte[]> scope) {
        byte[] paging = null;
        if (options.pagingState != null) {
            paging = this.paging.open(state.tenant().tenantId(), scope.get(), options.pagingState);
        }
        return new RequestContext(state.tenant(), keyspace, Consistency.of(options.consistency),
                Consistency.of(options.serialConsistency),
                WireMessages.hasDefaultTimestamp(options) ? options.defaultTimestamp : RequestContext.NO_TIMESTAMP,
                new PageRequest(options.pageSize, paging), trace).client(state.client());
    }

    /** Continues with the tenant's schema: at once when it is loaded (every request but a tenant's first). */
    private <T> Uni<T> withSchema(ClientState state, Function<Schema, Uni<T>> next) {
        Schema loaded = schemas.cached(state.tenant().tenantId());
        if (loaded != null) {
            return next.apply(loaded);
        }
        return Uni.createFrom().completionStage(() -> schemas.schema(state.tenant().tenantId())).chain(s -> next.apply(s));
    }

    private Prepared lookup(ClientState state, byte[] id) {
        Prepared p = prepared.get(state.tenant().tenantId(), id);
        if (p == null) {
            throw new CqlException.Unprepared(id);
        }
        return p;
    }

    /** A prepared statement stays valid while its table is unchanged; otherwise UNPREPARED makes the driver re-prepare. */
    private Analyzed current(ClientState state, Prepared p, Schema schema) {
        if (!isCurrent(p, schema)) {
            prepared.invalidate(state.tenant().tenantId(), p.id());
            throw new CqlException.Unprepared(p.id());
        }
        return p.analyzed();
    }

    private static boolean isCurrent(Prepared p, Schema schema) {
        TableMetadata then = p.analyzed().table();
        return then == null || SystemKeyspaces.isSystemKeyspace(then.keyspace())
                || schema.table(then.keyspace(), then.name()).orElse(null) == then;
    }

    /** Matches bound values (positional or named) to the statement's variables. */
    private static Bindings bind(Analyzed a, QueryOptions options) {
        int markers = a.variables().size();
        if (options.namedValues != null && !options.namedValues.isEmpty()) {
            List<ByteBuffer> positional = new ArrayList<>(markers);
            for (int i = 0; i < markers; i++) {
                positional.add(null);
            }
            for (Map.Entry<String, ByteBuffer> e : options.namedValues.entrySet()) {
                int idx = a.indexOf(e.getKey());
                if (idx < 0) {
                    throw CqlException.invalid("Unknown identifier " + e.getKey());
                }
                positional.set(idx, e.getValue());
            }
            return WireMessages.bindings(positional);
        }
        List<ByteBuffer> values = options.positionalValues == null ? List.of() : options.positionalValues;
        if (values.size() != markers) {
            throw CqlException.invalid("There were " + markers + " markers(?) in CQL but " + values.size()
                    + " bound variables");
        }
        return WireMessages.bindings(values);
    }
}
