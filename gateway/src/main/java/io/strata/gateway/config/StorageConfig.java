package io.strata.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;

/** Where and how Strata keeps data ({@code strata.storage.*}). */
@ConfigMapping(prefix = "strata.storage")
public interface StorageConfig {
    /** The backend: {@code local} (local disks). {@code s3} comes with the storage issue. */
    @WithDefault("local")
    @Pattern(regexp = "local|s3", message = "strata.storage.type must be 'local' or 's3'")
    String type();

    /** Local backend settings. */
    Local local();

    interface Local {
        /** Data directory: commit log, segments, manifests, catalog, signing keys and the dev token. */
        @WithDefault("./data")
        Path path();

        /**
         * Commit-log zone directories (failure domains: one per disk in production). A write is acknowledged
         * once a quorum of them forced it. Default: three directories under {@code <path>/storage/wal}.
         */
        java.util.Optional<java.util.List<Path>> zones();
    }
}
