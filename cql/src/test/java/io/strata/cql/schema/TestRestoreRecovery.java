package io.strata.cql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.testing.CqlFixture;
import io.strata.storage.engine.testing.MutableClock;
import io.strata.cql.testing.RestoreFixtures;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Restores a restart finds RESTORING in the schema are finished or removed, from what the engine says. */
final class TestRestoreRecovery {
    private static final Restores.Options FAST = new Restores.Options(Duration.ofDays(35), 4, Duration.ofMillis(20));

    @Test
    void aRestoreTheEngineKnowsNothingOfIsRemovedAtStartUp() throws InterruptedException {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T04:00:00Z"));
        try (CqlFixture db = CqlFixture.open(clock, FAST)) {
            db.ok("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'enabled'}}");
            // committed RESTORING, then the process died before the engine was asked to restore
            RestoreFixtures.markRestoring(db, "ks", "r", "ks.t");

            SchemaService restarted = new SchemaService(db.engine, new LocalSchemaEvents(), clock, FAST);
            assertThat(restarted.schema("dev").toCompletableFuture().join().table("ks", "r")).isPresent();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((restarted.cached("dev").table("ks", "r").isPresent()
                    || restarted.restores().list("dev").stream().noneMatch(p -> p.status().equals("FAILED")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(restarted.cached("dev").table("ks", "r")).as("removed after the restart").isEmpty();
            assertThat(restarted.cached("dev").table("ks", "t")).isPresent();
            assertThat(restarted.restores().list("dev")).singleElement().satisfies(p -> {
                assertThat(p.status()).isEqualTo("FAILED");
                assertThat(p.table()).isEqualTo("r");
                assertThat(p.source()).isEqualTo("ks.t");
                assertThat(p.error()).isEqualTo("the storage engine knows no restore into this table (interrupted before"
                        + " it started)");
            });
        }
    }
}
