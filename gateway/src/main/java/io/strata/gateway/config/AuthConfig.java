package io.strata.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** Token authentication ({@code strata.auth.*}). */
@ConfigMapping(prefix = "strata.auth")
public interface AuthConfig {
    /** Directory of the signing key pair; default {@code <data dir>/keys}. Generated when missing. */
    Optional<Path> keysPath();

    /** A PEM public key of an external issuer; when set, tokens are verified with it instead of the key pair. */
    Optional<Path> publicKey();

    /** The required {@code iss} claim. */
    @WithDefault("strata")
    String issuer();

    /** An optional required {@code aud} claim. */
    Optional<String> audience();

    /** Create the {@code dev} tenant's token in {@code <data dir>/dev-token} at start. */
    @WithDefault("true")
    boolean devTenant();
}
