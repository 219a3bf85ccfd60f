package io.strata.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TestAuthConfig {
    @Test
    void defaults() {
        AuthConfig auth = AuthConfigs.of(Map.of());

        assertThat(auth.ownIssuer()).isTrue();
        assertThat(auth.issuer()).isEqualTo("strata");
        assertThat(auth.audience()).isEqualTo("strata");
        assertThat(auth.maxTokenLifetime()).isEqualTo(Duration.ofDays(30));
        assertThat(auth.clockSkew()).isEqualTo(Duration.ofSeconds(30));
        assertThat(auth.devTenant("local")).as("the local default gets the dev tenant").isTrue();
        assertThat(auth.devTenant("s3")).as("shared storage gets none unless asked").isFalse();
        assertThat(auth.keysPath()).isEmpty();
        assertThat(auth.publicKey()).isEmpty();
        assertThat(auth.issuers()).isEmpty();
    }

    @Test
    void applicationPropertiesAgreeWithTheDefaults() {
        AuthConfig shipped = AuthConfigs.withApplicationProperties(Map.of());
        AuthConfig defaults = AuthConfigs.of(Map.of());

        assertThat(shipped.issuer()).isEqualTo(defaults.issuer());
        assertThat(shipped.audience()).isEqualTo(defaults.audience());
        assertThat(shipped.maxTokenLifetime()).isEqualTo(defaults.maxTokenLifetime());
        assertThat(shipped.clockSkew()).isEqualTo(defaults.clockSkew());
        assertThat(shipped.issuers()).isEmpty();
    }

    @Test
    void mapsEveryKey() {
        AuthConfig auth = AuthConfigs.of(Map.ofEntries(
                Map.entry("strata.auth.own-issuer", "false"),
                Map.entry("strata.auth.keys-path", "/srv/keys"),
                Map.entry("strata.auth.public-key", "/srv/issuer.pub.pem"),
                Map.entry("strata.auth.issuer", "https://strata.example.com"),
                Map.entry("strata.auth.audience", "strata-eu"),
                Map.entry("strata.auth.max-token-lifetime", "12h"),
                Map.entry("strata.auth.clock-skew", "PT1M"),
                Map.entry("strata.auth.dev-tenant", "false"),
                Map.entry("strata.auth.issuers.keycloak.issuer", "https://kc.example.com/realms/prod"),
                Map.entry("strata.auth.issuers.keycloak.jwks-url",
                        "https://kc.example.com/realms/prod/protocol/openid-connect/certs"),
                Map.entry("strata.auth.issuers.keycloak.audience", "strata-kc"),
                Map.entry("strata.auth.issuers.keycloak.jwks-cache-duration", "5m"),
                Map.entry("strata.auth.issuers.keycloak.jwks-min-refresh-interval", "10s"),
                Map.entry("strata.auth.issuers.partner.issuer", "partner"),
                Map.entry("strata.auth.issuers.partner.public-key", "/srv/partner.pub.pem")));

        assertThat(auth.ownIssuer()).isFalse();
        assertThat(auth.keysPath()).contains(Path.of("/srv/keys"));
        assertThat(auth.publicKey()).contains(Path.of("/srv/issuer.pub.pem"));
        assertThat(auth.issuer()).isEqualTo("https://strata.example.com");
        assertThat(auth.audience()).isEqualTo("strata-eu");
        assertThat(auth.maxTokenLifetime()).isEqualTo(Duration.ofHours(12));
        assertThat(auth.clockSkew()).isEqualTo(Duration.ofMinutes(1));
        assertThat(auth.devTenant("local")).isFalse();
        assertThat(auth.issuers()).containsOnlyKeys("keycloak", "partner");
        AuthConfig.Issuer keycloak = auth.issuers().get("keycloak");
        assertThat(keycloak.issuer()).isEqualTo("https://kc.example.com/realms/prod");
        assertThat(keycloak.jwksUrl()).contains(URI.create("https://kc.example.com/realms/prod/protocol/openid-connect/certs"));
        assertThat(keycloak.publicKey()).isEmpty();
        assertThat(keycloak.audience()).contains("strata-kc");
        assertThat(keycloak.jwksCacheDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(keycloak.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(10));
        AuthConfig.Issuer partner = auth.issuers().get("partner");
        assertThat(partner.publicKey()).contains(Path.of("/srv/partner.pub.pem"));
        assertThat(partner.jwksUrl()).isEmpty();
        assertThat(partner.audience()).isEmpty();
        assertThat(partner.jwksCacheDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(partner.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
    }
}
