package io.strata.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Token authentication ({@code strata.auth.*}); see {@code docs/security-tokens.md}. A token is checked
 * against the issuer its {@code iss} names: Strata's own issuer ({@link #issuer()}, on by default,
 * {@link #ownIssuer()}) and/or the external identity providers of {@link #issuers()}.
 */
@ConfigMapping(prefix = "strata.auth")
public interface AuthConfig {
    /** Trust tokens signed with Strata's own key pair (or {@link #publicKey()}); turn off to trust only {@link #issuers()}. */
    @WithDefault("true")
    boolean ownIssuer();

    /** Directory of Strata's signing key pair; default {@code <data dir>/keys}. Generated when missing. */
    Optional<Path> keysPath();

    /** A PEM public key that verifies the own issuer's tokens instead of the key pair (tokens minted elsewhere). */
    Optional<Path> publicKey();

    /** The {@code iss} of Strata's own tokens. */
    @WithDefault("strata")
    String issuer();

    /** The {@code aud} Strata's own tokens carry and must contain; also the default audience of {@link #issuers()}. */
    @WithDefault("strata")
    String audience();

    /** The longest {@code exp - iat} accepted (and how far ahead {@code exp} may lie); at most 365 days. */
    @WithDefault("30d")
    Duration maxTokenLifetime();

    /** Tolerance for clocks that disagree with an issuer's, on {@code exp}, {@code nbf} and {@code iat}; at most 1h. */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * Create the {@code dev} tenant and its token in {@code <data dir>/dev-token} at start (own issuer with a key pair
     * only). Unset: only with the local default ({@code strata.storage.type=local}); a deployment on shared storage
     * gets no tenant nobody asked for.
     */
    @io.smallrye.config.WithName("dev-tenant")
    Optional<Boolean> devTenantSetting();

    /** Whether the dev tenant is created, on storage of type {@code storageType}. */
    default boolean devTenant(String storageType) {
        return devTenantSetting().orElse("local".equals(storageType));
    }

    /** External identity providers by a name of the operator's choosing ({@code strata.auth.issuers.<name>.*}). */
    Map<String, Issuer> issuers();

    /** One external identity provider (Keycloak realm, Auth0 tenant, Cognito user pool, ...). */
    interface Issuer {
        /** The exact {@code iss} its tokens carry, e.g. {@code https://keycloak.example.com/realms/prod}. */
        String issuer();

        /** Where it publishes its JSON Web Key Set ({@code https}; {@code http} only to loopback). */
        Optional<URI> jwksUrl();

        /** Its PEM public key, instead of {@link #jwksUrl()}. */
        Optional<Path> publicKey();

        /** The {@code aud} its tokens must contain; default {@code strata.auth.audience}. */
        Optional<String> audience();

        /** How long a fetched key set is used when the response carries no {@code Cache-Control max-age}. */
        @WithDefault("10m")
        Duration jwksCacheDuration();

        /** The least time between two key-set refreshes forced by a token naming an unknown {@code kid}. */
        @WithDefault("30s")
        Duration jwksMinRefreshInterval();
    }
}
