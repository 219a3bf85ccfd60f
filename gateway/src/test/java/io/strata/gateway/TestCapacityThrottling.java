package io.strata.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Throttling through the real Java driver: a provisioned table under three times its rate settles at its rate and
 * answers the excess with WriteTimeout naming the table and the limit; an on-demand table below its ceiling is
 * never throttled; a hot partition is held at the partition ceiling while other partitions proceed; every
 * response carries its consumed capacity in the custom payload.
 */
@QuarkusTest
@TestProfile(TestCapacityThrottling.Profile.class)
public class TestCapacityThrottling {
    static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("strata-capacity-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strata.cql.port", "0", "strata.cql.host", "127.0.0.1",
                    "strata.storage.local.path", DATA.toString(), "strata.capacity.partition-write-units", "50",
                    "strata.capacity.autoscaling-interval", "1s");
        }
    }

    @Inject
    CqlServerLifecycle server;

    private CqlSession connect() throws IOException {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", server.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", Files.readString(DATA.resolve("dev-token")).strip()).build();
    }

    /** Outcomes of {@code seconds} of writes offered at {@code perSecond}, counted from {@code countFrom} s on. */
    private record Offered(int ok, int timeouts, List<Throwable> other, String lastTimeout) {}

    private static Offered offer(CqlSession session, IntFunction<CompletionStage<AsyncResultSet>> write, int perSecond,
            double seconds, double countFrom) throws InterruptedException {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        List<Throwable> other = java.util.Collections.synchronizedList(new ArrayList<>());
        String[] last = new String[1];
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        long start = System.nanoTime();
        int total = (int) (perSecond * seconds);
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            boolean counted = System.nanoTime() - start >= countFrom * 1e9;
            pending.add(write.apply(i).toCompletableFuture().whenComplete((r, e) -> {
                if (!counted) {
                    return;
                }
                if (e == null) {
                    ok.incrementAndGet();
                } else if (e.getCause() instanceof WriteTimeoutException || e instanceof WriteTimeoutException) {
                    timeouts.incrementAndGet();
                    // the Java driver shows its own text for timeouts, not the server's (which names the table)
                    WriteTimeoutException w = (WriteTimeoutException) (e instanceof WriteTimeoutException ? e
                            : e.getCause());
                    assertThat(w.getConsistencyLevel().name()).isEqualTo("LOCAL_QUORUM");
                    assertThat(w.getBlockFor()).isEqualTo(2);
                    last[0] = w.getMessage();
                } else {
                    other.add(e);
                }
            }));
        }
        for (var f : pending) {
            try {
                f.join();
            } catch (RuntimeException ignored) {
                // counted above
            }
        }
        return new Offered(ok.get(), timeouts.get(), other, last[0]);
    }

    @Test
    void aProvisionedTableSettlesAtItsRateAndAnOnDemandOneIsNotThrottled() throws Exception {
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS cap WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE cap.prov (k int PRIMARY KEY, v text) WITH CUSTOM_PROPERTIES = "
                    + "{'capacity_mode': {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 100,"
                    + " 'write_capacity_units': 100}}");
            session.execute("CREATE TABLE cap.ondemand (k int PRIMARY KEY, v text)");
            PreparedStatement prov = session.prepare("INSERT INTO cap.prov (k, v) VALUES (?, 'x')");
            PreparedStatement onDemand = session.prepare("INSERT INTO cap.ondemand (k, v) VALUES (?, 'x')");

            // 300 one-unit writes a second for 8 s; the first 2 s spend the one second of burst a new table has
            Offered p = offer(session, i -> session.executeAsync(prov.bind(i)), 300, 8, 2);
            assertThat(p.other()).isEmpty();
            assertThat(p.ok() / 6.0).as("writes per second once the burst is spent").isBetween(95.0, 105.0);
            assertThat(p.timeouts()).isGreaterThan(1000);
            assertThat(p.lastTimeout()).contains("LOCAL_QUORUM", "only 0 acknowledged");

            Offered d = offer(session, i -> session.executeAsync(onDemand.bind(i)), 300, 3, 0);
            assertThat(d.timeouts()).isZero();
            assertThat(d.other()).isEmpty();
            assertThat(d.ok()).isEqualTo(900);

            // reads of the provisioned table have their own bucket, at 100 units a second
            ResultSet read = session.execute("SELECT v FROM cap.prov WHERE k = 1");
            assertThat(read.one().getString(0)).isEqualTo("x");
            Map<String, java.nio.ByteBuffer> payload = read.getExecutionInfo().getIncomingPayload();
            // the driver's default LOCAL_ONE: half a unit; LOCAL_QUORUM: one
            assertThat(StandardCharsets.UTF_8.decode(payload.get("strata-consumed-rcu").duplicate()).toString())
                    .isEqualTo("0.5");
            ResultSet quorum = session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement
                    .newInstance("SELECT v FROM cap.prov WHERE k = 1")
                    .setConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.LOCAL_QUORUM));
            assertThat(StandardCharsets.UTF_8.decode(quorum.getExecutionInfo().getIncomingPayload()
                    .get("strata-consumed-rcu").duplicate()).toString()).isEqualTo("1");
            assertThat(StandardCharsets.UTF_8.decode(payload.get("strata-consumed-wcu").duplicate()).toString())
                    .isEqualTo("0");
            // 1,000 reads at once (500 read units at LOCAL_ONE) against 100 a second: most are throttled
            AtomicInteger throttledReads = new AtomicInteger();
            List<java.util.concurrent.CompletableFuture<?>> reads = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                reads.add(session.executeAsync("SELECT v FROM cap.prov WHERE k = " + i).toCompletableFuture()
                        .whenComplete((r, e) -> {
                            Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                            if (cause instanceof ReadTimeoutException rt) {
                                assertThat(rt.getConsistencyLevel().name()).isEqualTo("LOCAL_ONE");
                                throttledReads.incrementAndGet();
                            }
                        }));
            }
            for (var f : reads) {
                try {
                    f.join();
                } catch (RuntimeException counted) {
                    // counted above
                }
            }
            assertThat(throttledReads.get()).isGreaterThan(300);
        }
        // Keyspaces' CloudWatch metrics, by tenant, keyspace and table
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        String prov = "keyspace=\"cap\",table=\"prov\",tenant=\"dev\"";
        assertThat(metric(metrics, "ConsumedWriteCapacityUnits_total{" + prov + "}")).isBetween(800.0, 1000.0);
        assertThat(metric(metrics, "WriteThrottleEvents_total{" + prov + "}")).isGreaterThan(1000.0);
        assertThat(metric(metrics, "ReadThrottleEvents_total{" + prov + "}")).isPositive();
        assertThat(metric(metrics, "ProvisionedWriteCapacityUnits{" + prov + "}")).isEqualTo(100.0);
        assertThat(metric(metrics, "ConsumedWriteCapacityUnits_total{keyspace=\"cap\",table=\"ondemand\",tenant=\"dev\"}"))
                .isEqualTo(900.0);
        assertThat(metrics).contains("SuccessfulRequestLatency_seconds_count{keyspace=\"cap\",operation=\"INSERT\"");
    }

    /** The value of one sample line of the Prometheus text format. */
    static double metric(String text, String sample) {
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).strip());
            }
        }
        throw new AssertionError("no sample " + sample + " in /q/metrics");
    }

    @Test
    void aHotPartitionIsHeldAtThePartitionCeilingWhileOthersProceed() throws Exception {
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS cap WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE IF NOT EXISTS cap.hot (k int, c int, v text, PRIMARY KEY (k, c))");
            PreparedStatement write = session.prepare("INSERT INTO cap.hot (k, c, v) VALUES (?, ?, 'x')");
            // partition 0 gets 150 writes a second against its ceiling of 50 (this test's setting); 100 other
            // partitions share another 150
            Offered hot = offer(session, i -> session.executeAsync(write.bind(0, i)), 150, 4, 1);
            assertThat(hot.ok() / 3.0).isBetween(40.0, 60.0);
            assertThat(hot.timeouts()).isPositive();
            Offered spread = offer(session, i -> session.executeAsync(write.bind(1 + i % 100, i)), 150, 2, 0);
            assertThat(spread.timeouts()).isZero();
            String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract()
                    .asString();
            assertThat(metric(metrics, "StoragePartitionThroughputCapacityExceeded_total{keyspace=\"cap\",table=\"hot\","
                    + "tenant=\"dev\"}")).isEqualTo((double) metric(metrics,
                    "WriteThrottleEvents_total{keyspace=\"cap\",table=\"hot\",tenant=\"dev\"}")).isPositive();
            ResultSet rs = session.execute(write.bind(500, 1));
            assertThat(StandardCharsets.UTF_8.decode(rs.getExecutionInfo().getIncomingPayload()
                    .get("strata-consumed-wcu").duplicate()).toString()).isEqualTo("1");
        }
    }

    @Test
    void autoScalingRaisesAProvisionedTableToServeItsLoadAtTheTarget() throws Exception {
        try (CqlSession session = connect()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS cap WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE cap.scaled (k int PRIMARY KEY, v text) WITH CUSTOM_PROPERTIES = "
                    + "{'capacity_mode': {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 5,"
                    + " 'write_capacity_units': 5}} AND AUTOSCALING_SETTINGS = {'provisioned_write_capacity_autoscaling_update':"
                    + " {'minimum_units': 5, 'maximum_units': 200, 'scaling_policy': {'target_tracking_scaling_policy_configuration':"
                    + " {'target_value': 50}}}}");
            PreparedStatement write = session.prepare("INSERT INTO cap.scaled (k, v) VALUES (?, 'x')");
            // 40 writes a second: at a 50 % target the table needs 80 units; it starts at 5 and doubles as it is
            // saturated, period after period (1 s here)
            offer(session, i -> session.executeAsync(write.bind(i)), 40, 10, 0);
            String mode = session.execute("SELECT custom_properties FROM system_schema_mcs.tables WHERE keyspace_name"
                    + " = 'cap' AND table_name = 'scaled'").one().getMap(0, String.class, Map.class).get("capacity_mode")
                    .toString();
            long units = Long.parseLong(mode.replaceAll(".*write_capacity_units=(\\d+).*", "$1"));
            assertThat(units).as(mode).isBetween(60L, 200L);
            String described = session.execute("DESCRIBE TABLE cap.scaled").one().getString("create_statement");
            assertThat(described).contains("AND AUTOSCALING_SETTINGS = {'provisioned_write_capacity_autoscaling_update':"
                    + " {'autoscaling_disabled': false, 'minimum_units': 5, 'maximum_units': 200");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> session.execute(
                    "CREATE TABLE cap.bad (k int PRIMARY KEY) WITH AUTOSCALING_SETTINGS = "
                    + "{'provisioned_write_capacity_autoscaling_update': {'minimum_units': 5, 'maximum_units': 10,"
                    + " 'scaling_policy': {'target_tracking_scaling_policy_configuration': {'target_value': 50}}}}")))
                    .hasMessageContaining("throughput_mode PROVISIONED");
        }
    }
}
