package io.strata.tenancy.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TestTenantNames {
    @ParameterizedTest
    @ValueSource(strings = {"a", "dev", "acme_corp", "team-7", "a23456789012345678901234567890123456789012345678"})
    void acceptsWellFormedNames(String name) {
        assertThat(TenantNames.isValid(name)).isTrue();
        assertThat(TenantNames.requireValid(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Dev", "7up", "_x", "-x", "a b", "a.b", "ä",
            "a234567890123456789012345678901234567890123456789"})
    void refusesMalformedNames(String name) {
        assertThat(TenantNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> TenantNames.requireValid(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid tenant name");
    }

    @org.junit.jupiter.api.Test
    void refusesNull() {
        assertThat(TenantNames.isValid(null)).isFalse();
    }
}
