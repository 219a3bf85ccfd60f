package io.strata.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict compact serialization: one spelling per token, nothing appended, signature lengths exact. */
final class TestCompactSerialization {
    private static final Instant T0 = Instant.parse("2040-03-01T12:00:00Z");
    private static final SigningKeys KEYS = SigningKeys.generate();

    private final MutableClock clock = new MutableClock(T0);
    private final TokenIssuer issuer = new TokenIssuer(KEYS, TokenSettings.defaults(), clock);
    private final JwtAuthenticator authenticator = new JwtAuthenticator(KEYS, TokenSettings.defaults(), clock);
    private final String token = issuer.mint("acme", "alice", Duration.ofHours(1));

    @Test
    void theUnalteredTokenIsAccepted() throws Exception {
        assertThat(SignedTokens.signature(token)).hasSize(86);
        assertThat(authenticator.authenticate("token", token).tenantId()).isEqualTo("acme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"A", "AA", "AAA", "AAAA", "Q", "_", "-", ".", "..", "=", "==", " ", "\n", "\r\n", "\t",
            "\u00a0", "%3D", "}"})
    void refusesAnythingAppendedAfterTheSignature(String suffix) {
        assertThatThrownBy(() -> authenticator.authenticate("token", token + suffix))
                .isInstanceOf(AuthenticationException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("copy the token exactly as issued",
                        "not a JWT"));
    }

    @Test
    void refusesASecondSignature() {
        String signature = SignedTokens.signature(token);

        for (String doubled : new String[] {token + signature, token + "." + signature, token + "=" + signature,
                token + " " + signature}) {
            assertThatThrownBy(() -> authenticator.authenticate("token", doubled))
                    .as(doubled)
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("copy the token exactly as issued");
        }
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> authenticator.authenticate("token", token + "A"))
                .hasMessageContaining("ES256 signature is 65 bytes, it must be 64")
                .hasMessageContaining("has text appended");
        assertThatThrownBy(() -> authenticator.authenticate("token", token + "."))
                .hasMessageContaining("token has 4 parts separated by '.', a signed JWT has exactly 3");
        assertThatThrownBy(() -> authenticator.authenticate("token", token + "=="))
                .hasMessageContaining("signature contains characters outside base64url (padding '='");
        assertThatThrownBy(() -> authenticator.authenticate("token", token + "\n"))
                .hasMessageContaining("without padding or line breaks");
        // 86 + 3 characters: a length no base64 encoding has
        assertThatThrownBy(() -> authenticator.authenticate("token", token + "AAA"))
                .hasMessageContaining("signature is not canonical base64url");
    }

    @Test
    void refusesTextInsertedIntoAnyPart() {
        String[] parts = token.split("\\.");
        String[] altered = {
            parts[0] + "A." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + "A." + parts[2],
            parts[0] + "." + parts[1] + "." + parts[2].substring(0, 40) + "AAAA" + parts[2].substring(40),
            parts[0] + "." + parts[1] + " ." + parts[2],
            " " + token,
        };
        for (String candidate : altered) {
            assertThatThrownBy(() -> authenticator.authenticate("token", candidate))
                    .as(candidate)
                    .isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void refusesASecondSpellingOfTheSameSignature() throws Exception {
        // 64 bytes take 86 characters whose last one carries 4 spare bits: flipping one keeps the bytes
        String signature = SignedTokens.signature(token);
        byte[] bytes = Base64.getUrlDecoder().decode(signature);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = signature.charAt(signature.length() - 1);
        char twin = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String respelled = token.substring(0, token.length() - 1) + twin;
        assertThat(Base64.getUrlDecoder().decode(SignedTokens.signature(respelled))).isEqualTo(bytes);

        assertThatThrownBy(() -> authenticator.authenticate("token", respelled))
                .hasMessageContaining("signature is not canonical base64url");
    }

    @Test
    void refusesPaddedHeaderOrPayload() {
        String[] parts = token.split("\\.");
        String padded = parts[0] + "=." + parts[1] + "." + parts[2];

        assertThatThrownBy(() -> authenticator.authenticate("token", padded)).hasMessageContaining("not a JWT");
    }

    @Test
    void refusesEs256SignaturesOfTheWrongLength() throws Exception {
        byte[] signature = Base64.getUrlDecoder().decode(SignedTokens.signature(token));
        String truncated = token.substring(0, token.lastIndexOf('.') + 1)
                + SignedTokens.base64url(java.util.Arrays.copyOf(signature, 61));
        String der = token.substring(0, token.lastIndexOf('.') + 1) + SignedTokens.base64url(new byte[72]);

        assertThatThrownBy(() -> authenticator.authenticate("token", truncated))
                .hasMessageContaining("ES256 signature is 61 bytes, it must be 64");
        assertThatThrownBy(() -> authenticator.authenticate("token", der))
                .hasMessageContaining("ES256 signature is 72 bytes, it must be 64");
    }

    @Test
    void refusesRs256SignaturesNotOfTheModulusLength(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path privateFile = dir.resolve("rsa.pem");
        Path publicFile = dir.resolve("rsa.pub.pem");
        Files.writeString(privateFile, Pem.encodePrivateKey(pair.getPrivate()));
        Files.writeString(publicFile, Pem.encodePublicKey(pair.getPublic()));
        SigningKeys rsa = SigningKeys.fromPem(privateFile, publicFile);
        JwtAuthenticator rsaAuthenticator = new JwtAuthenticator(rsa, TokenSettings.defaults(), clock);
        String rsaToken = new TokenIssuer(rsa, TokenSettings.defaults(), clock).mint("acme", "alice", Duration.ofHours(1));
        assertThat(rsaAuthenticator.authenticate("token", rsaToken).tenantId()).isEqualTo("acme");

        // 342 + 4 characters = 259 bytes: a plausible RSA length, but not this 2048-bit key's
        assertThatThrownBy(() -> rsaAuthenticator.authenticate("token", rsaToken + "AAAA"))
                .hasMessageContaining("RS256 signature is 259 bytes, it must be 256");
        assertThatThrownBy(() -> rsaAuthenticator.authenticate("token", rsaToken + "A"))
                .hasMessageContaining("RS256 signature is 257 bytes, it must be 256");
        String tiny = rsaToken.substring(0, rsaToken.lastIndexOf('.') + 1) + SignedTokens.base64url(new byte[128]);
        assertThatThrownBy(() -> rsaAuthenticator.authenticate("token", tiny))
                .hasMessageContaining("RS256 signature is 128 bytes, it must be between 256 and 1024");
        // a public-key-only verifier checks the same length
        JwtAuthenticator verifyOnly = new JwtAuthenticator(SigningKeys.verifyOnly(publicFile), TokenSettings.defaults(),
                clock);
        assertThatThrownBy(() -> verifyOnly.authenticate("token", rsaToken + "AAAA"))
                .hasMessageContaining("must be 256");
    }

    @Test
    void refusesAnHs256TokenWhoseSecretIsThePublicKey() {
        String forged = SignedTokens.sign(SignedTokens.claims("strata", "strata", T0),
                new org.jose4j.keys.HmacKey(KEYS.publicJwks().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                AlgorithmIdentifiers.HMAC_SHA256, null);

        assertThatThrownBy(() -> authenticator.authenticate("token", forged)).hasMessageContaining("algorithm 'HS256'");
    }
}
