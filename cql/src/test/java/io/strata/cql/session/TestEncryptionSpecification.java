package io.strata.cql.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cql.testing.CqlFixture;
import io.strata.storage.local.LocalKeyProvider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                .contains("cannot be used: encryption at rest is off");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'encryption_type': 'AWS_OWNED_KMS_KEY', 'kms_key_identifier': 'x'}}"))
                .contains("goes only with CUSTOMER_MANAGED_KMS_KEY");
        assertThat(db.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                + " {'type': 'AWS_OWNED_KMS_KEY'}}")).contains("Unknown property 'type'");
    }

    @Test
    void aCustomerKeyOfTheTenantIsAcceptedShownAndUsedAndOthersAreRefusedBeforeTheSchemaChanges(@TempDir Path dir) {
        LocalKeyProvider keys = LocalKeyProvider.open(dir, true);
        keys.createCustomerKey("dev", "app-key");
        keys.createCustomerKey("someone-else", "their-key");
        try (CqlFixture f = CqlFixture.open(keys)) {
            f.ok("CREATE TABLE own (k int PRIMARY KEY, v text) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                    + " {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY',"
                    + " 'kms_key_identifier': 'arn:aws:kms:us-east-1:111122223333:key/app-key'}}");
            assertThat(f.customProperties("own")).contains("CUSTOMER_MANAGED_KMS_KEY")
                    .contains("arn:aws:kms:us-east-1:111122223333:key/app-key");
            f.ok("INSERT INTO own (k, v) VALUES (1, 'x')");
            assertThat(CqlFixture.rows(f.run("SELECT v FROM own WHERE k = 1"),
                    io.strata.cql.types.NativeType.TEXT)).containsExactly(java.util.List.of("'x'"));

            assertThat(f.invalid("CREATE TABLE t (k int PRIMARY KEY) WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                    + " {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_identifier': 'their-key'}}"))
                    .contains("kms_key_identifier 'their-key' of ks.t cannot be used").contains("does not exist");
            assertThat(f.invalid("SELECT * FROM t")).contains("t"); // the refused table was not created
            // back to the service's key, and to the customer's again
            f.ok("ALTER TABLE own WITH CUSTOM_PROPERTIES = {'encryption_specification': {'encryption_type': 'AWS_OWNED_KMS_KEY'}}");
            assertThat(f.customProperties("own")).contains("AWS_OWNED_KMS_KEY").doesNotContain("app-key");
            assertThat(f.invalid("ALTER TABLE own WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                    + " {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_identifier': 'nope'}}"))
                    .contains("'nope'");
            f.ok("ALTER TABLE own WITH CUSTOM_PROPERTIES = {'encryption_specification':"
                    + " {'encryption_type': 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_identifier': 'app-key'}}");
            assertThat(CqlFixture.rows(f.run("SELECT v FROM own WHERE k = 1"),
                    io.strata.cql.types.NativeType.TEXT)).containsExactly(java.util.List.of("'x'"));
        }
    }
}
