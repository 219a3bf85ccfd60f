package io.strata.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.strata.gateway.TestGatewayApplication;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Backends are CDI beans chosen by name; an unknown name is refused with the list of known ones. */
@QuarkusTest
@TestProfile(TestGatewayApplication.Profile.class)
class TestStorageBackendSelection {
    @Inject
    @Any
    Instance<StorageBackend> backends;

    @Test
    void backendsAreSelectedByTheirIdentifier() {
        assertThat(StorageProducers.select(backends, "local")).isInstanceOf(LocalBackend.class);
        assertThat(StorageProducers.select(backends, "s3")).isInstanceOf(S3Backend.class);
    }

    @Test
    void anUnknownTypeNamesTheKnownOnes() {
        assertThatThrownBy(() -> StorageProducers.select(backends, "floppy"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unknown strata.storage.type 'floppy'; known types: local, s3");
    }
}
