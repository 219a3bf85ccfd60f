package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Three S3 zones, each its own S3Proxy server on loopback: one endpoint is stopped during load (writes and
 * reads continue at a quorum), then comes back empty (a replaced server) and is rebuilt by the background
 * repair; every acknowledged write survives a kill -9 and restart.
 */
class TestS3ZoneFaults {
    @TempDir
    Path tmp;

    private static final String BUCKET = "zone";

    @Test
    void aStoppedEndpointIsRebuiltWhenItReturns() throws Exception {
        int[] ports = {freePort(), freePort(), freePort()};
        List<S3ProxyExtension> proxies = new ArrayList<>();
        for (int port : ports) {
            proxies.add(startProxy(port));
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("strata.storage.type", "s3");
        config.put("strata.storage.s3.buckets", BUCKET + "," + BUCKET + "," + BUCKET);
        config.put("strata.storage.s3.endpoints", "http://127.0.0.1:" + ports[0] + ",http://127.0.0.1:" + ports[1]
                + ",http://127.0.0.1:" + ports[2]);
        config.put("strata.storage.s3.access-key", "access");
        config.put("strata.storage.s3.secret-key", "secret");
        config.put("strata.auth.dev-tenant", "true"); // opt-in on S3
        config.put("strata.storage.engine.repair-interval", "1s");
        config.put("strata.storage.engine.flush-threshold-bytes", "262144");
        GatewayProcess gateway = new GatewayProcess(tmp.resolve("data"), config).start();
        FaultLoad load = new FaultLoad("s3zones");
        try {
            try (CqlSession s = FaultLoad.connect(gateway, Duration.ofSeconds(20))) {
                load.createSchema(s);
                // endpoint b stops, and its data is gone
                load.run(s, Duration.ofSeconds(8), Duration.ofSeconds(2), () -> proxies.get(1).afterEach(null), 16);
                assertThat(load.failedWrites.get()).as("writes failed while an endpoint was down").isZero();
                assertThat(load.failedReads.get()).as("reads failed while an endpoint was down").isZero();
                assertThat(load.acknowledged.size()).isGreaterThan(200);

                proxies.set(1, startProxy(ports[1])); // a replaced, empty server on the same endpoint
                // Compactions keep adding segments: compare one snapshot of each endpoint taken together.
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                Set<String> inA = keys(ports[0]);
                Set<String> inB = keys(ports[1]);
                while (!inB.containsAll(inA) && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    inA = keys(ports[0]);
                    inB = keys(ports[1]);
                }
                assertThat(inB).as("endpoint b rebuilt").containsAll(inA);
                assertThat(inA).anyMatch(k -> k.endsWith(".seg"));
                assertThat(load.missing(s)).isZero();
            }
            gateway.kill();
            gateway.start();
            try (CqlSession s = FaultLoad.connect(gateway, Duration.ofSeconds(20))) {
                assertThat(load.missing(s)).as("acknowledged writes lost after kill -9 and restart").isZero();
            }
        } finally {
            gateway.close();
            for (S3ProxyExtension p : proxies) {
                try {
                    p.afterEach(null);
                } catch (RuntimeException e) {
                    // stopping must not hide the test's own failure (S3Proxy may fail to list a deleted temp dir)
                    System.err.println("could not stop an S3Proxy: " + e);
                }
            }
        }
    }

    private static S3ProxyExtension startProxy(int port) throws Exception {
        S3ProxyExtension p = S3ProxyExtension.builder().withCredentials("access", "secret").withPort(port).build();
        p.beforeEach(null);
        try (S3Client c = client(port)) {
            c.createBucket(b -> b.bucket(BUCKET));
        }
        return p;
    }

    private static S3Client client(int port) {
        return S3Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .forcePathStyle(true)
                .build();
    }

    /** Segment and manifest keys in one endpoint's bucket. */
    private static Set<String> keys(int port) {
        Set<String> keys = new TreeSet<>();
        try (S3Client c = client(port)) {
            c.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("strata/tables/")).contents()
                    .forEach(o -> keys.add(o.key()));
        } catch (RuntimeException e) {
            return Set.of();
        }
        return keys;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
