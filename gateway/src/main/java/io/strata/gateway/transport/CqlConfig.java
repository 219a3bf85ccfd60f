package io.strata.gateway.transport;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.OptionalInt;

/** Configuration of the CQL native-protocol endpoint ({@code strata.cql.*}). */
@ConfigMapping(prefix = "strata.cql")
public interface CqlConfig {
    /** The interface to bind. */
    @WithDefault("0.0.0.0")
    String host();

    /** The TCP port; 0 picks a free one (tests). */
    @WithDefault("9042")
    int port();

    /**
     * The largest request frame body accepted (v5: envelope body), e.g. {@code 16M}; larger requests
     * are refused with a PROTOCOL_ERROR and the connection is closed. At most 256M.
     */
    @WithDefault("16M")
    MemorySize maxFrameSize();

    /**
     * Requests one connection may have in flight before the server stops reading from it; reading
     * resumes once half of them have completed.
     */
    @WithDefault("2048")
    int maxRequestsPerConnection();

    /** Event loops serving CQL connections; defaults to the number of available processors. */
    OptionalInt eventLoops();

    /** These settings as server options. */
    default CqlServerOptions toOptions() {
        long frameSize = maxFrameSize().asLongValue();
        if (frameSize > CqlServerOptions.MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("strata.cql.max-frame-size must be at most 256M: " + frameSize);
        }
        return new CqlServerOptions(host(), port(), (int) frameSize, maxRequestsPerConnection(),
                eventLoops().orElse(Runtime.getRuntime().availableProcessors()));
    }
}
