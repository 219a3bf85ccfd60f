package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a write workload: after the restart the bill accounts for every acknowledged write (each costs
 * one write unit), and for at most the writes in flight at the kill besides.
 */
class TestBillingCrash {
    @TempDir
    static Path tmp;

    static GatewayProcess gateway;

    @BeforeAll
    static void start() {
        gateway = new GatewayProcess(tmp.resolve("data"), Map.of()).start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static CqlSession connect() {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withLocalDatacenter("datacenter1").withAuthCredentials("token", gateway.devToken()).build();
    }

    private static BigDecimal billedWriteUnits() throws Exception {
        String operator = Files.readString(gateway.dataDir().resolve("operator-token"), StandardCharsets.UTF_8).strip();
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + gateway.httpPort() + "/admin/tenants/dev/usage?format=csv"))
                .header("Authorization", "Bearer " + operator).build();
        HttpResponse<String> r = null;
        // the HTTP port may open a moment after the CQL port the restart waited for
        for (long deadline = System.nanoTime() + 30_000_000_000L; r == null; ) {
            try {
                r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        BigDecimal sum = BigDecimal.ZERO;
        for (String line : r.body().split("\r\n")) {
            String[] f = line.split(",");
            if (f.length > 5 && f[2].equals("crash") && f[3].equals("kv")) {
                sum = sum.add(new BigDecimal(f[5]));
            }
        }
        return sum;
    }

    @Test
    void everyAcknowledgedWriteIsBilledAfterKill9() throws Exception {
        int inFlight = 16;
        AtomicInteger acknowledged = new AtomicInteger();
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE crash WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE crash.kv (k int PRIMARY KEY, v text)");
            PreparedStatement insert = session.prepare("INSERT INTO crash.kv (k, v) VALUES (?, 'v')");
            Semaphore slots = new Semaphore(inFlight);
            List<CompletableFuture<?>> all = new ArrayList<>();
            long killAt = System.nanoTime() + 3_000_000_000L;
            int i = 0;
            while (System.nanoTime() < killAt) {
                slots.acquire();
                all.add(session.executeAsync(insert.bind(i++)).toCompletableFuture().whenComplete((r, e) -> {
                    if (e == null) {
                        acknowledged.incrementAndGet();
                    }
                    slots.release();
                }));
            }
            gateway.kill();
            for (CompletableFuture<?> f : all) {
                try {
                    f.join();
                } catch (RuntimeException lostWithTheNode) {
                    // not acknowledged
                }
            }
        }
        int acked = acknowledged.get();
        assertThat(acked).isGreaterThan(100);
        gateway.start();
        BigDecimal billed = billedWriteUnits();
        assertThat(billed.intValue()).as("write units billed for %d acknowledged writes", acked)
                .isBetween(acked, acked + inFlight);
    }
}
