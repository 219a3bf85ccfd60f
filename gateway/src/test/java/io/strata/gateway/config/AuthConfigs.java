package io.strata.gateway.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;

/** Builds {@link AuthConfig} from properties the way Quarkus does (same mapping, same duration syntax), without booting it. */
final class AuthConfigs {
    private AuthConfigs() {}

    static AuthConfig of(Map<String, String> properties) {
        return builder().withSources(new PropertiesConfigSource(properties, "test", 500)).build()
                .getConfigMapping(AuthConfig.class);
    }

    /** The mapping over the gateway's own {@code application.properties}, overridden by {@code properties}. */
    static AuthConfig withApplicationProperties(Map<String, String> properties) {
        URL url = AuthConfigs.class.getClassLoader().getResource("application.properties");
        try {
            return builder()
                    .withSources(new PropertiesConfigSource(url, 250))
                    .withSources(new PropertiesConfigSource(properties, "test", 500))
                    .build().getConfigMapping(AuthConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SmallRyeConfigBuilder builder() {
        return new SmallRyeConfigBuilder()
                .withMapping(AuthConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter());
    }

}
