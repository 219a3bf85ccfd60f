package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway killed with SIGKILL at random moments while concurrent writers run, restarted, and every
 * write that was acknowledged before the kill read back; repeated for several rounds on the same data
 * (flushes and compactions happen along the way). Zero acknowledged writes may be lost.
 */
class TestCrashLoop {
    static final int ROUNDS = 6;

    @TempDir
    Path tmp;

    @Test
    void everyAcknowledgedWriteSurvivesRepeatedKill9() throws Exception {
        GatewayProcess gateway = new GatewayProcess(tmp.resolve("data"), Map.of()).start();
        Random random = new Random(20261123);
        Map<Integer, Integer> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger nextKey = new AtomicInteger();
        try {
            try (CqlSession s = connect(gateway)) {
                s.execute("CREATE KEYSPACE crash WITH replication = {'class': 'SingleRegionStrategy'}");
                s.execute("CREATE TABLE crash.kv (k int PRIMARY KEY, v int, pad text)");
            }
            String pad = "x".repeat(200);
            for (int round = 0; round < ROUNDS; round++) {
                CqlSession s = connect(gateway);
                PreparedStatement insert = s.prepare("INSERT INTO crash.kv (k, v, pad) VALUES (?, ?, ?)");
                Semaphore inFlight = new Semaphore(64);
                long killAt = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1200)).toNanos();
                while (System.nanoTime() < killAt) {
                    inFlight.acquire();
                    int k = nextKey.getAndIncrement();
                    int v = k * 7 + 1;
                    s.executeAsync(insert.bind(k, v, pad)).whenComplete((r, e) -> {
                        if (e == null) {
                            acknowledged.put(k, v);
                        }
                        inFlight.release();
                    });
                }
                gateway.kill(); // mid-stream: requests in flight are lost, acknowledged ones must not be
                s.close();
                gateway.start();
                try (CqlSession check = connect(gateway)) {
                    BitSet seen = new BitSet();
                    for (Row r : check.execute(SimpleStatement.newInstance("SELECT k, v FROM crash.kv").setPageSize(2000))) {
                        int k = r.getInt("k");
                        Integer expected = acknowledged.get(k);
                        if (expected != null) {
                            assertThat(r.getInt("v")).isEqualTo(expected);
                        }
                        seen.set(k);
                    }
                    int lost = 0;
                    for (Integer k : acknowledged.keySet()) {
                        if (!seen.get(k)) {
                            lost++;
                        }
                    }
                    assertThat(lost).as("acknowledged writes lost in round %d (of %d acknowledged)", round,
                            acknowledged.size()).isZero();
                    System.out.printf("crash loop round %d: %d acknowledged writes so far, %d rows stored, 0 lost%n",
                            round, acknowledged.size(), seen.cardinality());
                }
            }
            assertThat(acknowledged.size()).as("the writers made progress").isGreaterThan(ROUNDS * 100);
        } finally {
            gateway.close();
        }
    }

    private static CqlSession connect(GatewayProcess gateway) {
        return FaultLoad.connect(gateway, Duration.ofSeconds(10));
    }
}
