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

    @Test
    void memoryDefaultsAreSizedFromTheHeap() {
        long mib = 1L << 20;
        EngineOptions.HeapBudget small = EngineOptions.HeapBudget.of(256 * mib);
        assertThat(small.flushThresholdBytes()).isEqualTo(16 * mib);
        assertThat(small.stallThresholdBytes()).isEqualTo(256 * mib / 5);
        assertThat(small.blockCacheBytes()).isEqualTo(32 * mib);
        EngineOptions.HeapBudget tiny = EngineOptions.HeapBudget.of(32 * mib);
        assertThat(tiny.flushThresholdBytes()).isEqualTo(4 * mib);
        assertThat(tiny.stallThresholdBytes()).isEqualTo(8 * mib);
        EngineOptions.HeapBudget large = EngineOptions.HeapBudget.of(6L << 30);
        assertThat(large.flushThresholdBytes()).isEqualTo(64 * mib);
        assertThat(large.stallThresholdBytes()).isEqualTo(256 * mib);
        assertThat(large.blockCacheBytes()).isEqualTo(768 * mib);
        for (long heap = 16 * mib; heap < (64L << 30); heap = heap * 3 / 2) {
            EngineOptions.HeapBudget b = EngineOptions.HeapBudget.of(heap);
            assertThat(b.stallThresholdBytes()).isBetween(2 * b.flushThresholdBytes(), 4 * b.flushThresholdBytes());
        }
        assertThatThrownBy(() -> EngineOptions.HeapBudget.of(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
