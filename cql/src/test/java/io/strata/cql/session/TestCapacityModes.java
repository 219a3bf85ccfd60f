package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.protocol.internal.response.Error;
import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.testing.CqlFixture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Keyspaces' capacity_mode custom property: validated, shown in system_schema_mcs and DESCRIBE, and switched
 * back to on demand only once per wait period.
 */
final class TestCapacityModes {
    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    private String customProperties(String table) {
        return db.customProperties(table);
    }

    private String describe(String table) {
        var m = db.run("DESCRIBE TABLE ks." + table);
        return String.join("\n", CqlFixture.rows(m, io.strata.cql.types.NativeType.TEXT, io.strata.cql.types.NativeType.TEXT,
                io.strata.cql.types.NativeType.TEXT, io.strata.cql.types.NativeType.TEXT).get(0)).replace("''", "'");
    }

    @Test
    void modesAreValidatedWithActionableMessages() {
        assertThat(db.invalid("CREATE TABLE t1 (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 10}}"))
                .contains("needs both read_capacity_units and write_capacity_units");
        assertThat(db.invalid("CREATE TABLE t1 (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'throughput_mode': 'FAST'}}")).contains("Invalid throughput_mode 'FAST'");
        assertThat(db.invalid("CREATE TABLE t1 (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 0, 'write_capacity_units': 5}}"))
                .contains("between 1 and 40000");
        assertThat(db.invalid("CREATE TABLE t1 (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'throughput_mode': 'PAY_PER_REQUEST', 'read_capacity_units': 5}}"))
                .contains("apply only to throughput_mode PROVISIONED");
        assertThat(db.invalid("CREATE TABLE t1 (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 'ten', 'write_capacity_units': 5}}"))
                .contains("whole number");
        assertThat(db.invalid("CREATE TABLE t1 (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'mode': 'PROVISIONED'}}")).contains("Unknown capacity_mode property 'mode'");
    }

    @Test
    void provisionedTablesShowTheirUnitsInTheSchemaAndDescribe() {
        db.ok("CREATE TABLE p (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'throughput_mode': 'provisioned', 'read_capacity_units': 30, 'write_capacity_units': 20}}");
        db.ok("CREATE TABLE d (k int PRIMARY KEY)");
        String p = customProperties("p");
        assertThat(p).contains("PROVISIONED").contains("30").contains("20");
        String describedP = describe("p");
        assertThat(describedP).contains("AND CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PROVISIONED',"
                + " 'read_capacity_units': 30, 'write_capacity_units': 20}}");
        assertThat(describe("d")).doesNotContain("CUSTOM_PROPERTIES");
        String d = customProperties("d");
        assertThat(d).contains("PAY_PER_REQUEST").contains("last_update_to_pay_per_request_timestamp");
        // units may change at any time; so may the mode towards provisioned
        db.ok("ALTER TABLE p WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PROVISIONED',"
                + " 'read_capacity_units': 300, 'write_capacity_units': 200}}");
        assertThat(describe("p")).contains("'read_capacity_units': 300");
        db.ok("ALTER TABLE d WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PROVISIONED',"
                + " 'read_capacity_units': 1, 'write_capacity_units': 1}}");
    }

    @Test
    void switchingBackToOnDemandWaitsForThePeriod() {
        // created on demand: back to on demand only 24 h after creation
        db.ok("CREATE TABLE d (k int PRIMARY KEY)");
        db.ok("ALTER TABLE d WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PROVISIONED',"
                + " 'read_capacity_units': 5, 'write_capacity_units': 5}}");
        assertThat(db.invalid("ALTER TABLE d WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode':"
                + " 'PAY_PER_REQUEST'}}")).contains("ks.d").contains("only once per 24 h").contains("try again after");
        // created provisioned: it may go on demand once, then waits
        db.ok("CREATE TABLE p (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'capacity_mode':"
                + " {'throughput_mode': 'PROVISIONED', 'read_capacity_units': 5, 'write_capacity_units': 5}}");
        db.ok("ALTER TABLE p WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PAY_PER_REQUEST'}}");
        db.ok("ALTER TABLE p WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PROVISIONED',"
                + " 'read_capacity_units': 5, 'write_capacity_units': 5}}");
        db.invalid("ALTER TABLE p WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PAY_PER_REQUEST'}}");
        // a configured wait of zero allows it (another handler over the same storage: the schema is shared)
        db.handler = CqlRequestHandler.assemble(db.engine, new SchemaService(db.engine, new LocalSchemaEvents()),
                () -> CqlFixture.NODE, Clock.systemUTC(), List.of(), PagingKey.random(),
                PreparedCacheLimits.defaults(), Duration.ZERO);
        db.ok("ALTER TABLE p WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PAY_PER_REQUEST'}}");
    }

    @Test
    void autoscalingSettingsAreValidatedAndShownInDescribe() {
        String provisioned = " WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PROVISIONED',"
                + " 'read_capacity_units': 5, 'write_capacity_units': 5}}";
        String policy = "'scaling_policy': {'target_tracking_scaling_policy_configuration': {'target_value': %s}}";
        assertThat(db.invalid("CREATE TABLE a1 (k int PRIMARY KEY)" + provisioned + " AND AUTOSCALING_SETTINGS = "
                + "{'provisioned_write_capacity_autoscaling_update': {'minimum_units': 5, 'maximum_units': 10, "
                + policy.formatted("95") + "}}")).contains("target_value must be between 20 and 90");
        assertThat(db.invalid("CREATE TABLE a1 (k int PRIMARY KEY)" + provisioned + " AND AUTOSCALING_SETTINGS = "
                + "{'provisioned_write_capacity_autoscaling_update': {'minimum_units': 50, 'maximum_units': 10, "
                + policy.formatted("50") + "}}")).contains("must not exceed maximum_units");
        assertThat(db.invalid("CREATE TABLE a1 (k int PRIMARY KEY)" + provisioned + " AND AUTOSCALING_SETTINGS = "
                + "{'write_update': {}}")).contains("Unknown AUTOSCALING_SETTINGS key 'write_update'");
        assertThat(db.invalid("CREATE TABLE a1 (k int PRIMARY KEY) WITH AUTOSCALING_SETTINGS = "
                + "{'provisioned_read_capacity_autoscaling_update': {'minimum_units': 5, 'maximum_units': 10, "
                + policy.formatted("50") + "}}")).contains("throughput_mode PROVISIONED");
        db.ok("CREATE TABLE a1 (k int PRIMARY KEY)" + provisioned + " AND AUTOSCALING_SETTINGS = "
                + "{'provisioned_read_capacity_autoscaling_update': {'minimum_units': 5, 'maximum_units': 10, "
                + "'scaling_policy': {'target_tracking_scaling_policy_configuration': {'target_value': 70,"
                + " 'scale_in_cooldown': 60, 'disable_scale_in': true}}}}");
        assertThat(describe("a1")).contains("AND AUTOSCALING_SETTINGS = {'provisioned_read_capacity_autoscaling_update':"
                + " {'autoscaling_disabled': false, 'minimum_units': 5, 'maximum_units': 10, 'scaling_policy':"
                + " {'target_tracking_scaling_policy_configuration': {'target_value': 70, 'scale_in_cooldown': 60,"
                + " 'scale_out_cooldown': 0, 'disable_scale_in': true}}}}");
        // switching to on demand ends auto scaling (with a zero wait, to switch at once)
        db.handler = CqlRequestHandler.assemble(db.engine, new SchemaService(db.engine, new LocalSchemaEvents()),
                () -> CqlFixture.NODE, Clock.systemUTC(), List.of(), PagingKey.random(),
                PreparedCacheLimits.defaults(), Duration.ZERO);
        db.ok("ALTER TABLE a1 WITH CUSTOM_PROPERTIES = {'capacity_mode': {'throughput_mode': 'PAY_PER_REQUEST'}}");
        assertThat(describe("a1")).doesNotContain("AUTOSCALING_SETTINGS");
    }
}
