package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.testing.CqlFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keyspaces' encryption_specification custom property: validated, normalised and shown in system_schema_mcs. */
final class TestEncryptionSpecification {
    @RegisterExtension
    final CqlFixture db = new CqlFixture();

    private String customProperties(String table) {
        return db.customProperties(table);
    }

    @Test
    void theServiceKeyIsTheDefaultAndMayBeNamed() {
        db.ok("CREATE TABLE d (k int PRIMARY KEY)");
        assertThat(customProperties("d")).contains("encryption_specification").contains("AWS_OWNED_KMS_KEY");
        db.ok("CREATE TABLE e (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'encryption_type': 'aws_owned_kms_key'}}");
        assertThat(customProperties("e")).contains("AWS_OWNED_KMS_KEY");
        db.ok("ALTER TABLE d WITH CUSTOM_PROPERTIES = {'encryption_specification': {'encryption_type': 'AWS_OWNED_KMS_KEY'}}");
    }

    @Test
    void badOrUnsupportedSpecificationsAreRefusedWithAReason() {
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'encryption_type': 'ROT13'}}")).contains("must be AWS_OWNED_KMS_KEY or CUSTOMER_MANAGED_KMS_KEY");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY'}}")).contains("'kms_key_identifier' is required");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_identifier': 'arn:aws:kms:k'}}"))
                .contains("not supported yet");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'encryption_type': 'AWS_OWNED_KMS_KEY', 'kms_key_identifier': 'x'}}"))
                .contains("goes only with CUSTOMER_MANAGED_KMS_KEY");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'type': 'AWS_OWNED_KMS_KEY'}}")).contains("Unknown property 'type'");
    }
}
