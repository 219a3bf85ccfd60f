package io.strata.cql.exec;

import static java.util.Objects.requireNonNull;

import io.smallrye.mutiny.Uni;
import io.strata.cql.capacity.Metering;
import io.strata.cql.expr.Bindings;
import io.strata.cql.expr.EvalContext;
import io.strata.cql.expr.JsonCodec;
import io.strata.cql.expr.PartitionKeys;
import io.strata.cql.expr.RowView;
import io.strata.cql.expr.ValueSource;
import io.strata.cql.plan.Restrictions.PartitionRestriction;
import io.strata.cql.plan.SelectPlan;
import io.strata.cql.request.CqlException;
import io.strata.cql.request.RequestContext;
import io.strata.cql.request.Result;
import io.strata.cql.schema.DroppedColumn;
import io.strata.cql.schema.TableMetadata;
import io.strata.cql.types.ComparableEncoding;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.StorageEngine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Runs SELECT plans on stored tables: reads the partitions the restrictions name (keys in token order, a
 * token range, or all), filters rows, evaluates the selection, and pages. A page ends after the page size
 * in rows (groups with GROUP BY) or after 1 MB of rows read, as in Keyspaces; the paging state resumes
 * after the last row read. Partitions holding only static data count as one row in whole-partition
 * queries, as in Cassandra. Aggregates without GROUP BY read everything and answer one row. Thread-safe.
 */
final class ReadExecutor {
    /** As in Keyspaces, a page ends after 1 MB of rows read (filtered-out rows count), whatever the page size. */
    static final long MAX_PAGE_BYTES = 1024 * 1024;
    /** Aggregation reads its rows in chunks of this many. */
    static final int CHUNK_ROWS = 5_000;

    private final StorageEngine engine;

    ReadExecutor(StorageEngine engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    Uni<Result> select(RequestContext rc, SelectPlan plan, Bindings b, EvalContext ctx) {
        int userLimit = positiveInt(plan.limit(), b, ctx, "limit");
        int perPartition = positiveInt(plan.perPartitionLimit(), b, ctx, "per partition limit");
        PagingState ps = rc.page().pagingState() == null ? null : PagingState.deserialize(rc.page().pagingState());
        boolean grouped = plan.aggregation() != null && plan.aggregation().grouped();
        RowFilter filter = RowFilter.bind(plan.where().filters(), b, ctx);
        Reader reader = new Reader(rc, plan, b, ctx, plan.distinct() ? 1 : grouped ? Integer.MAX_VALUE : perPartition);
        if (plan.aggregation() != null && !(plan.where().partition() instanceof PartitionRestriction.Keys)) {
            rc.warnings().add("Aggregation query used without partition key");
        }
        if (plan.aggregation() != null && !grouped) {
            Aggregator agg = new Aggregator(plan.aggregation(), plan.outputs(), Integer.MAX_VALUE, null, 0);
            return aggregate(reader, agg, filter, null).map(v -> {
                List<List<ByteBuffer>> rows = agg.finish(new RowView(null, null, null, null, null, b, ctx));
                return rows(plan, rows.size() > userLimit ? rows.subList(0, userLimit) : rows, null);
            });
        }
        int remaining = ps != null ? ps.remaining() : userLimit;
        int pageSize = rc.page().rowsPerPage();
        if (grouped) {
            return groups(reader, plan, filter, ps, Math.min(pageSize, remaining), remaining, perPartition);
        }
        if (plan.ordered() && reader.keys != null && reader.keys.size() > 1) {
            if (pageSize != Integer.MAX_VALUE) {
                throw CqlException.invalid("Cannot page queries with both ORDER BY and a IN restriction on the partition key;"
                        + " you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query");
            }
            return merged(reader, plan, filter, userLimit);
        }
        int rowLimit = Math.min(pageSize, remaining);
        return reader.read(rowLimit, ps == null ? null : ps.position()).map(result -> {
            List<List<ByteBuffer>> rows = new ArrayList<>();
            boolean[] full = {false};
            ReadQuery.Position last = collect(reader, result, filter, view -> {
                rows.add(row(plan, view));
                return true;
            }, MAX_PAGE_BYTES, full);
            int left = remaining == Integer.MAX_VALUE ? Integer.MAX_VALUE : remaining - rows.size();
            byte[] paging = null;
            if ((!result.exhausted() || full[0]) && left > 0 && last != null) {
                paging = PagingState.atPosition(last, left).serialize();
            }
            return rows(plan, rows, paging);
        });
    }

    /**
     * ORDER BY with IN on the partition key, without paging (as Cassandra allows it): every partition's rows,
     * merged in the requested clustering order, then LIMIT.
     */
    private Uni<Result> merged(Reader reader, SelectPlan plan, RowFilter filter, int userLimit) {
        return reader.read(Integer.MAX_VALUE, null).map(result -> {
            List<Map.Entry<byte[], List<ByteBuffer>>> rows = new ArrayList<>();
            collect(reader, result, filter, view -> {
                byte[] ck = view.ck() == null ? new byte[0] : KeyResolver.encode(plan.table(), view.ck());
                rows.add(Map.entry(ck, row(plan, view)));
                return true;
            }, Long.MAX_VALUE, new boolean[1]);
            java.util.Comparator<Map.Entry<byte[], List<ByteBuffer>>> order = (a, b) -> Arrays.compareUnsigned(a.getKey(),
                    b.getKey());
            rows.sort(plan.reversed() ? order.reversed() : order);
            List<List<ByteBuffer>> out = new ArrayList<>();
            for (int i = 0; i < rows.size() && i < userLimit; i++) {
                out.add(rows.get(i).getValue());
            }
            return rows(plan, out, null);
        });
    }

    private static Result rows(SelectPlan plan, List<List<ByteBuffer>> rows, byte[] paging) {
        return new Result.Rows(plan.resultColumns(), plan.json() ? json(plan, rows) : rows, paging);
    }

    /** SELECT JSON: each row as one JSON object in a single text column. */
    private static List<List<ByteBuffer>> json(SelectPlan plan, List<List<ByteBuffer>> rows) {
        List<String> labels = plan.outputs().stream().map(SelectPlan.Output::label).toList();
        List<io.strata.cql.types.DataType> types = plan.outputs().stream().map(o -> o.expr().type()).toList();
        List<List<ByteBuffer>> out = new ArrayList<>(rows.size());
        for (List<ByteBuffer> r : rows) {
            List<ByteBuffer> one = new ArrayList<>(1);
            one.add(ByteBuffer.wrap(JsonCodec.row(labels, types, r).getBytes(StandardCharsets.UTF_8)));
            out.add(one);
        }
        return out;
    }

    private Uni<Void> aggregate(Reader reader, Aggregator agg, RowFilter filter, ReadQuery.Position after) {
        return reader.read(CHUNK_ROWS, after).chain(result -> {
            ReadQuery.Position last = collect(reader, result, filter, view -> {
                agg.add(view);
                return true;
            }, Long.MAX_VALUE, new boolean[1]);
            if (result.exhausted() || last == null) {
                return Uni.createFrom().voidItem();
            }
            return aggregate(reader, agg, filter, last);
        });
    }

    /**
     * GROUP BY, paged by groups as Cassandra pages it: a page holds up to {@code pageGroups} complete groups
     * and resumes after the last row of its last group; LIMIT and PER PARTITION LIMIT count groups.
     */
    private Uni<Result> groups(Reader reader, SelectPlan plan, RowFilter filter, PagingState ps, int pageGroups,
            int remaining, int perPartition) {
        byte[] resumePartition = ps == null || ps.position() == null ? null : ps.position().key().key();
        Aggregator agg = new Aggregator(plan.aggregation(), plan.outputs(), perPartition, resumePartition,
                ps == null ? 0 : ps.partitionGroups());
        GroupPage page = new GroupPage(agg, pageGroups);
        return groupChunk(reader, filter, page, ps == null ? null : ps.position()).map(exhausted -> {
            List<List<ByteBuffer>> rows;
            byte[] paging = null;
            if (exhausted) {
                rows = agg.finish(null);
            } else {
                rows = agg.finish(null);
                int left = remaining == Integer.MAX_VALUE ? Integer.MAX_VALUE : remaining - rows.size();
                if (left > 0 && page.lastOfGroup != null) {
                    paging = PagingState.atGroup(page.lastOfGroup, left, page.partitionGroups).serialize();
                }
            }
            if (rows.size() > pageGroups) {
                rows = rows.subList(0, pageGroups);
            }
            return rows(plan, rows, paging);
        });
    }

    /** Where a page of groups stopped. */
    private static final class GroupPage {
        final Aggregator agg;
        final int groups;
        ReadQuery.Position lastOfGroup;
        ReadQuery.Position lastRead;
        int partitionGroups;
        boolean stopped;

        GroupPage(Aggregator agg, int groups) {
            this.agg = agg;
            this.groups = groups;
        }

        /** Adds a row unless it opens a group past the page; returns false to stop. */
        boolean offer(RowView view, ReadQuery.Position at) {
            if (agg.startsGroup(view) && agg.hasOpenGroup() && agg.completed() + 1 >= groups) {
                stopped = true;
                lastOfGroup = lastRead;
                partitionGroups = agg.groupsInCurrentPartition();
                return false;
            }
            agg.add(view);
            lastRead = at;
            return true;
        }
    }

    /** Reads chunks until the page is full or the data ends; the stage's value tells whether it ended. */
    private Uni<Boolean> groupChunk(Reader reader, RowFilter filter, GroupPage page, ReadQuery.Position after) {
        return reader.read(CHUNK_ROWS, after).chain(result -> {
            ReadQuery.Position last = collectPositions(reader, result, filter, page);
            if (page.stopped) {
                return Uni.createFrom().item(false);
            }
            if (result.exhausted() || last == null) {
                return Uni.createFrom().item(true);
            }
            return groupChunk(reader, filter, page, last);
        });
    }

    private static ReadQuery.Position collectPositions(Reader reader, ReadResult result, RowFilter filter, GroupPage page) {
        ReadQuery.Position[] at = new ReadQuery.Position[1];
        return collect(reader, result, filter, new PositionedSink() {
            @Override
            public boolean test(RowView view) {
                return page.offer(view, at[0]);
            }

            @Override
            public void position(ReadQuery.Position p) {
                at[0] = p;
            }
        }, Long.MAX_VALUE, new boolean[1]);
    }

    /** A row consumer that also learns each row's position before the row (group paging needs it). */
    private interface PositionedSink extends Predicate<RowView> {
        void position(ReadQuery.Position p);
    }

    /**
     * Reads a plan's rows: one storage read for a token range or scan, or the IN partitions one after another
     * in token order, resuming after a position (paging).
     */
    private final class Reader {
        final SelectPlan plan;
        final Bindings bindings;
        final EvalContext ctx;
        final RequestContext rc;
        private final int perPartition;
        private final List<Slice> slices;
        final List<PartitionKey> keys;
        private final Set<String> fetched;

        Reader(RequestContext rc, SelectPlan plan, Bindings b, EvalContext ctx, int perPartition) {
            this.rc = rc;
            this.plan = plan;
            this.bindings = b;
            this.ctx = ctx;
            this.perPartition = perPartition;
            TableMetadata t = plan.table();
            this.slices = KeyResolver.slices(t, plan.where().clustering(), b, ctx);
            this.keys = plan.where().partition() instanceof PartitionRestriction.Keys k
                    ? KeyResolver.partitionKeys(t, k, b, ctx) : null;
            // Keyspaces splits IN restrictions into single-row subqueries: partitions x clustering prefixes.
            int subqueries = (keys == null ? 1 : keys.size()) * Math.max(1, slices.size());
            if (keys != null && subqueries > KeyResolver.MAX_IN_SUBQUERIES) {
                throw KeyResolver.tooManySubqueries(subqueries);
            }
            this.fetched = plan.fetched();
        }

        Uni<ReadResult> read(int rowLimit, ReadQuery.Position resume) {
            if (keys == null) {
                PartitionSelection range = KeyResolver.tokenRange(plan.where().partition()
                        instanceof PartitionRestriction.TokenRange tr ? tr : null, bindings, ctx);
                return storage(query(range, rowLimit, resume));
            }
            int idx = 0;
            if (resume != null) {
                while (idx < keys.size() && !Arrays.equals(keys.get(idx).key(), resume.key().key())) {
                    idx++;
                }
                if (idx == keys.size()) {
                    return Uni.createFrom().item(new ReadResult(List.of(), true));
                }
                if (resume.clustering() == null) {
                    idx++;
                    resume = null;
                }
            }
            return readKeys(idx, resume, rowLimit, new ArrayList<>());
        }

        private Uni<ReadResult> readKeys(int idx, ReadQuery.Position resume, int budget, List<PartitionData> acc) {
            if (idx >= keys.size()) {
                return Uni.createFrom().item(new ReadResult(acc, true));
            }
            if (budget <= 0) {
                return Uni.createFrom().item(new ReadResult(acc, false));
            }
            ReadQuery rq = query(new PartitionSelection.Single(keys.get(idx)), budget, resume);
            return storage(rq).chain(r -> {
                acc.addAll(r.partitions());
                if (!r.exhausted()) {
                    return Uni.createFrom().item(new ReadResult(acc, false));
                }
                return readKeys(idx + 1, null, budget - r.rowCount(), acc);
            });
        }

        private Uni<ReadResult> storage(ReadQuery q) {
            if (q.partitions() instanceof PartitionSelection.Single single) {
                try {
                    rc.gate().admit(q.table(), single.key().token(), false);
                } catch (RuntimeException refused) {
                    return Uni.createFrom().failure(refused);
                }
            }
            if (rc.trace().enabled()) {
                rc.trace().event("Reading " + describe(q) + " of " + plan.table() + " (at most " + q.rowLimit() + " rows)");
            }
            return Uni.createFrom().completionStage(() -> engine.read(q)).invoke(r -> {
                if (rc.trace().enabled()) {
                    rc.trace().event("Read " + r.rowCount() + " rows in " + r.partitions().size() + " partitions from storage");
                }
            });
        }

        private String describe(ReadQuery q) {
            return q.partitions() instanceof PartitionSelection.Single ? "one partition" : "a token range";
        }

        private ReadQuery query(PartitionSelection partitions, int rowLimit, ReadQuery.Position resume) {
            return new ReadQuery(plan.table().tableId(rc.tenant()), partitions, slices, plan.reversed(), fetched, rowLimit,
                    perPartition, ctx.nowInSeconds(), resume);
        }
    }

    /**
     * Feeds the rows that pass the filter to {@code sink}, stopping once {@code byteBudget} bytes of rows were
     * read ({@code full[0]} is then set) or the sink declines a row; returns the position of the last row
     * consumed (filtered or not), for paging. DISTINCT positions are whole partitions.
     */
    private static ReadQuery.Position collect(Reader reader, ReadResult result, RowFilter filter, Predicate<RowView> sink,
            long byteBudget, boolean[] full) {
        SelectPlan plan = reader.plan;
        TableMetadata t = plan.table();
        ReadQuery.Position last = null;
        long bytes = 0;
        long rowsRead = 0;
        Map<String, DroppedColumn> dropped = t.dropped();
        int pkCount = t.partitionKey().size();
        PositionedSink positioned = sink instanceof PositionedSink p ? p : null;
        reader.rc.usage().meteredRead(); // a read of a user table costs its minimum even when it finds nothing
        // Keyspaces' encoded size of what was read from the current partition, reported once per partition
        PartitionKey metering = null;
        long encoded = 0;
        try {
            for (PartitionData p : result.partitions()) {
                if (encoded > 0) {
                    reader.rc.usage().rowRead(metering.token(), encoded);
                }
                metering = p.key();
                encoded = 0;
                List<byte[]> pk = PartitionKeys.split(p.key().key(), pkCount);
                Row staticRow = withoutDropped(p.staticRow(), dropped);
                boolean staticUnread = staticRow != null && !staticRow.cells().isEmpty();
                if (p.rows().isEmpty()) {
                    if (staticUnread) {
                        encoded += Metering.size(t, pk, List.of(), staticRow);
                    }
                    if (staticRow != null && !staticRow.cells().isEmpty() && plan.wholePartitions()) {
                        RowView view = new RowView(p.key().key(), pk, null, staticRow, null, reader.bindings, reader.ctx);
                        ReadQuery.Position at = new ReadQuery.Position(p.key(), null);
                        if (positioned != null) {
                            positioned.position(at);
                        }
                        rowsRead++;
                        if (filter.accepts(view) && !sink.test(view)) {
                            return last;
                        }
                        last = at;
                    }
                    continue;
                }
                for (Row r : p.rows()) {
                    if (bytes >= byteBudget) {
                        full[0] = true;
                        return last;
                    }
                    bytes += rowBytes(r);
                    rowsRead++;
                    List<byte[]> ck = t.clustering().isEmpty() ? List.of()
                            : ComparableEncoding.decode(t.clusteringTypes(), t.clusteringDescending(), r.clustering().encoded());
                    if (staticUnread) { // the static row is read with the partition's first row
                        encoded += Metering.size(t, pk, List.of(), staticRow);
                        staticUnread = false;
                    }
                    encoded += Metering.size(t, pk, ck, r); // read, whether the filter keeps it or not
                    RowView view = new RowView(p.key().key(), pk, ck, staticRow, withoutDropped(r, dropped), reader.bindings,
                            reader.ctx);
                    ReadQuery.Position at = new ReadQuery.Position(p.key(), plan.distinct() ? null : r.clustering());
                    if (positioned != null) {
                        positioned.position(at);
                    }
                    if (filter.accepts(view) && !sink.test(view)) {
                        return last;
                    }
                    last = at;
                }
            }
            return last;
        } finally {
            reader.rc.usage().read(rowsRead, bytes);
            if (encoded > 0) {
                reader.rc.usage().rowRead(metering.token(), encoded);
            }
        }
    }

    /** The row without cells written before their column was dropped (a re-added column starts empty). */
    private static Row withoutDropped(Row r, Map<String, DroppedColumn> dropped) {
        if (r == null || dropped.isEmpty()) {
            return r;
        }
        List<Cell> kept = new ArrayList<>(r.cells().size());
        boolean changed = false;
        for (Cell c : r.cells()) {
            DroppedColumn d = dropped.get(c.column());
            if (d != null && c.timestamp() <= d.droppedAtMicros()) {
                changed = true;
            } else {
                kept.add(c);
            }
        }
        return changed ? new Row(r.clustering(), r.liveness(), r.deletion(), r.complexDeletions(), kept) : r;
    }

    static long rowBytes(Row r) {
        long n = r.clustering().encoded().length;
        for (Cell c : r.cells()) {
            n += c.column().length() + (c.value() == null ? 0 : c.value().length) + (c.path() == null ? 0 : c.path().length);
        }
        return n;
    }

    private static List<ByteBuffer> row(SelectPlan plan, RowView view) {
        List<ByteBuffer> values = new ArrayList<>(plan.outputs().size());
        for (SelectPlan.Output o : plan.outputs()) {
            byte[] v = o.expr().eval(view);
            values.add(v == null ? null : ByteBuffer.wrap(v));
        }
        return values;
    }

    static int positiveInt(ValueSource s, Bindings bind, EvalContext ctx, String what) {
        if (s == null) {
            return Integer.MAX_VALUE;
        }
        byte[] v = s.resolve(bind, ctx);
        if (Bindings.isUnset(v)) {
            return Integer.MAX_VALUE; // as Cassandra: an unset LIMIT means no limit
        }
        if (v == null) {
            throw CqlException.invalid("Invalid null value of " + what);
        }
        int n = ByteBuffer.wrap(v).getInt();
        if (n <= 0) {
            throw CqlException.invalid(what.substring(0, 1).toUpperCase() + what.substring(1) + " must be strictly positive");
        }
        return n;
    }
}
