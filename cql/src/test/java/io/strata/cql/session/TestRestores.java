package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cql.exec.ddl.Recovery;
import io.strata.cql.schema.Restores;
import io.strata.cql.testing.CqlFixture;
import io.strata.storage.engine.testing.MutableClock;
import io.strata.cql.types.NativeType;
import io.strata.storage.spi.TableId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Restores end to end on the real in-memory engine: RESTORE TABLE at an instant, after a DROP, of a name created
 * again, and from an on-demand backup; RESTORING then ACTIVE; the completed restore is reported with its bytes.
 * These need the engine's restore (storage-engine), not only the SPI's defaults.
 */
final class TestRestores {
    private static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");
    private static final String ENABLE = " WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'enabled'}}";

    private MutableClock clock;
    private CqlFixture db;
    private final List<Long> billed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        clock = new MutableClock(T0);
        db = CqlFixture.open(clock, new Restores.Options(Duration.ofDays(35), 4, Duration.ofMillis(20)));
        db.schemas.restores().listener((TableId target, io.strata.cql.schema.RestoreState r, long bytes) -> billed.add(bytes));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private String status(String table) {
        List<List<String>> rows = CqlFixture.rows(db.run("SELECT status FROM system_schema_mcs.tables WHERE"
                + " keyspace_name = 'ks' AND table_name = '" + table + "'"), NativeType.TEXT);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    private void awaitActive(String table) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"'ACTIVE'".equals(status(table))) {
            assertThat(status(table)).as("%s was removed: %s", table, db.schemas.restores().list("dev")).isNotNull();
            assertThat(System.nanoTime()).as("%s still RESTORING", table).isLessThan(deadline);
            sleep(20);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<List<String>> rows(String cql) {
        return CqlFixture.rows(db.run(cql), NativeType.INT, NativeType.TEXT);
    }

    @Test
    void aRestoreBringsBackTheTableAsItWasAtTheInstant() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY, v text)" + ENABLE);
        clock.advance(Duration.ofSeconds(1));
        db.ok("INSERT INTO t (k, v) VALUES (1, 'a')");
        db.ok("INSERT INTO t (k, v) VALUES (2, 'b')");
        clock.advance(Duration.ofSeconds(1)); // 04:00:02, the instant restored
        clock.advance(Duration.ofSeconds(1));
        db.ok("UPDATE t SET v = 'changed' WHERE k = 1");
        db.ok("DELETE FROM t WHERE k = 2");
        db.ok("INSERT INTO t (k, v) VALUES (3, 'c')");

        db.ok("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = '2026-12-01T04:00:02Z'");
        awaitActive("r");
        assertThat(rows("SELECT k, v FROM r")).containsExactlyInAnyOrder(CqlFixture.row("1", "'a'"),
                CqlFixture.row("2", "'b'"));
        assertThat(rows("SELECT k, v FROM t")).containsExactlyInAnyOrder(CqlFixture.row("1", "'changed'"),
                CqlFixture.row("3", "'c'"));
        // the restored table inherits PITR, and is an ordinary table now
        assertThat(db.customProperties("r")).contains("'point_in_time_recovery': {'status': 'enabled'}");
        db.ok("INSERT INTO r (k, v) VALUES (9, 'new')");
        assertThat(db.schemas.restores().status("dev", "ks", "r")).hasValueSatisfying(p -> {
            assertThat(p.status()).isEqualTo("ACTIVE");
            assertThat(p.percent()).isEqualTo(100);
            assertThat(p.source()).isEqualTo("ks.t");
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (billed.isEmpty() && System.nanoTime() < deadline) {
            sleep(10);
        }
        assertThat(billed).as("the completed restore is reported once, with its bytes").hasSize(1);
    }

    @Test
    void aDroppedTableIsRestoredAsItWasWhenDropped() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY, v text)" + ENABLE);
        clock.advance(Duration.ofSeconds(1));
        db.ok("INSERT INTO t (k, v) VALUES (1, 'kept')");
        clock.advance(Duration.ofSeconds(5));
        db.ok("DROP TABLE t");
        clock.advance(Duration.ofMinutes(5));
        db.ok("RESTORE TABLE t_restored FROM TABLE t");
        awaitActive("t_restored");
        assertThat(rows("SELECT k, v FROM t_restored")).containsExactly(CqlFixture.row("1", "'kept'"));
    }

    @Test
    void aNameDroppedAndCreatedAgainRestoresTheIncarnationLiveAtTheInstant() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY, v text)" + ENABLE);
        clock.advance(Duration.ofSeconds(1));
        db.ok("INSERT INTO t (k, v) VALUES (1, 'first life')");
        clock.advance(Duration.ofSeconds(1)); // 04:00:02
        clock.advance(Duration.ofSeconds(1));
        db.ok("DROP TABLE t");
        clock.advance(Duration.ofSeconds(1));
        db.ok("CREATE TABLE t (k int PRIMARY KEY, v text, w int)" + ENABLE);
        clock.advance(Duration.ofSeconds(1));
        db.ok("INSERT INTO t (k, v, w) VALUES (1, 'second life', 2)");
        clock.advance(Duration.ofSeconds(1));

        db.ok("RESTORE TABLE old FROM TABLE t WITH restore_timestamp = '2026-12-01T04:00:02Z'");
        db.ok("RESTORE TABLE recent FROM TABLE t");
        awaitActive("old");
        awaitActive("recent");
        assertThat(rows("SELECT k, v FROM old")).containsExactly(CqlFixture.row("1", "'first life'"));
        assertThat(CqlFixture.columnNames(db.run("SELECT * FROM old"))).containsExactly("k", "v");
        assertThat(rows("SELECT k, v FROM recent")).containsExactly(CqlFixture.row("1", "'second life'"));
        assertThat(CqlFixture.columnNames(db.run("SELECT * FROM recent"))).containsExactly("k", "v", "w");
    }

    @Test
    void aBackupOutlivesItsTableAndRestoresIntoANewOne() {
        Recovery recovery = new Recovery(db.schemas);
        db.ok("CREATE TABLE t (k int PRIMARY KEY, v text)");
        db.ok("INSERT INTO t (k, v) VALUES (1, 'backed up')");
        recovery.backup("dev", "ks", "t", "nightly").toCompletableFuture().join();
        db.ok("INSERT INTO t (k, v) VALUES (2, 'after the backup')");
        assertThatThrownBy(() -> recovery.backup("dev", "ks", "t", "nightly").toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Backup 'nightly' exists; backups are immutable");
        db.ok("DROP TABLE t");
        assertThat(recovery.backups("dev").toCompletableFuture().join()).singleElement()
                .satisfies(b -> assertThat(Recovery.backupTable(b).name()).isEqualTo("t"));

        recovery.restoreBackup("dev", "nightly", "ks", "t").toCompletableFuture().join();
        awaitActive("t");
        assertThat(rows("SELECT k, v FROM t")).containsExactly(CqlFixture.row("1", "'backed up'"));
        recovery.deleteBackup("dev", "nightly").toCompletableFuture().join();
        assertThat(recovery.backups("dev").toCompletableFuture().join()).isEmpty();
    }
}
