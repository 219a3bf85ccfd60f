package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Encryption at rest, on by default, as a user finds it: known values, partition keys and an incompressible canary
 * written through the Java driver (flushed into segments by a clean restart, then more left only in the commit log by kill -9) appear nowhere
 * in the clear: not in any file under the data directory (local zones) and not in any object of the three buckets
 * (S3 backend on S3Proxy). After the kill every acknowledged row reads back. A table under the tenant's own key
 * becomes inaccessible, with a message naming it, when that key is revoked, while the tenant's other tables work;
 * with the key back, every row is there.
 */
class TestEncryptionAtRest {
    private static final String VALUE = "zq-known-value-";
    private static final String KEY = "zq-known-key-";
    /** Incompressible, so a segment in the clear would hold it verbatim (LZ4 shortens the repeated prefixes above). */
    private static final String CANARY = canary();

    private static String canary() {
        byte[] b = new byte[2048];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    /** What must not be found: the canary (whole rows in segments) and the known prefixes (commit-log records). */
    private static boolean leaks(byte[] bytes) {
        return contains(bytes, CANARY.substring(0, 64)) || contains(bytes, CANARY.substring(2000, 2064))
                || contains(bytes, VALUE) || contains(bytes, KEY);
    }

    @TempDir
    Path tmp;

    @Test
    void localZonesHoldNoPlaintext() throws Exception {
        Path data = tmp.resolve("local");
        writeRestartWriteKill(data, Map.of("strata.storage.type", "local"));
        assertThat(leakingFiles(data)).as("files holding values or keys in the clear").isEmpty();
    }

    @Test
    void s3BucketsHoldNoPlaintext() throws Exception {
        Path data = tmp.resolve("s3");
        Map<String, String> config = E2eStorage.s3Config(data);
        writeRestartWriteKill(data, config);
        List<String> hits = new ArrayList<>();
        int objects = 0;
        try (S3Client s3 = E2eStorage.client()) {
            for (String bucket : config.get("strata.storage.s3.buckets").split(",")) {
                for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
                    ResponseBytes<GetObjectResponse> b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(o.key()));
                    objects++;
                    if (leaks(b.asByteArray())) {
                        hits.add(bucket + "/" + o.key());
                    }
                }
            }
        }
        assertThat(objects).as("objects in the buckets").isGreaterThan(10);
        assertThat(hits).as("objects holding values or keys in the clear").isEmpty();
        // the local working directory of the S3 backend (scratch, cache) holds none either
        assertThat(leakingFiles(data)).isEmpty();
    }

    @Test
    void aRevokedCustomerKeyMakesOnlyItsTableInaccessibleUntilItIsBack() throws Exception {
        Path data = tmp.resolve("cmk");
        try (GatewayProcess gateway = new GatewayProcess(data, Map.of("strata.storage.type", "local")).start()) {
            var created = gateway.adminPost("/admin/tenants/dev/keys", "{\"name\": \"orders-key\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            try (CqlSession session = connect(gateway)) {
                session.execute("CREATE KEYSPACE enc WITH replication = {'class': 'SingleRegionStrategy'}");
                session.execute("CREATE TABLE enc.kv (k text PRIMARY KEY, v text)");
                session.execute("CREATE TABLE enc.orders (k text PRIMARY KEY, v text) WITH CUSTOM_PROPERTIES = "
                        + "{'encryption_specification': {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY', "
                        + "'kms_key_identifier': 'orders-key'}}");
                for (int i = 0; i < 50; i++) {
                    session.execute("INSERT INTO enc.orders (k, v) VALUES (?, ?)", KEY + i, VALUE + i);
                    session.execute("INSERT INTO enc.kv (k, v) VALUES (?, ?)", KEY + i, VALUE + i);
                }
            }
            gateway.stop();
            assertThat(leakingFiles(data)).isEmpty();
            Path key = data.resolve("keys/master/customer/dev/orders-key.key");
            Path away = tmp.resolve("orders-key.key");
            Files.move(key, away); // the tenant revokes its key

            gateway.start();
            try (CqlSession session = connect(gateway)) {
                assertThat(session.execute("SELECT v FROM enc.kv WHERE k = ?", KEY + 7).one().getString("v"))
                        .isEqualTo(VALUE + 7);
                session.execute("INSERT INTO enc.kv (k, v) VALUES ('after', 'revocation')");
                org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                                session.execute("SELECT v FROM enc.orders WHERE k = ?", KEY + 7))
                        .isInstanceOf(com.datastax.oss.driver.api.core.servererrors.ServerError.class)
                        .hasMessageContaining("enc.orders is inaccessible").hasMessageContaining("orders-key");
                org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                                session.execute("INSERT INTO enc.orders (k, v) VALUES ('x', 'y')"))
                        .hasMessageContaining("inaccessible");
            }
            gateway.stop();
            Files.move(away, key);

            gateway.start();
            try (CqlSession session = connect(gateway)) {
                for (int i = 0; i < 50; i++) {
                    assertThat(session.execute("SELECT v FROM enc.orders WHERE k = ?", KEY + i).one().getString("v"))
                            .isEqualTo(VALUE + i);
                }
            }
            gateway.kill();
        }
    }

    private static void writeRestartWriteKill(Path data, Map<String, String> config) {
        try (GatewayProcess gateway = new GatewayProcess(data, config).start()) {
            try (CqlSession session = connect(gateway)) {
                session.execute("CREATE KEYSPACE enc WITH replication = {'class': 'SingleRegionStrategy'}");
                session.execute("CREATE TABLE enc.kv (k text PRIMARY KEY, v text)");
                session.execute("INSERT INTO enc.kv (k, v) VALUES ('canary-1', ?)", CANARY);
                write(session, 0, 200);
            }
            gateway.stop(); // a clean stop flushes the memtables: the rows are in segments now
            gateway.start();
            try (CqlSession session = connect(gateway)) {
                session.execute("INSERT INTO enc.kv (k, v) VALUES ('canary-2', ?)", CANARY);
                write(session, 200, 260); // only in the commit log when the process dies
            }
            gateway.kill();
            gateway.start();
            try (CqlSession session = connect(gateway)) {
                assertThat(session.execute("SELECT v FROM enc.kv WHERE k = 'canary-2'").one().getString("v"))
                        .isEqualTo(CANARY);
                for (int i = 0; i < 260; i++) {
                    Row r = session.execute("SELECT v FROM enc.kv WHERE k = ?", KEY + i).one();
                    assertThat(r).as("row %d after kill -9", i).isNotNull();
                    assertThat(r.getString("v")).isEqualTo(VALUE + i);
                }
            }
            gateway.kill();
        }
    }

    private static CqlSession connect(GatewayProcess gateway) {
        // DDL over S3 is a dozen object requests: more than the driver's 2 s default on 2 shared cores
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10)).build())
                .withLocalDatacenter("datacenter1").withAuthCredentials("token", gateway.devToken()).build();
    }

    private static void write(CqlSession session, int from, int to) {
        PreparedStatement insert = session.prepare("INSERT INTO enc.kv (k, v) VALUES (?, ?)");
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = from; i < to; i++) {
            pending.add(session.executeAsync(insert.bind(KEY + i, VALUE + i)).toCompletableFuture());
            if (pending.size() == 32) {
                pending.forEach(java.util.concurrent.CompletableFuture::join); // acknowledged before the kill
                pending.clear();
            }
        }
        pending.forEach(java.util.concurrent.CompletableFuture::join);
    }

    private static List<Path> leakingFiles(Path root) throws IOException {
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                if (leaks(Files.readAllBytes(p))) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }

    private static boolean contains(byte[] b, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= b.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
