package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.Message;
import com.datastax.oss.protocol.internal.ProtocolConstants;
import com.datastax.oss.protocol.internal.response.Error;
import io.strata.cql.schema.Restores;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.testing.CqlFixture;
import io.strata.storage.engine.testing.MutableClock;
import io.strata.cql.testing.RestoreFixtures;
import io.strata.cql.types.NativeType;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time recovery at the CQL level: the {@code point_in_time_recovery} custom property, and RESTORE TABLE's
 * validation (every refusal happens before storage is asked, so these need no restore support from the engine).
 */
final class TestPointInTimeRecovery {
    private static final Instant T0 = Instant.parse("2026-12-01T04:00:00Z");
    private static final String ENABLE = " WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'enabled'}}";

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

    @Test
    void pitrIsDisabledByDefaultAndShownAsSetWithoutItsInternalStamp() {
        db.ok("CREATE TABLE plain (k int PRIMARY KEY)");
        assertThat(db.customProperties("plain")).contains("'point_in_time_recovery': {'status': 'disabled'}");
        db.ok("CREATE TABLE t (k int PRIMARY KEY, v text)" + ENABLE);
        assertThat(db.customProperties("t")).contains("'point_in_time_recovery': {'status': 'enabled'}")
                .doesNotContain("strata_enabled_since");
        assertThat(SchemaService.storageSettings(db.schemas.cached("dev").table("ks", "t").orElseThrow())
                .pointInTimeRecovery()).isTrue();
        assertThat(SchemaService.storageSettings(db.schemas.cached("dev").table("ks", "plain").orElseThrow())
                .pointInTimeRecovery()).isFalse();
        db.ok("ALTER TABLE plain WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'ENABLED'}}");
        assertThat(db.customProperties("plain")).contains("'point_in_time_recovery': {'status': 'enabled'}");
        db.ok("ALTER TABLE t WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'disabled'}}");
        assertThat(db.customProperties("t")).contains("'point_in_time_recovery': {'status': 'disabled'}");
        assertThat(SchemaService.storageSettings(db.schemas.cached("dev").table("ks", "t").orElseThrow())
                .pointInTimeRecovery()).isFalse();
    }

    @Test
    void badPitrValuesAreRefusedWithAReason() {
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'point_in_time_recovery':"
                + " {'status': 'on'}}")).isEqualTo("'point_in_time_recovery' status must be 'enabled' or 'disabled', not 'on'");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'point_in_time_recovery':"
                + " 'enabled'}")).isEqualTo("'point_in_time_recovery' must be a map such as {'status': 'enabled'}");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'point_in_time_recovery':"
                + " {'state': 'enabled'}}")).isEqualTo("Unknown property 'state' in 'point_in_time_recovery'; known: status");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'point_in_time_recovery':"
                + " {}}")).isEqualTo("'point_in_time_recovery' needs a status: 'enabled' or 'disabled'");
    }

    @Test
    void aRestoreNeedsPitrOnTheSource() {
        db.ok("CREATE TABLE plain (k int PRIMARY KEY)");
        assertThat(db.invalid("RESTORE TABLE ks.r FROM TABLE ks.plain")).isEqualTo("Point-in-time recovery is not enabled"
                + " on ks.plain; enable it with ALTER TABLE ks.plain WITH CUSTOM_PROPERTIES = {'point_in_time_recovery':"
                + " {'status': 'enabled'}}");
        db.ok("DROP TABLE plain");
        assertThat(db.invalid("RESTORE TABLE ks.r FROM TABLE ks.plain"))
                .isEqualTo("Point-in-time recovery is not enabled on ks.plain (it was not when the table was dropped)");
    }

    @Test
    void theInstantMustBeInsideTheWindowAndNotInTheFuture() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY)" + ENABLE);
        clock.advance(Duration.ofMinutes(10));
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = '2026-12-01T05:00:00Z'"))
                .isEqualTo("restore_timestamp 2026-12-01T05:00:00Z is in the future (now is 2026-12-01T04:10:00Z)");
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = 'yesterday'"))
                .isEqualTo("Invalid restore_timestamp 'yesterday': use an ISO-8601 instant with a zone, such as"
                        + " '2026-12-01T04:05:00Z'");
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = '2026-12-01T03:59:59Z'"))
                .isEqualTo("Table ks.t did not exist at 2026-12-01T03:59:59Z");
        clock.advance(Duration.ofDays(36));
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = '2026-12-02T04:00:00+0000'"))
                .isEqualTo("restore_timestamp 2026-12-02T04:00:00Z is before the earliest restorable time of ks.t,"
                        + " 2026-12-02T04:10:00Z (the window is the 35 days before now, from when point-in-time"
                        + " recovery was enabled)");
    }

    @Test
    void theWindowStartsWhenPitrWasLastEnabled() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY)");
        clock.advance(Duration.ofHours(1));
        db.ok("ALTER TABLE t" + ENABLE);
        clock.advance(Duration.ofHours(1));
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = '2026-12-01T04:30:00.000+00:00'"))
                .isEqualTo("restore_timestamp 2026-12-01T04:30:00Z is before the earliest restorable time of ks.t,"
                        + " 2026-12-01T05:00:00Z (the window is the 35 days before now, from when point-in-time"
                        + " recovery was enabled)");
        // an unrelated ALTER keeps the stamp; disabling and enabling again starts a new window
        db.ok("ALTER TABLE t WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PAY_PER_REQUEST'}}");
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = '2026-12-01T04:59:00Z'"))
                .contains("earliest restorable time of ks.t, 2026-12-01T05:00:00Z");
        db.ok("ALTER TABLE t WITH CUSTOM_PROPERTIES = {'point_in_time_recovery': {'status': 'disabled'}}");
        clock.advance(Duration.ofMinutes(1));
        db.ok("ALTER TABLE t" + ENABLE);
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH restore_timestamp = '2026-12-01T05:30:00Z'"))
                .contains("earliest restorable time of ks.t, 2026-12-01T06:01:00Z");
    }

    @Test
    void theTargetMustBeNewAndTheSourceMustExist() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY)" + ENABLE);
        db.ok("CREATE TABLE taken (k int PRIMARY KEY)");
        Message m = db.run("RESTORE TABLE taken FROM TABLE t");
        assertThat(m).isInstanceOf(Error.class);
        assertThat(((Error) m).code).isEqualTo(ProtocolConstants.ErrorCode.ALREADY_EXISTS);
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE nothing")).isEqualTo("Table 'ks.nothing' doesn't exist");
        assertThat(db.invalid("RESTORE TABLE nowhere.r FROM TABLE t")).isEqualTo("Keyspace 'nowhere' doesn't exist");
        assertThat(db.invalid("RESTORE TABLE \"bad-name\" FROM TABLE t")).startsWith("Table name must not be empty");
    }

    @Test
    void onlyKeyspacesRestoreOptionsAreAccepted() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY)" + ENABLE);
        Message m = db.run("RESTORE TABLE r FROM TABLE t WITH comment = 'x'");
        assertThat(((Error) m).code).isEqualTo(ProtocolConstants.ErrorCode.SYNTAX_ERROR);
        assertThat(((Error) m).message).isEqualTo("Unknown property 'comment' for RESTORE TABLE; known:"
                + " restore_timestamp, custom_properties, autoscaling_settings, tags");
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH custom_properties = {'ttl': {'status': 'enabled'}}"))
                .isEqualTo("RESTORE TABLE may override capacity_mode, encryption_specification and"
                        + " point_in_time_recovery in custom_properties, not 'ttl'");
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE t WITH custom_properties = {'capacity_mode':"
                + " {'throughput_mode': 'FREE'}}")).isEqualTo("Invalid throughput_mode 'FREE': use PAY_PER_REQUEST or PROVISIONED");
    }

    @Test
    void restoringIntoASystemKeyspaceIsRefused() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY)" + ENABLE);
        Message m = db.run("RESTORE TABLE system.r FROM TABLE ks.t");
        assertThat(((Error) m).code).isEqualTo(ProtocolConstants.ErrorCode.UNAUTHORIZED);
        assertThat(db.invalid("RESTORE TABLE r FROM TABLE system.local"))
                .isEqualTo("Cannot RESTORE TABLE from system keyspace system");
    }

    @Test
    void aTableRestoringIsShownAndRefusesReadsWritesAndDdl() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY, v text)" + ENABLE);
        RestoreFixtures.markRestoring(db, "ks", "r", "ks.t");
        assertThat(CqlFixture.rows(db.run("SELECT status FROM system_schema_mcs.tables WHERE keyspace_name = 'ks'"
                + " AND table_name = 'r'"), NativeType.TEXT)).containsExactly(CqlFixture.row("'RESTORING'"));
        assertThat(CqlFixture.rows(db.run("SELECT status FROM system_schema_mcs.tables WHERE keyspace_name = 'ks'"
                + " AND table_name = 't'"), NativeType.TEXT)).containsExactly(CqlFixture.row("'ACTIVE'"));
        String notActive = "Table ks.r is not ACTIVE: it is being restored (status RESTORING in"
                + " system_schema_mcs.tables); retry once it is ACTIVE";
        assertThat(db.invalid("SELECT * FROM r")).isEqualTo(notActive);
        assertThat(db.invalid("INSERT INTO r (k, v) VALUES (1, 'x')")).isEqualTo(notActive);
        assertThat(db.invalid("TRUNCATE r")).isEqualTo(notActive);
        assertThat(db.invalid("ALTER TABLE r WITH comment = 'x'"))
                .isEqualTo("Table ks.r is RESTORING: it can be altered once the restore is ACTIVE");
        assertThat(db.invalid("DROP TABLE r")).isEqualTo("Table ks.r is RESTORING: it can be dropped once the restore is ACTIVE");
        assertThat(db.invalid("DROP KEYSPACE ks")).isEqualTo("Table ks.r is RESTORING: it can be dropped once the restore is ACTIVE");
    }

    @Test
    void atMostFourRestoresRunAtOnce() {
        db.ok("CREATE TABLE t (k int PRIMARY KEY)" + ENABLE);
        for (int i = 1; i <= 4; i++) {
            RestoreFixtures.markRestoring(db, "ks", "r" + i, "ks.t");
        }
        assertThat(db.invalid("RESTORE TABLE r5 FROM TABLE t")).isEqualTo("Too many restores in progress: at most 4 may"
                + " run at once (ks.r1, ks.r2, ks.r3, ks.r4 are RESTORING); try again when one is ACTIVE");
    }
}
