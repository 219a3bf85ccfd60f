package io.strata.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strata.gateway.tenants.BlobTenantDirectory;
import io.strata.gateway.tenants.DirectoryAuthenticator;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.Authenticator;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DirectoryAuthenticator} records each login: accepted, refused for the token, refused for the tenant. */
final class TestAuditedLogins {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Accepts "good-*" passwords as tenant acme / subject app; a fake: signatures are not the point here. */
    private static final Authenticator TOKENS = (user, password) -> {
        if (!password.startsWith(jwt("good"))) {
            throw new AuthenticationException("bad signature");
        }
        return new TenantContext(password.endsWith("x") ? "suspended" : "acme", "app");
    };

    private static String jwt(String jti) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"app\",\"jti\":\"" + jti + "\"}").getBytes(StandardCharsets.UTF_8))
                + ".sig";
    }

    @Test
    void everyLoginIsRecorded() throws Exception {
        BlobTenantDirectory tenants = new BlobTenantDirectory(new InMemoryBlobStore(), TestAuditLog.CLOCK,
                Duration.ZERO);
        tenants.create("acme");
        tenants.create("suspended");
        tenants.transition("suspended", TenantState.SUSPENDED);
        try (AuditLog log = AuditLog.open(dir, 1 << 20, TestAuditLog.CLOCK, null)) {
            DirectoryAuthenticator auth = new DirectoryAuthenticator(TOKENS, tenants, log);
            assertThat(auth.authenticate("token", jwt("good"))).isEqualTo(new TenantContext("acme", "app"));
            assertThatThrownBy(() -> auth.authenticate("token", "forged")).isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> auth.authenticate("token", jwt("good") + "x"))
                    .hasMessageContaining("suspended");
        }
        List<String> lines = Files.readAllLines(dir.resolve(AuditLog.FILE_NAME));
        assertThat(lines).hasSize(3);
        JsonNode ok = JSON.readTree(lines.get(0));
        assertThat(ok.get("kind").asText()).isEqualTo("login");
        assertThat(ok.get("tenant").asText()).isEqualTo("acme");
        assertThat(ok.get("principal").asText()).isEqualTo("app");
        assertThat(ok.get("tokenId").asText()).isEqualTo("good");
        assertThat(ok.get("outcome").asText()).isEqualTo("ok");
        JsonNode forged = JSON.readTree(lines.get(1));
        assertThat(forged.get("outcome").asText()).isEqualTo("refused");
        assertThat(forged.get("reason").asText()).isEqualTo("bad signature");
        assertThat(forged.get("tenant").isNull()).isTrue();
        assertThat(forged.get("tokenId").isNull()).isTrue();
        JsonNode suspended = JSON.readTree(lines.get(2));
        assertThat(suspended.get("tenant").asText()).isEqualTo("suspended");
        assertThat(suspended.get("outcome").asText()).isEqualTo("refused");
        assertThat(suspended.get("reason").asText()).contains("is suspended");
    }
}
