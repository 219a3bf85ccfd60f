package io.strata.gateway.memory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The gateway's own use of JVM memory settings ({@code strata.memory.*}). */
@ConfigMapping(prefix = "strata.memory")
public interface MemoryConfig {
    /**
     * A quiet gateway hands unused heap back to the system after this long without a garbage collection (G1 only,
     * and only when the JVM's flags leave it at its defaults); 0 turns this off.
     */
    @WithDefault("30s")
    Duration returnIdleHeapAfter();
}
