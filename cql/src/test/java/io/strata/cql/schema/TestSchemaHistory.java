package io.strata.cql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.testing.CqlFixture;
import io.strata.storage.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schema history restores look tables up in: ALTERs add versions, DROP ends an incarnation, a name dropped and
 * created again is a new incarnation; it is stored in the schema document and pruned after the window.
 */
final class TestSchemaHistory {
    private static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");

    private MutableClock clock;
    private CqlFixture db;

    @BeforeEach
    void open() {
        clock = new MutableClock(T0);
        db = CqlFixture.open(clock, new Restores.Options(Duration.ofDays(35), 4, Duration.ofMillis(20)));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Schema schema() {
        return db.schemas.cached("dev");
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private List<String> columnsAt(String instant) {
        return schema().history().find(schema(), "ks", "t", at(instant)).orElseThrow().atInstant().columns().stream()
                .map(ColumnMetadata::name).toList();
    }

    @Test
    void theSchemaAtAnInstantFollowsAltersDropsAndANameCreatedAgain() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY, a text)");                  // 04:00
        clock.advance(Duration.ofMinutes(10));
        db.ok("ALTER TABLE t ADD b int");                                     // 04:10
        clock.advance(Duration.ofMinutes(10));
        db.ok("ALTER TABLE t DROP a");                                        // 04:20
        java.util.UUID first = schema().table("ks", "t").orElseThrow().id();
        clock.advance(Duration.ofMinutes(10));
        db.ok("DROP TABLE t");                                                // 04:30
        clock.advance(Duration.ofMinutes(10));
        db.ok("CREATE TABLE t (k text PRIMARY KEY, z blob)");                 // 04:40
        java.util.UUID second = schema().table("ks", "t").orElseThrow().id();

        assertThat(schema().history().find(schema(), "ks", "t", at("2026-12-01T03:59:59.999Z"))).isEmpty();
        assertThat(columnsAt("2026-12-01T04:00:00Z")).containsExactly("k", "a");
        assertThat(columnsAt("2026-12-01T04:09:59.999Z")).containsExactly("k", "a");
        assertThat(columnsAt("2026-12-01T04:10:00Z")).containsExactly("k", "a", "b");
        assertThat(columnsAt("2026-12-01T04:29:59Z")).containsExactly("k", "b");
        assertThat(schema().history().find(schema(), "ks", "t", at("2026-12-01T04:29:59Z")).orElseThrow()
                .atInstant().dropped()).containsKey("a");
        // dropped at 04:30: nothing of that name until 04:40, then the new incarnation
        assertThat(schema().history().find(schema(), "ks", "t", at("2026-12-01T04:30:00Z"))).isEmpty();
        assertThat(schema().history().find(schema(), "ks", "t", at("2026-12-01T04:35:00Z"))).isEmpty();
        SchemaHistory.Found old = schema().history().find(schema(), "ks", "t", at("2026-12-01T04:15:00Z")).orElseThrow();
        assertThat(old.atInstant().id()).isEqualTo(first);
        assertThat(old.droppedMillis()).isEqualTo(at("2026-12-01T04:30:00Z"));
        assertThat(old.latest().columns().stream().map(ColumnMetadata::name)).containsExactly("k", "b");
        SchemaHistory.Found now = schema().history().find(schema(), "ks", "t", at("2026-12-01T04:40:00Z")).orElseThrow();
        assertThat(now.atInstant().id()).isEqualTo(second);
        assertThat(now.droppedMillis()).isEqualTo(SchemaHistory.LIVE);
        assertThat(schema().history().named("ks", "t")).extracting(SchemaHistory.Incarnation::id)
                .containsExactly(first, second);
    }

    @Test
    void theHistoryIsStoredWithTheSchemaAndSurvivesARestart() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY, a text)");
        clock.advance(Duration.ofMinutes(1));
        db.ok("DROP KEYSPACE ks");
        Schema before = schema();
        Schema decoded = SchemaCodec.decode(before.version(), SchemaCodec.encode(before));
        assertThat(decoded.keyspaces()).isEmpty();
        assertThat(decoded.history().tables()).hasSize(1);
        SchemaHistory.Incarnation t = decoded.history().tables().get(0);
        assertThat(t.keyspace()).isEqualTo("ks");
        assertThat(t.name()).isEqualTo("t");
        assertThat(t.createdMillis()).isEqualTo(T0.toEpochMilli());
        assertThat(t.droppedMillis()).isEqualTo(T0.toEpochMilli() + 60_000);
        assertThat(t.latest().columns().stream().map(ColumnMetadata::name)).containsExactly("k", "a");
        // a new service over the same engine (a restart) loads it
        SchemaService restarted = new SchemaService(db.engine, new LocalSchemaEvents(), clock, Restores.Options.DEFAULT);
        assertThat(restarted.schema("dev").toCompletableFuture().join().history().tables()).hasSize(1);
    }

    @Test
    void olderSchemaDocumentsDecodeWithoutHistoryAndTheirTablesAreAdoptedAtTheNextChange() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY)");
        Schema s = schema();
        Schema withoutHistory = new Schema(s.version(), s.schemaVersion(), s.keyspaces());
        // what format 2 wrote: format 3 without its trailing history section
        byte[] v3 = SchemaCodec.encode(withoutHistory);
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 4);
        v2[0] = 2;
        Schema old = SchemaCodec.decode(1, v2);
        assertThat(old.history()).isEqualTo(SchemaHistory.EMPTY);
        assertThat(old.table("ks", "t")).isPresent();
        // a live table older than the history is found all the same, with an unknown creation time
        assertThat(old.history().find(old, "ks", "t", 0).orElseThrow().createdMillis()).isEqualTo(SchemaHistory.UNKNOWN);
        SchemaHistory adopted = old.history().advance(old, old.without("ks", java.util.UUID.randomUUID()),
                T0.toEpochMilli(), Duration.ofDays(35));
        assertThat(adopted.tables()).singleElement().satisfies(i -> {
            assertThat(i.createdMillis()).isEqualTo(SchemaHistory.UNKNOWN);
            assertThat(i.droppedMillis()).isEqualTo(T0.toEpochMilli());
        });
    }

    @Test
    void whatLeftTheWindowIsPruned() {
        db.ok("CREATE TABLE gone (k int PRIMARY KEY)");
        db.ok("CREATE TABLE t (k int PRIMARY KEY, a int)");
        clock.advance(Duration.ofDays(1));
        db.ok("DROP TABLE gone");
        db.ok("ALTER TABLE t ADD b int");
        clock.advance(Duration.ofDays(1));
        db.ok("ALTER TABLE t ADD c int");
        clock.advance(Duration.ofDays(35));
        db.ok("CREATE TABLE other (k int PRIMARY KEY)"); // any change prunes
        assertThat(schema().history().named("ks", "gone")).isEmpty();
        SchemaHistory.Incarnation t = schema().history().named("ks", "t").get(0);
        // the version in force at the window's start (day 2: a, b, c) stays; older ones go
        assertThat(t.versions()).hasSize(1);
        assertThat(t.latest().columns().stream().map(ColumnMetadata::name)).containsExactly("k", "a", "b", "c");
    }
}
