package io.strata.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Point-in-time recovery and backups as a cqlsh user meets them, through the Java driver against the built gateway:
 * a restore after DROP, a restore of a name dropped and created again (the incarnation live at the instant), backup →
 * drop → restore from the backup (admin API), on local zones and on S3; and kill -9 right after a restore is accepted:
 * after the restart the table is ACTIVE with the right rows or gone, and the source is intact.
 */
class TestPointInTimeRecovery {
    private static final String PITR = " WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'enabled'}}";

    @TempDir
    Path tmp;

    private static Map<String, String> config(String backend, Path data) {
        return backend.equals("s3") ? E2eStorage.s3Config(data) : Map.of("strata.storage.type", "local");
    }

    private static CqlSession connect(GatewayProcess gateway) {
        // DDL over S3 is a dozen object requests: more than the driver's 2 s default on 2 shared cores
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", gateway.port()))
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build())
                .withLocalDatacenter("datacenter1").withAuthCredentials("token", gateway.devToken()).build();
    }

    /** An instant strictly between what was written before and what is written after (the clock moves on). */
    private static String instant() throws InterruptedException {
        Thread.sleep(300);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Thread.sleep(300);
        return at.toString();
    }

    private static String status(CqlSession session, String ks, String table) {
        Row r = session.execute("SELECT status FROM system_schema_mcs.tables WHERE keyspace_name = ? AND table_name = ?",
                ks, table).one();
        return r == null ? null : r.getString("status");
    }

    /** Polls system_schema_mcs.tables.status, as Keyspaces' documentation says to, until ACTIVE. */
    private static void awaitActive(CqlSession session, String ks, String table) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        String s;
        while (!"ACTIVE".equals(s = status(session, ks, table))) {
            assertThat(s).as("%s.%s was removed (its restore failed)", ks, table).isNotNull();
            assertThat(Instant.now()).as("%s.%s still %s", ks, table, s).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static Map<Integer, String> rows(CqlSession session, String table) {
        Map<Integer, String> out = new TreeMap<>();
        for (Row r : session.execute("SELECT k, v FROM " + table)) {
            out.put(r.getInt("k"), r.getString("v"));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void restoresAfterDropAndOfANameCreatedAgain(String backend) throws Exception {
        Path data = tmp.resolve(backend);
        try (GatewayProcess gateway = new GatewayProcess(data, config(backend, data)).start();
                CqlSession session = connect(gateway)) {
            session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE shop.orders (k int PRIMARY KEY, v text)" + PITR);
            assertThat(session.execute("SELECT custom_properties FROM system_schema_mcs.tables WHERE keyspace_name ="
                    + " 'shop' AND table_name = 'orders'").one().getMap("custom_properties", String.class, Map.class)
                    .get("point_in_time_recovery")).isEqualTo(Map.of("status", "enabled"));
            for (int i = 0; i < 20; i++) {
                session.execute("INSERT INTO shop.orders (k, v) VALUES (?, ?)", i, "first-" + i);
            }
            String firstLife = instant();
            session.execute("UPDATE shop.orders SET v = 'changed' WHERE k = 1");
            session.execute("DELETE FROM shop.orders WHERE k = 2");
            String beforeDrop = instant();
            session.execute("DROP TABLE shop.orders");
            Thread.sleep(300);
            // the name again, another table
            session.execute("CREATE TABLE shop.orders (k int PRIMARY KEY, v text, note text)" + PITR);
            session.execute("INSERT INTO shop.orders (k, v, note) VALUES (100, 'second', 'new life')");
            instant();

            session.execute("RESTORE TABLE shop.orders_t1 FROM TABLE shop.orders WITH restore_timestamp = '"
                    + firstLife + "'");
            assertThat(status(session, "shop", "orders_t1")).isIn("RESTORING", "ACTIVE");
            session.execute("RESTORE TABLE shop.orders_t2 FROM TABLE shop.orders WITH restore_timestamp = '"
                    + beforeDrop + "'");
            session.execute("RESTORE TABLE shop.orders_now FROM TABLE shop.orders");
            awaitActive(session, "shop", "orders_t1");
            awaitActive(session, "shop", "orders_t2");
            awaitActive(session, "shop", "orders_now");

            Map<Integer, String> t1 = rows(session, "shop.orders_t1");
            assertThat(t1).hasSize(20).containsEntry(1, "first-1").containsEntry(2, "first-2");
            Map<Integer, String> t2 = rows(session, "shop.orders_t2");
            assertThat(t2).hasSize(19).containsEntry(1, "changed").doesNotContainKey(2);
            assertThat(session.execute("SELECT * FROM shop.orders_t2").getColumnDefinitions().size()).isEqualTo(2);
            assertThat(rows(session, "shop.orders_now")).containsExactly(Map.entry(100, "second"));
            assertThat(session.execute("SELECT note FROM shop.orders_now WHERE k = 100").one().getString("note"))
                    .isEqualTo("new life");
            // the sources are untouched and the restored tables are ordinary tables
            assertThat(rows(session, "shop.orders")).containsExactly(Map.entry(100, "second"));
            session.execute("INSERT INTO shop.orders_t1 (k, v) VALUES (999, 'written after the restore')");
            assertThat(rows(session, "shop.orders_t1")).hasSize(21);

            // a dropped table without a timestamp comes back as it was when dropped
            session.execute("CREATE TABLE shop.gone (k int PRIMARY KEY, v text)" + PITR);
            session.execute("INSERT INTO shop.gone (k, v) VALUES (1, 'last words')");
            Thread.sleep(300);
            session.execute("DROP TABLE shop.gone");
            session.execute("RESTORE TABLE shop.gone_again FROM TABLE shop.gone");
            awaitActive(session, "shop", "gone_again");
            assertThat(rows(session, "shop.gone_again")).containsExactly(Map.entry(1, "last words"));
            gateway.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aBackupOutlivesItsTableAndRestoresIntoANewOne(String backend) throws Exception {
        Path data = tmp.resolve("backup-" + backend);
        try (GatewayProcess gateway = new GatewayProcess(data, config(backend, data)).start();
                CqlSession session = connect(gateway)) {
            session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE shop.ledger (k int PRIMARY KEY, v text)");
            for (int i = 0; i < 30; i++) {
                session.execute("INSERT INTO shop.ledger (k, v) VALUES (?, ?)", i, "entry-" + i);
            }
            HttpResponse<String> created = gateway.adminPost("/admin/tenants/dev/backups",
                    "{\"keyspace\": \"shop\", \"table\": \"ledger\", \"name\": \"ledger-eod\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            session.execute("INSERT INTO shop.ledger (k, v) VALUES (100, 'after the backup')");
            session.execute("DROP TABLE shop.ledger");
            assertThat(get(gateway, "/admin/tenants/dev/backups").body()).contains("ledger-eod");

            HttpResponse<String> restore = gateway.adminPost("/admin/tenants/dev/backups/ledger-eod/restore",
                    "{\"keyspace\": \"shop\", \"table\": \"ledger\"}");
            assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
            awaitActive(session, "shop", "ledger");
            Map<Integer, String> back = rows(session, "shop.ledger");
            assertThat(back).hasSize(30).containsEntry(29, "entry-29").doesNotContainKey(100);
            gateway.stop();
        }
    }

    @Test
    void killedRightAfterARestoreIsAcceptedTheTableEndsActiveOrGoneAndTheSourceIsIntact() throws Exception {
        Path data = tmp.resolve("kill");
        try (GatewayProcess gateway = new GatewayProcess(data, Map.of("strata.storage.type", "local")).start()) {
            try (CqlSession session = connect(gateway)) {
                session.execute("CREATE KEYSPACE shop WITH replication = {'class': 'SingleRegionStrategy'}");
                session.execute("CREATE TABLE shop.big (k int PRIMARY KEY, v text)" + PITR);
                var insert = session.prepare("INSERT INTO shop.big (k, v) VALUES (?, ?)");
                List<java.util.concurrent.CompletableFuture<?>> pending = new java.util.ArrayList<>();
                for (int i = 0; i < 5000; i++) {
                    pending.add(session.executeAsync(insert.bind(i, "v" + i + "-" + "x".repeat(200)))
                            .toCompletableFuture());
                    if (pending.size() == 64) {
                        pending.forEach(java.util.concurrent.CompletableFuture::join);
                        pending.clear();
                    }
                }
                pending.forEach(java.util.concurrent.CompletableFuture::join);
                session.execute("RESTORE TABLE shop.big_copy FROM TABLE shop.big");
            }
            gateway.kill();
            gateway.start();
            try (CqlSession session = connect(gateway)) {
                Instant deadline = Instant.now().plusSeconds(120);
                String s;
                while ("RESTORING".equals(s = status(session, "shop", "big_copy")) && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                assertThat(s).as("the restore after the restart").isIn("ACTIVE", null);
                if ("ACTIVE".equals(s)) {
                    assertThat(session.execute("SELECT count(*) FROM shop.big_copy").one().getLong(0)).isEqualTo(5000);
                }
                assertThat(session.execute("SELECT count(*) FROM shop.big").one().getLong(0)).isEqualTo(5000);
                assertThat(session.execute("SELECT v FROM shop.big WHERE k = 4321").one().getString("v"))
                        .startsWith("v4321-");
            }
            gateway.stop();
        }
    }

    private static HttpResponse<String> get(GatewayProcess gateway, String path) throws Exception {
        String operator = Files.readString(gateway.dataDir().resolve("operator-token"), StandardCharsets.UTF_8).trim();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.httpPort() + path)).header("Authorization", "Bearer " + operator).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One row of the model: its values by column, and when it expires (TTL; Long.MAX_VALUE: never). */
    private record Cells(Map<String, String> values, long expiresAtMillis) {}

    /**
     * The history test: writes, overwrites, deletes, TTLs and a schema change at known instants (two writes inside
     * one second among them; a flush and a major compaction in the middle), then a restore at each instant compared
     * cell by cell with the model's state at that instant (rows whose TTL has run out since are gone in both).
     */
    @Test
    void aRestoreAtEachInstantEqualsTheModelThen() throws Exception {
        Path data = tmp.resolve("history");
        try (GatewayProcess gateway = new GatewayProcess(data, Map.of("strata.storage.type", "local")).start();
                CqlSession session = connect(gateway)) {
            session.execute("CREATE KEYSPACE h WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE h.t (k int PRIMARY KEY, a text, b int)" + PITR);
            Map<Integer, Cells> model = new TreeMap<>();
            List<Map.Entry<String, Map<Integer, Cells>>> instants = new java.util.ArrayList<>();
            java.util.function.Consumer<String> snapshot = at -> {
                Map<Integer, Cells> copy = new TreeMap<>();
                model.forEach((k, c) -> copy.put(k, new Cells(new TreeMap<>(c.values()), c.expiresAtMillis())));
                instants.add(Map.entry(at, copy));
            };
            for (int k = 0; k < 6; k++) {
                session.execute("INSERT INTO h.t (k, a, b) VALUES (?, ?, ?)", k, "a" + k, k);
                model.put(k, new Cells(new TreeMap<>(Map.of("a", "a" + k, "b", String.valueOf(k))), Long.MAX_VALUE));
            }
            snapshot.accept(instant());

            session.execute("UPDATE h.t SET a = 'changed' WHERE k = 1");
            model.get(1).values().put("a", "changed");
            session.execute("DELETE FROM h.t WHERE k = 2");
            model.remove(2);
            session.execute("INSERT INTO h.t (k, a, b) VALUES (10, 'short', 10) USING TTL 2");
            model.put(10, new Cells(new TreeMap<>(Map.of("a", "short", "b", "10")), System.currentTimeMillis() + 2000));
            session.execute("INSERT INTO h.t (k, a, b) VALUES (11, 'long', 11) USING TTL 3600");
            model.put(11, new Cells(new TreeMap<>(Map.of("a", "long", "b", "11")), Long.MAX_VALUE));
            session.execute("DELETE b FROM h.t WHERE k = 3");
            model.get(3).values().remove("b");
            snapshot.accept(instant());

            session.execute("ALTER TABLE h.t ADD c text"); // instants before it restore without the column
            session.execute("UPDATE h.t SET c = 'new' WHERE k = 4");
            model.get(4).values().put("c", "new");
            session.execute("UPDATE h.t SET a = 'first' WHERE k = 5"); // two writes inside one second
            session.execute("UPDATE h.t SET a = 'second' WHERE k = 5");
            model.get(5).values().put("a", "second");
            snapshot.accept(instant());

            var compacted = gateway.adminPost("/admin/storage/compact", ""); // a flush and a major compaction
            assertThat(compacted.statusCode()).as(compacted.body()).isEqualTo(200);
            session.execute("UPDATE h.t SET a = 'after-compaction' WHERE k = 0");
            model.get(0).values().put("a", "after-compaction");
            session.execute("DELETE FROM h.t WHERE k = 11");
            model.remove(11);
            snapshot.accept(instant());
            session.execute("INSERT INTO h.t (k, a) VALUES (99, 'after-every-instant')");
            Thread.sleep(2500); // the 2 s TTL has run out: gone from the source and from every restore

            int n = 0;
            for (var at : instants) {
                String target = "r" + n++;
                session.execute("RESTORE TABLE h." + target + " FROM TABLE h.t WITH restore_timestamp = '"
                        + at.getKey() + "'");
                awaitActive(session, "h", target);
                boolean hasC = n >= 3;
                Map<Integer, Map<String, String>> expected = new TreeMap<>();
                at.getValue().forEach((k, c) -> {
                    if (c.expiresAtMillis() > System.currentTimeMillis()) {
                        expected.put(k, c.values());
                    }
                });
                Map<Integer, Map<String, String>> actual = new TreeMap<>();
                for (Row r : session.execute("SELECT * FROM h." + target)) {
                    Map<String, String> cells = new TreeMap<>();
                    if (!r.isNull("a")) {
                        cells.put("a", r.getString("a"));
                    }
                    if (!r.isNull("b")) {
                        cells.put("b", String.valueOf(r.getInt("b")));
                    }
                    if (hasC && !r.isNull("c")) {
                        cells.put("c", r.getString("c"));
                    }
                    actual.put(r.getInt("k"), cells);
                }
                assertThat(actual).as("restored at %s", at.getKey()).isEqualTo(expected);
                assertThat(session.execute("SELECT column_name FROM system_schema.columns WHERE keyspace_name = 'h' "
                        + "AND table_name = ?", target).all().stream().map(r -> r.getString("column_name")))
                        .as("the schema at %s", at.getKey()).containsExactlyInAnyOrderElementsOf(
                                hasC ? List.of("k", "a", "b", "c") : List.of("k", "a", "b"));
            }
            Map<Integer, String> source = new TreeMap<>();
            for (Row r : session.execute("SELECT k, a FROM h.t")) {
                source.put(r.getInt("k"), r.getString("a"));
            }
            assertThat(source).as("the source is untouched").containsEntry(99, "after-every-instant")
                    .containsEntry(0, "after-compaction").doesNotContainKey(10);
        }
    }
}
