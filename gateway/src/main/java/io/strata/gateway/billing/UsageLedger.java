package io.strata.gateway.billing;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionData;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.ReadResult;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.StorageEngine;
import io.strata.storage.spi.TableId;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * The durable usage ledger: per tenant, table, UTC hour and gateway node, cumulative counters of what requests
 * consumed ({@link Usage}), kept in a table of the storage engine itself, so it is replicated to a quorum of zones
 * and works on every backend. Each row holds this node's running totals for the hour; each cell's write timestamp
 * is its value, so the highest total always wins however writes are ordered, and a restart resumes from the
 * stored totals.
 *
 * <p>Writes are billed in the same commit-log record as the write itself ({@link #journal}): an acknowledged write
 * is in the ledger after any crash, and a write in flight at a crash may be billed without being acknowledged (never
 * the reverse). Reads, throttle events and provisioned capacity-time are kept in memory and written every
 * {@code flushInterval} by {@link #flush()}: a crash loses at most that much of them. Thread-safe.
 */
public final class UsageLedger {
    /** The engine table holding the ledger: outside every tenant's namespace, never reachable through CQL. */
    static final TableId TABLE = new TableId("_strata", "billing", "usage",
            UUID.fromString("5a7a0000-0000-4000-8000-00000000b111"));
    static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
    private static final Logger LOG = Logger.getLogger(UsageLedger.class);

    private final StorageEngine engine;
    private final String node;
    private final Clock clock;
    private final ConcurrentHashMap<LedgerKey, Counters> rows = new ConcurrentHashMap<>();

    /** One row's running totals; {@code durable} is what storage holds (guarded by the row's lock). */
    private static final class Counters {
        final AtomicLongArray values = new AtomicLongArray(Usage.COLUMNS.length);
        final long[] durable = new long[Usage.COLUMNS.length];
        volatile io.strata.storage.spi.PartitionKey partitionKey;

        long[] snapshot() {
            long[] v = new long[values.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = values.get(i);
            }
            return v;
        }
    }

    /** The table a usage belongs to. */
    public record Table(String tenant, String keyspace, String table, UUID id) {
        public Table {
            requireNonNull(tenant, "tenant is null");
            requireNonNull(keyspace, "keyspace is null");
            requireNonNull(table, "table is null");
            requireNonNull(id, "id is null");
        }
    }

    /** A usage to add: thousandths of units, events, unit-milliseconds ({@link Usage}'s fields). */
    public UsageLedger(StorageEngine engine, String node, Clock clock) {
        this.engine = requireNonNull(engine, "engine is null");
        this.node = requireNonNull(node, "node is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Creates the ledger table if needed and resumes this node's totals of recent hours. */
    public void open() {
        engine.createTable(TABLE).toCompletableFuture().join();
        String from = HOUR.format(clock.instant().minusSeconds(2 * 3600));
        for (Map.Entry<LedgerKey, Usage> e : scan(null).entrySet()) {
            LedgerKey k = e.getKey();
            if (k.node().equals(node) && k.hour().compareTo(from) >= 0) {
                Counters c = rows.computeIfAbsent(k, x -> new Counters());
                long[] v = e.getValue().values();
                synchronized (c) {
                    for (int i = 0; i < v.length; i++) {
                        c.values.accumulateAndGet(i, v[i], Math::max);
                        c.durable[i] = Math.max(c.durable[i], v[i]);
                    }
                }
            }
        }
    }

    /** A table's row of the current hour, so a request finds its counters without building and hashing a key. */
    private record Slot(long hourNumber, LedgerKey key, Counters counters) {}

    private final ConcurrentHashMap<UUID, Slot> slots = new ConcurrentHashMap<>();

    private Slot slot(Table t) {
        long hourNumber = clock.millis() / 3_600_000L;
        Slot s = slots.get(t.id());
        if (s != null && s.hourNumber == hourNumber) {
            return s;
        }
        LedgerKey key = new LedgerKey(t.tenant(), t.keyspace(), t.table(), t.id(),
                HOUR.format(Instant.ofEpochMilli(hourNumber * 3_600_000L)), node);
        s = new Slot(hourNumber, key, rows.computeIfAbsent(key, k -> new Counters()));
        slots.put(t.id(), s);
        return s;
    }

    private static void add(Counters c, Usage usage) {
        long[] v = usage.values();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0) {
                c.values.addAndGet(i, v[i]);
            }
        }
    }

    /**
     * Adds a write request's usage and returns the ledger update to apply in the same commit-log record as the
     * request's own writes.
     */
    public List<PartitionUpdate> journal(Table table, Usage usage) {
        if (usage.equals(Usage.ZERO)) {
            return List.of();
        }
        Slot s = slot(table);
        add(s.counters, usage);
        // only the totals this request moved: each cell stands alone (the highest wins), and a write's record stays
        // small (every cell written costs commit-log and memtable bytes)
        return List.of(update(s.key, s.counters, s.counters.snapshot(), usage.values()));
    }

    /** Adds usage that is written at the next {@link #flush()} (reads, throttle events, capacity-time). */
    public void record(Table table, Usage usage) {
        add(slot(table).counters, usage);
    }

    /** Writes every row whose totals moved since they were last written, and forgets past hours' written rows. */
    public void flush() {
        String current = HOUR.format(clock.instant());
        List<PartitionUpdate> updates = new ArrayList<>();
        List<Map.Entry<Counters, long[]>> written = new ArrayList<>();
        for (Map.Entry<LedgerKey, Counters> e : rows.entrySet()) {
            Counters c = e.getValue();
            long[] now = c.snapshot();
            boolean moved;
            synchronized (c) {
                moved = !Arrays.equals(now, c.durable);
            }
            if (moved) {
                long[] delta = new long[now.length];
                synchronized (c) {
                    for (int i = 0; i < now.length; i++) {
                        delta[i] = now[i] - c.durable[i];
                    }
                }
                updates.add(update(e.getKey(), c, now, delta));
                written.add(Map.entry(c, now));
            } else if (e.getKey().hour().compareTo(current) < 0) {
                rows.remove(e.getKey(), c);
            }
        }
        if (updates.isEmpty()) {
            return;
        }
        engine.apply(updates).toCompletableFuture().join();
        for (Map.Entry<Counters, long[]> w : written) {
            synchronized (w.getKey()) {
                for (int i = 0; i < w.getValue().length; i++) {
                    w.getKey().durable[i] = Math.max(w.getKey().durable[i], w.getValue()[i]);
                }
            }
        }
    }

    /** The ledger's columns in name order (cells of a row are sorted by column). */
    private static final int[] SORTED = java.util.stream.IntStream.range(0, Usage.COLUMNS.length).boxed()
            .sorted(java.util.Comparator.comparing(i -> Usage.COLUMNS[i])).mapToInt(Integer::intValue).toArray();

    /** The row's totals for the columns {@code moved} marks (non-zero). */
    private static PartitionUpdate update(LedgerKey key, Counters c, long[] values, long[] moved) {
        io.strata.storage.spi.PartitionKey pk = c.partitionKey;
        if (pk == null) {
            pk = key.partitionKey();
            c.partitionKey = pk;
        }
        List<Cell> cells = new ArrayList<>(2);
        for (int i : SORTED) {
            if (moved[i] != 0) {
                // the total is its own timestamp: the highest total wins whatever order writes land in
                cells.add(Cell.live(Usage.COLUMNS[i], null, values[i], ByteBuffer.allocate(8).putLong(0, values[i]).array()));
            }
        }
        return PartitionUpdate.ofRows(TABLE, pk, List.of(Row.of(Clustering.EMPTY, LivenessInfo.NONE, cells)));
    }

    /**
     * Every row stored, summed over nodes: per (tenant, table, hour). {@code tenant} null for all tenants.
     */
    public Map<LedgerKey, Usage> scan(String tenant) {
        Map<LedgerKey, Usage> out = new TreeMap<>(java.util.Comparator.comparing(LedgerKey::tenant)
                .thenComparing(LedgerKey::keyspace).thenComparing(LedgerKey::table).thenComparing(LedgerKey::hour)
                .thenComparing(LedgerKey::node).thenComparing(k -> k.tableId().toString()));
        ReadQuery.Position after = null;
        int now = (int) (clock.millis() / 1000);
        while (true) {
            ReadQuery q = new ReadQuery(TABLE, new PartitionSelection.TokenRange(Long.MIN_VALUE, true, Long.MAX_VALUE,
                    true), List.of(Slice.ALL), false, null, 10_000, Integer.MAX_VALUE, now, after);
            ReadResult r = engine.read(q).toCompletableFuture().join();
            for (PartitionData p : r.partitions()) {
                LedgerKey k = LedgerKey.of(p.key());
                if (k == null || (tenant != null && !tenant.equals(k.tenant()))) {
                    continue;
                }
                for (Row row : p.rows()) {
                    long[] v = new long[Usage.COLUMNS.length];
                    for (Cell c : row.cells()) {
                        int i = Arrays.asList(Usage.COLUMNS).indexOf(c.column());
                        if (i >= 0 && c.value() != null && c.value().length == 8) {
                            v[i] = ByteBuffer.wrap(c.value()).getLong();
                        }
                    }
                    out.merge(k, Usage.of(v), Usage::plus);
                }
                after = new ReadQuery.Position(p.key(), null);
            }
            if (r.exhausted() || r.partitions().isEmpty()) {
                return out;
            }
        }
    }

    /** This node's id in the ledger. */
    public String node() {
        return node;
    }

    /** The current hour, as ledger keys name it. */
    String hour(Instant at) {
        return HOUR.format(at);
    }

    static void logFailure(Throwable e) {
        LOG.warnf(e, "Could not write the usage ledger; retrying at the next flush");
    }
}
