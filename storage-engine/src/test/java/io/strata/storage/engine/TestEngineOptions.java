package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestEngineOptions {
    @Test
    void tenantShareDefaultsAndValidation() {
        EngineOptions d = EngineOptions.defaults();
        assertThat(d.tenantThreadShare()).isEqualTo(1.0);
        assertThat(d.tenantQueueLimit()).isEqualTo(10_000);
        assertThat(d.withTenantShare(1.0, 1).tenantThreadShare()).isEqualTo(1.0);
        for (double bad : new double[] {0, -1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> d.withTenantShare(bad, 10)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tenant-thread-share must be greater than 0 and at most 1");
        }
        assertThatThrownBy(() -> d.withTenantShare(0.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant-queue-limit must be at least 1");
    }
}
