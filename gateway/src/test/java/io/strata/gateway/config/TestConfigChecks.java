package io.strata.gateway.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.strata.gateway.capacity.CapacityConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The range checks that replaced Bean Validation constraints on the storage and capacity mappings. */
final class TestConfigChecks {
    private static <T> T mapping(Class<T> type, Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(type)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build().getConfigMapping(type);
    }

    @Test
    void defaultsPass() {
        assertThatCode(() -> StorageConfig.check(mapping(StorageConfig.class, Map.of()))).doesNotThrowAnyException();
        assertThatCode(() -> CapacityConfig.check(mapping(CapacityConfig.class, Map.of()))).doesNotThrowAnyException();
    }

    @Test
    void storageValuesOutOfRangeAreAllNamed() {
        StorageConfig bad = mapping(StorageConfig.class, Map.of(
                "strata.storage.s3.commit-log", "disk",
                "strata.storage.engine.tenant-thread-share", "0",
                "strata.storage.engine.tenant-queue-limit", "0",
                "strata.storage.engine.cell-target-bytes", "1024"));
        assertThatThrownBy(() -> StorageConfig.check(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strata.storage.s3.commit-log must be 's3' or 'local', not 'disk'")
                .hasMessageContaining("strata.storage.engine.tenant-thread-share must be greater than 0 and at most 1, not 0.0")
                .hasMessageContaining("strata.storage.engine.tenant-queue-limit must be at least 1, not 0")
                .hasMessageContaining("strata.storage.engine.cell-target-bytes must be at least 65536, not 1024");
        assertThatThrownBy(() -> StorageConfig.check(mapping(StorageConfig.class,
                Map.of("strata.storage.engine.tenant-thread-share", "1.5"))))
                .hasMessageContaining("tenant-thread-share must be greater than 0 and at most 1, not 1.5");
        assertThatCode(() -> StorageConfig.check(mapping(StorageConfig.class, Map.of(
                "strata.storage.s3.commit-log", "local", "strata.storage.engine.tenant-thread-share", "0.25",
                "strata.storage.engine.cell-target-bytes", "65536")))).doesNotThrowAnyException();
    }

    @Test
    void capacityRatesOutsideOneToAMillionAreAllNamed() {
        CapacityConfig bad = mapping(CapacityConfig.class, Map.of(
                "strata.capacity.account-read-units", "0",
                "strata.capacity.partition-write-units", "1000001"));
        assertThatThrownBy(() -> CapacityConfig.check(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strata.capacity.account-read-units must be from 1 to 1000000 (units per second), not 0")
                .hasMessageContaining("strata.capacity.partition-write-units must be from 1 to 1000000 (units per second), not 1000001");
        assertThatCode(() -> CapacityConfig.check(mapping(CapacityConfig.class, Map.of(
                "strata.capacity.account-write-units", "1000000", "strata.capacity.partition-read-units", "1"))))
                .doesNotThrowAnyException();
    }
}
