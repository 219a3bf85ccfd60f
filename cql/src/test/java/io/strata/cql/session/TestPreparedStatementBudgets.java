package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.request.Execute;
import com.datastax.oss.protocol.internal.request.Prepare;
import com.datastax.oss.protocol.internal.request.Query;
import com.datastax.oss.protocol.internal.request.query.QueryOptions;
import com.datastax.oss.protocol.internal.response.Error;
import com.datastax.oss.protocol.internal.response.result.Prepared;
import com.datastax.oss.protocol.internal.response.result.Rows;
import io.strata.cql.parse.CqlParser;
import io.strata.cql.testing.CqlFixture;
import io.strata.tenancy.core.TenantContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The prepared-statement cache's byte budgets: per tenant, so one tenant cannot evict another's
 * statements; global, paid by the heaviest tenant; statements weighed by an estimate checked against heap
 * measurements; statements heavier than allowed refused at PREPARE.
 */
class TestPreparedStatementBudgets {
    private static final String KEYSPACE = "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
            + "'replication_factor': 3}";

    private static ClientState tenant(CqlFixture db, String name) {
        ClientState s = new ClientState(new TenantContext(name, name), 5);
        for (String cql : List.of(KEYSPACE, "USE ks", "CREATE TABLE t (k int, c int, v text, b blob, PRIMARY KEY (k, c))")) {
            assertThat(CqlFixture.send(db.handler, s, new Query(cql))).isNotInstanceOf(Error.class);
        }
        return s;
    }

    private static Prepared prepare(CqlFixture db, ClientState s, String cql) {
        Message m = CqlFixture.send(db.handler, s, new Prepare(cql));
        assertThat(m).as("%s", m).isInstanceOf(Prepared.class);
        return (Prepared) m;
    }

    private static Message execute(CqlFixture db, ClientState s, Prepared p) {
        QueryOptions o = new QueryOptions(ProtocolConstants.ConsistencyLevel.LOCAL_ONE, List.of(), Map.of(), false, -1,
                null, ProtocolConstants.ConsistencyLevel.SERIAL, QueryOptions.NO_DEFAULT_TIMESTAMP, null,
                QueryOptions.NO_NOW_IN_SECONDS);
        return CqlFixture.send(db.handler, s, new Execute(p.preparedQueryId, o));
    }

    private static long weight(String cql) {
        return io.strata.cql.session.Prepared.estimateWeight(cql.length(), CqlParser.tokenCount(cql));
    }

    @Test
    void aTenantFloodingTheCacheDoesNotEvictAnotherTenantsStatements() {
        PreparedCacheLimits limits = PreparedCacheLimits.of(256 * 1024, 1024 * 1024);
        try (CqlFixture db = CqlFixture.open(PagingKey.random(), limits)) {
            ClientState a = tenant(db, "a");
            ClientState b = tenant(db, "b");
            List<Prepared> bs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                bs.add(prepare(db, b, "SELECT v FROM t WHERE k = " + i));
            }
            long bWeight = db.handler.preparedStatements().weight("b");
            for (int i = 0; i < 5_000; i++) {
                prepare(db, a, "SELECT v FROM t WHERE k = " + i + " AND c = ?");
            }
            PreparedStatements cache = db.handler.preparedStatements();
            assertThat(cache.weight("a")).isLessThanOrEqualTo(limits.perTenantBytes()).isGreaterThan(limits.perTenantBytes() / 2);
            assertThat(cache.weight("b")).isEqualTo(bWeight);
            for (Prepared p : bs) {
                assertThat(execute(db, b, p)).isInstanceOf(Rows.class);
            }
            assertThat(cache.totalWeight()).isLessThanOrEqualTo(limits.globalBytes());
        }
    }

    @Test
    void overTheGlobalBudgetTheHeaviestTenantLosesStatements() {
        PreparedCacheLimits limits = new PreparedCacheLimits(200 * 1024, 300 * 1024, 16 * 1024);
        try (CqlFixture db = CqlFixture.open(PagingKey.random(), limits)) {
            ClientState small = tenant(db, "small");
            ClientState big = tenant(db, "big");
            ClientState late = tenant(db, "late");
            List<Prepared> smalls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                smalls.add(prepare(db, small, "SELECT v FROM t WHERE k = " + i));
            }
            for (int i = 0; i < 2_000; i++) {
                prepare(db, big, "SELECT v FROM t WHERE k = " + i + " AND c = ?");
            }
            for (int i = 0; i < 2_000; i++) {
                prepare(db, late, "SELECT v FROM t WHERE k = " + i + " AND c = 1");
            }
            PreparedStatements cache = db.handler.preparedStatements();
            assertThat(cache.totalWeight()).isLessThanOrEqualTo(limits.globalBytes());
            assertThat(cache.totalWeight()).isEqualTo(cache.weight("small") + cache.weight("big") + cache.weight("late"));
            for (Prepared p : smalls) {
                assertThat(execute(db, small, p)).isInstanceOf(Rows.class);
            }
            // the two flooding tenants end up sharing what the small one leaves
            assertThat(Math.abs(cache.weight("big") - cache.weight("late"))).isLessThan(32 * 1024);
        }
    }

    @Test
    void weightsAddUp() {
        try (CqlFixture db = CqlFixture.open(PagingKey.random(), PreparedCacheLimits.defaults())) {
            ClientState a = tenant(db, "a");
            ClientState b = tenant(db, "b");
            PreparedStatements cache = db.handler.preparedStatements();
            long expectedA = 0;
            for (int i = 0; i < 50; i++) {
                String cql = "SELECT v FROM t WHERE k = " + i + " AND c IN (1, 2, 3)";
                prepare(db, a, cql);
                expectedA += weight(cql);
            }
            String one = "INSERT INTO t (k, c, v) VALUES (?, ?, '" + "é".repeat(1000) + "')";
            Prepared p = prepare(db, b, one);
            // preparing a known statement again neither duplicates nor re-weighs it
            prepare(db, b, one);
            assertThat(cache.weight("a")).isEqualTo(expectedA);
            assertThat(cache.weight("b")).isEqualTo(weight(one));
            assertThat(cache.totalWeight()).isEqualTo(expectedA + weight(one));
            // a schema change makes the statement UNPREPARED and gives its weight back
            assertThat(CqlFixture.send(db.handler, b, new Query("ALTER TABLE t ADD w int"))).isNotInstanceOf(Error.class);
            Message m = execute(db, b, p);
            assertThat(m).isInstanceOf(Error.class);
            assertThat(((Error) m).code).isEqualTo(ProtocolConstants.ErrorCode.UNPREPARED);
            assertThat(cache.weight("b")).isZero();
            assertThat(cache.totalWeight()).isEqualTo(expectedA);
        }
    }

    @Test
    void weightsAddUpUnderConcurrentPreparesEvictionsAndInvalidations() throws Exception {
        PreparedCacheLimits limits = new PreparedCacheLimits(128 * 1024, 256 * 1024, 16 * 1024);
        try (CqlFixture db = CqlFixture.open(PagingKey.random(), limits)) {
            List<ClientState> tenants = List.of(tenant(db, "a"), tenant(db, "b"), tenant(db, "c"));
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 6; t++) {
                ClientState s = tenants.get(t % tenants.size());
                int seed = t;
                Thread thread = new Thread(() -> {
                    try {
                        for (int i = 0; i < 600; i++) {
                            // overlapping texts across threads of a tenant: replacements as well as evictions
                            prepare(db, s, "SELECT v FROM t WHERE k = " + ((i * 7 + seed) % 400));
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            PreparedStatements cache = db.handler.preparedStatements();
            long sum = cache.weight("a") + cache.weight("b") + cache.weight("c");
            assertThat(cache.totalWeight()).isEqualTo(sum).isLessThanOrEqualTo(limits.globalBytes());
            for (String t : List.of("a", "b", "c")) {
                assertThat(cache.weight(t)).isLessThanOrEqualTo(limits.perTenantBytes());
            }
        }
    }

    @Test
    void anEvictedStatementAnswersUnpreparedAndCanBePreparedAgain() {
        // ~1000 statements fit; Caffeine's admission window then holds ~10, enough for a re-prepared one to stay
        try (CqlFixture db = CqlFixture.open(PagingKey.random(), PreparedCacheLimits.of(2 << 20, 2 << 20))) {
            ClientState a = tenant(db, "a");
            Prepared first = prepare(db, a, "SELECT v FROM t WHERE k = 0");
            for (int i = 1; i < 3000; i++) {
                prepare(db, a, "SELECT v FROM t WHERE k = " + i);
            }
            Message m = execute(db, a, first);
            assertThat(m).isInstanceOf(Error.class);
            assertThat(((Error) m).code).isEqualTo(ProtocolConstants.ErrorCode.UNPREPARED);
            assertThat(prepare(db, a, "SELECT v FROM t WHERE k = 0").preparedQueryId).isEqualTo(first.preparedQueryId);
            assertThat(execute(db, a, first)).isInstanceOf(Rows.class);
        }
    }

    @Test
    void aStatementHeavierThanAllowedIsRefusedAtPrepare() {
        try (CqlFixture db = CqlFixture.open(PagingKey.random(), PreparedCacheLimits.defaults())) {
            String huge = "INSERT INTO t (k, c, v) VALUES (1, 2, '" + "x".repeat(1 << 20) + "')";
            Message m = db.send(new Prepare(huge));
            assertThat(m).isInstanceOf(Error.class);
            assertThat(((Error) m).code).isEqualTo(ProtocolConstants.ErrorCode.INVALID);
            assertThat(((Error) m).message).isEqualTo("Prepared statement of size " + weight(huge)
                    + " bytes is larger than allowed maximum of 4 MiB: " + huge.substring(0, 200) + "...");
            // a statement of many tokens is heavy although its text is short
            StringBuilder in = new StringBuilder("SELECT v FROM t WHERE k IN (0");
            while (in.length() < 80_000) {
                in.append(",1");
            }
            assertThat(db.send(new Prepare(in.append(")").toString()))).isInstanceOfSatisfying(Error.class,
                    e -> assertThat(e.message).startsWith("Prepared statement of size "));
            assertThat(db.handler.preparedStatements().totalWeight()).isZero();
        }
    }

    /**
     * The weight estimate against the heap prepared statements actually retain, for statements of 1 KiB,
     * 64 KiB and 1 MiB of the shapes that retain least and most per character: long literals (text, non-Latin-1
     * text, blob) and long lists of tokens (IN values, selectors). The estimate never undercounts by more than
     * measurement noise and overcounts at most about three times (docs/security-cql.md has the figures).
     */
    @Test
    void theWeightEstimateMatchesHeapMeasurements() {
        PreparedCacheLimits unbounded = new PreparedCacheLimits(1L << 40, 1L << 40, Integer.MAX_VALUE);
        try (CqlFixture db = CqlFixture.open(PagingKey.random(), unbounded)) {
            ClientState s = tenant(db, "m");
            for (int size : new int[] {1024, 64 * 1024, 1024 * 1024}) {
                measure(db, s, size, i -> "INSERT INTO t (k, c, v) VALUES (" + i + ", 2, '" + "x".repeat(size) + "')");
                measure(db, s, size, i -> "INSERT INTO t (k, c, v) VALUES (" + i + ", 2, '" + "é".repeat(size / 2) + "')");
                measure(db, s, size, i -> "INSERT INTO t (k, c, b) VALUES (" + i + ", 2, 0x" + "ab".repeat(size / 2) + ")");
                measure(db, s, size, i -> {
                    StringBuilder in = new StringBuilder("SELECT v FROM t WHERE k IN (" + i);
                    while (in.length() < size) {
                        in.append(",1");
                    }
                    return in.append(")").toString();
                });
                measure(db, s, size, i -> {
                    StringBuilder sel = new StringBuilder("SELECT k");
                    while (sel.length() < size) {
                        sel.append(",k");
                    }
                    return sel.append(" FROM t WHERE k = ").append(i).toString();
                });
            }
        }
    }

    private static void measure(CqlFixture db, ClientState s, int size, IntFunction<String> statement) {
        // enough copies that the retained heap dwarfs what other threads allocate meanwhile; a measurement that
        // still falls outside is taken again (up to three times, with fresh statements) before it fails
        int copies = size >= 1 << 20 ? 2 : size >= 64 * 1024 ? 8 : 256;
        double ratio = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            long estimated = 0;
            long before = usedHeap();
            for (int i = 0; i < copies; i++) {
                // a fresh text each time, so what is measured includes the statement's own copy of it, as when
                // the text comes off the wire
                String cql = statement.apply(attempt * copies + i);
                estimated += prepare(db, s, cql) == null ? 0 : weight(cql);
            }
            long retained = usedHeap() - before;
            ratio = (double) estimated / retained;
            if (ratio >= 0.9 && ratio <= 3.5) {
                return;
            }
        }
        String shape = statement.apply(0).substring(0, 40);
        assertThat(ratio).as("estimate / heap for %d copies of %d bytes: %s", copies, size, shape).isBetween(0.9, 3.5);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return r.totalMemory() - r.freeMemory();
    }
}
