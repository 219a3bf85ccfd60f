package io.strata.bench;

import static java.util.Objects.requireNonNull;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The workload's operations over a driver session: writes bind {@link BenchTable#row} for a key
 * (sequential keys modulo the key space for the write workload, so a run of at least {@code rows}
 * operations loads every key; uniform random keys in the mixed workload); reads select a uniform random
 * key and check the row against {@link BenchTable#row}. Keys and the read/write mix come from one seeded
 * random generator, so a run is repeatable.
 *
 * <p>Not thread-safe: {@link #start} is called by the load runner's single issuing thread; completions run
 * on driver threads and touch no shared state.
 */
final class DriverOperation implements LoadRunner.Operation {
    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement select;
    private final Workload workload;
    private final long rows;
    private final double readRatio;
    private final SplittableRandom random;
    private final long firstKey;

    /**
     * @param insert the prepared {@link BenchTable#insert()}, or null for the read workload
     * @param select the prepared {@link BenchTable#select()}, or null for the write workload
     * @param firstKey the write workload's first key (then sequential modulo {@code rows})
     */
    DriverOperation(CqlSession session, PreparedStatement insert, PreparedStatement select, Workload workload,
            long rows, double readRatio, long seed, long firstKey) {
        this.session = requireNonNull(session, "session is null");
        this.workload = requireNonNull(workload, "workload is null");
        if (workload != Workload.READ) {
            requireNonNull(insert, "insert is null");
        }
        if (workload != Workload.WRITE) {
            requireNonNull(select, "select is null");
        }
        this.insert = insert;
        this.select = select;
        this.rows = rows;
        this.readRatio = readRatio;
        this.random = new SplittableRandom(seed);
        this.firstKey = firstKey;
    }

    @Override
    public LoadRunner.Started start(long sequence) {
        boolean read = switch (workload) {
            case READ -> true;
            case WRITE -> false;
            case MIXED -> random.nextDouble() < readRatio;
        };
        if (read) {
            long key = random.nextLong(rows);
            return new LoadRunner.Started(LoadRunner.Kind.READ, send(() -> session.executeAsync(select.bind(key))
                    .thenApply(result -> check(result.one(), key))));
        }
        long key = workload == Workload.WRITE ? Math.floorMod(firstKey + sequence, rows) : random.nextLong(rows);
        BenchTable.Row row = BenchTable.row(key);
        return new LoadRunner.Started(LoadRunner.Kind.WRITE, send(() -> session.executeAsync(
                        insert.bind(row.id(), row.name(), row.city(), row.score(), row.payload()))
                .thenApply(result -> LoadRunner.Outcome.WRITTEN)));
    }

    static LoadRunner.Outcome check(Row actual, long key) {
        if (actual == null) {
            return LoadRunner.Outcome.MISSING;
        }
        BenchTable.Row expected = BenchTable.row(key);
        boolean same = actual.getLong("id") == expected.id()
                && expected.name().equals(actual.getString("name"))
                && expected.city().equals(actual.getString("city"))
                && actual.getInt("score") == expected.score()
                && expected.payload().equals(actual.getString("payload"));
        return same ? LoadRunner.Outcome.FOUND : LoadRunner.Outcome.MISMATCH;
    }

    private interface Send {
        CompletionStage<LoadRunner.Outcome> send();
    }

    // The driver reports most failures through the stage, but binding can throw: keep both on one path.
    private static CompletionStage<LoadRunner.Outcome> send(Send send) {
        try {
            return send.send();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
