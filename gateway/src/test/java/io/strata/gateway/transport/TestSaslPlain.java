package io.strata.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.tenancy.AuthenticationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class TestSaslPlain {
    @Test
    void parsesUsernameAndPassword() throws AuthenticationException {
        assertThat(SaslPlain.parse(bytes("\0token\0eyJhbGciOi.J9.sig")))
                .isEqualTo(new SaslPlain("token", "eyJhbGciOi.J9.sig"));
    }

    @Test
    void ignoresAnAuthorizationIdentity() throws AuthenticationException {
        assertThat(SaslPlain.parse(bytes("admin\0alice\0secret"))).isEqualTo(new SaslPlain("alice", "secret"));
    }

    @Test
    void readsFromTheBuffersPositionWithoutConsumingIt() throws AuthenticationException {
        ByteBuffer token = ByteBuffer.wrap(("xx\0bob\0pw").getBytes(StandardCharsets.UTF_8));
        token.position(2);

        assertThat(SaslPlain.parse(token)).isEqualTo(new SaslPlain("bob", "pw"));
        assertThat(token.position()).isEqualTo(2);
    }

    @Test
    void acceptsUtf8() throws AuthenticationException {
        assertThat(SaslPlain.parse(bytes("\0josé\0пароль"))).isEqualTo(new SaslPlain("josé", "пароль"));
    }

    @Test
    void refusesMalformedTokens() {
        assertThatThrownBy(() -> SaslPlain.parse(null)).isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> SaslPlain.parse(bytes("user:password")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("expected [authzid] NUL username NUL password");
        assertThatThrownBy(() -> SaslPlain.parse(bytes("user\0password")))
                .isInstanceOf(AuthenticationException.class);
        assertThatThrownBy(() -> SaslPlain.parse(bytes("a\0b\0c\0d")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("NUL character");
        assertThatThrownBy(() -> SaslPlain.parse(bytes("\0user\0")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("Password must not be empty");
        assertThatThrownBy(() -> SaslPlain.parse(ByteBuffer.wrap(new byte[] {0, 'u', 0, (byte) 0xC3})))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void neverPrintsThePassword() {
        assertThat(new SaslPlain("alice", "hunter2").toString()).doesNotContain("hunter2").contains("alice");
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
