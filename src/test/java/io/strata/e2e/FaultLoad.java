package io.strata.e2e;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load for fault tests: concurrent inserts into {@code <keyspace>.kv (k int PRIMARY KEY, v int, pad text)}
 * with point reads of earlier keys mixed in, for a while, with a fault injected part-way; it records
 * which writes were acknowledged and how many writes and reads failed. Not thread-safe (one test drives it).
 */
final class FaultLoad {
    final Map<Integer, Integer> acknowledged = new ConcurrentHashMap<>();
    final AtomicInteger failedWrites = new AtomicInteger();
    final AtomicInteger failedReads = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    private final String keyspace;

    FaultLoad(String keyspace) {
        this.keyspace = keyspace;
    }

    static CqlSession connect(GatewayProcess gateway, Duration requestTimeout) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", gateway.devToken())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                        .withBoolean(DefaultDriverOption.RECONNECT_ON_INIT, false)
                        .build())
                .build();
    }

    void createSchema(CqlSession s) {
        s.execute("CREATE KEYSPACE " + keyspace + " WITH replication = {'class': 'SingleRegionStrategy'}");
        s.execute("CREATE TABLE " + keyspace + ".kv (k int PRIMARY KEY, v int, pad text)");
    }

    /** Runs the load for {@code total}, calling {@code fault} once after {@code faultAfter}; waits for stragglers. */
    void run(CqlSession s, Duration total, Duration faultAfter, Runnable fault, int concurrency) throws InterruptedException {
        PreparedStatement insert = s.prepare("INSERT INTO " + keyspace + ".kv (k, v, pad) VALUES (?, ?, ?)");
        PreparedStatement select = s.prepare("SELECT v FROM " + keyspace + ".kv WHERE k = ?");
        String pad = "p".repeat(300);
        Semaphore inFlight = new Semaphore(concurrency);
        int k = acknowledged.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        long start = System.nanoTime();
        boolean faulted = false;
        while (System.nanoTime() - start < total.toNanos()) {
            if (!faulted && System.nanoTime() - start > faultAfter.toNanos()) {
                fault.run();
                faulted = true;
            }
            inFlight.acquire();
            int key = k++;
            s.executeAsync(insert.bind(key, key * 3, pad)).whenComplete((r, e) -> {
                if (e == null) {
                    acknowledged.put(key, key * 3);
                } else {
                    failedWrites.incrementAndGet();
                }
                inFlight.release();
            });
            if (key % 4 == 0 && key > 0) {
                inFlight.acquire();
                s.executeAsync(select.bind(key / 2)).whenComplete((r, e) -> {
                    if (e != null) {
                        failedReads.incrementAndGet();
                    }
                    reads.incrementAndGet();
                    inFlight.release();
                });
            }
        }
        inFlight.acquire(concurrency);
    }

    /** How many acknowledged writes are missing or hold another value. */
    int missing(CqlSession s) {
        Map<Integer, Integer> seen = new ConcurrentHashMap<>();
        for (Row r : s.execute(SimpleStatement.newInstance("SELECT k, v FROM " + keyspace + ".kv").setPageSize(2000))) {
            seen.put(r.getInt("k"), r.getInt("v"));
        }
        int bad = 0;
        for (var e : acknowledged.entrySet()) {
            if (!e.getValue().equals(seen.get(e.getKey()))) {
                bad++;
            }
        }
        return bad;
    }
}
