package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestCqlServerOptions {
    @Test
    void defaults() {
        CqlServerOptions defaults = CqlServerOptions.defaults();

        assertThat(defaults.host()).isEqualTo("0.0.0.0");
        assertThat(defaults.port()).isEqualTo(9042);
        assertThat(defaults.maxFrameSize()).isEqualTo(16 * 1024 * 1024);
        assertThat(defaults.maxRequestsPerConnection()).isEqualTo(2048);
        assertThat(defaults.eventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void refusesNonsense() {
        CqlServerOptions defaults = CqlServerOptions.defaults();

        assertThatThrownBy(() -> defaults.withPort(65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxFrameSize(512)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxFrameSize(257 * 1024 * 1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxRequestsPerConnection(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withEventLoops(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withHost(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void configDefaultsMatchTheOptionDefaults() {
        CqlConfig config = config(Map.of());

        assertThat(config.toOptions()).isEqualTo(CqlServerOptions.defaults());
    }

    @Test
    void configMapsEveryProperty() {
        CqlConfig config = config(Map.of(
                "strata.cql.host", "127.0.0.1",
                "strata.cql.port", "19042",
                "strata.cql.max-frame-size", "1M",
                "strata.cql.max-requests-per-connection", "64",
                "strata.cql.event-loops", "3"));

        assertThat(config.toOptions()).isEqualTo(new CqlServerOptions("127.0.0.1", 19042, 1024 * 1024, 64, 3));
    }

    @Test
    void theRequestBytesBudgetDefaultsToAnEighthOfTheHeapAndHoldsTheLargestFrame() {
        long eighth = Runtime.getRuntime().maxMemory() / 8;

        assertThat(FrontDoor.defaults().maxRequestBytesInFlight()).isEqualTo(eighth);
        assertThat(CqlServerOptions.defaults().frontDoor().maxRequestBytesInFlight())
                .isEqualTo(Math.max(eighth, CqlServerOptions.DEFAULT_MAX_FRAME_SIZE));
        CqlServerOptions small = CqlServerOptions.defaults().withMaxFrameSize(64 * 1024)
                .withFrontDoor(FrontDoor.defaults().withMaxRequestBytesInFlight(1));
        assertThat(small.frontDoor().maxRequestBytesInFlight()).as("raised to the frame limit").isEqualTo(64 * 1024);
        assertThatThrownBy(() -> FrontDoor.defaults().withMaxRequestBytesInFlight(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configMapsTheRequestBytesBudget() {
        CqlConfig config = config(Map.of(
                "strata.cql.max-frame-size", "1M",
                "strata.cql.max-request-bytes-in-flight", "3G"));

        assertThat(config.toOptions().frontDoor().maxRequestBytesInFlight()).isEqualTo(3L * 1024 * 1024 * 1024);
    }

    @Test
    void configRefusesARequestBytesBudgetBelowTheFrameSize() {
        CqlConfig config = config(Map.of(
                "strata.cql.max-frame-size", "1M",
                "strata.cql.max-request-bytes-in-flight", "512K"));

        assertThatThrownBy(config::toOptions).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-request-bytes-in-flight must be at least max-frame-size");
    }

    @Test
    void configRefusesFramesAboveTheProtocolLimit() {
        CqlConfig config = config(Map.of("strata.cql.max-frame-size", "1G"));

        assertThatThrownBy(config::toOptions).isInstanceOf(IllegalArgumentException.class);
    }

    private static CqlConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(CqlConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new MapBackedConfigSource("test", properties) {})
                .build();
        return config.getConfigMapping(CqlConfig.class);
    }
}
