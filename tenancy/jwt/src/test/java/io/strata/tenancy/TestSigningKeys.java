package io.strata.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.strata.storage.spi.PrivateFiles;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TestSigningKeys {
    @TempDir
    Path dir;

    @Test
    void generatesOnceThenReloadsTheSameKeys() throws Exception {
        Path keyDir = dir.resolve("data/keys");
        SigningKeys first = SigningKeys.loadOrGenerate(keyDir);
        String privatePem = Files.readString(keyDir.resolve(SigningKeys.PRIVATE_KEY_FILE));
        String publicPem = Files.readString(keyDir.resolve(SigningKeys.PUBLIC_KEY_FILE));

        SigningKeys second = SigningKeys.loadOrGenerate(keyDir);
        SigningKeys loaded = SigningKeys.load(keyDir);

        assertThat(first.canSign()).isTrue();
        assertThat(first.algorithms()).containsExactly(SignatureAlgorithm.ES256);
        assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(second.keyId()).isEqualTo(first.keyId());
        assertThat(loaded.keyId()).isEqualTo(first.keyId());
        assertThat(Files.readString(keyDir.resolve(SigningKeys.PRIVATE_KEY_FILE))).isEqualTo(privatePem);
        // a token minted with the first instance verifies with the reloaded one
        String token = new TokenIssuer(first, TokenSettings.defaults(), Clock.systemUTC())
                .mint("acme", "alice", Duration.ofMinutes(5));
        assertThat(new JwtAuthenticator(loaded, TokenSettings.defaults(), Clock.systemUTC())
                .authenticate("token", token).tenantId()).isEqualTo("acme");
    }

    @Test
    void writesThePrivateKeyOwnerOnly() throws Exception {
        assumeTrue(PrivateFiles.isPosix(dir), "POSIX file system");
        Path keyDir = dir.resolve("keys");
        SigningKeys.loadOrGenerate(keyDir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir.resolve(SigningKeys.PRIVATE_KEY_FILE))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyDir))).isEqualTo("rwx------");
        try (var files = Files.list(keyDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(SigningKeys.PRIVATE_KEY_FILE, SigningKeys.PUBLIC_KEY_FILE);
        }
    }

    @Test
    void refusesHalfConfiguredDirectory() throws Exception {
        Path keyDir = dir.resolve("keys");
        SigningKeys.loadOrGenerate(keyDir);
        Files.delete(keyDir.resolve(SigningKeys.PRIVATE_KEY_FILE));

        assertThatThrownBy(() -> SigningKeys.loadOrGenerate(keyDir)).isInstanceOf(NoSuchFileException.class);
        assertThat(keyDir.resolve(SigningKeys.PRIVATE_KEY_FILE)).doesNotExist();
    }

    @Test
    void refusesMismatchedPair() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        SigningKeys.loadOrGenerate(a);
        SigningKeys.loadOrGenerate(b);

        assertThatThrownBy(() -> SigningKeys.fromPem(a.resolve(SigningKeys.PRIVATE_KEY_FILE),
                        b.resolve(SigningKeys.PUBLIC_KEY_FILE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not belong together");
    }

    @Test
    void explainsLegacyAndEncryptedPem() throws Exception {
        Path legacy = dir.resolve("legacy.pem");
        Files.writeString(legacy, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Path encrypted = dir.resolve("encrypted.pem");
        Files.writeString(encrypted, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a key");
        Path pub = dir.resolve("k/" + SigningKeys.PUBLIC_KEY_FILE);
        SigningKeys.loadOrGenerate(pub.getParent());

        assertThatThrownBy(() -> SigningKeys.fromPem(legacy, pub)).hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> SigningKeys.fromPem(encrypted, pub)).hasMessageContaining("encrypted private key");
        assertThatThrownBy(() -> SigningKeys.fromPem(garbage, pub)).hasMessageContaining("no '-----BEGIN PRIVATE KEY-----'");
        assertThatThrownBy(() -> SigningKeys.verifyOnly(garbage)).hasMessageContaining("no '-----BEGIN PUBLIC KEY-----'");
    }

    @Test
    void refusesWeakOrUnsupportedKeys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        Path weak = dir.resolve("weak.pub.pem");
        Files.writeString(weak, Pem.encodePublicKey(rsa.generateKeyPair().getPublic()));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        Path p384 = dir.resolve("p384.pub.pem");
        Files.writeString(p384, Pem.encodePublicKey(ec.generateKeyPair().getPublic()));

        assertThatThrownBy(() -> SigningKeys.verifyOnly(weak)).hasMessageContaining("at least 2048 bits");
        assertThatThrownBy(() -> SigningKeys.verifyOnly(p384)).hasMessageContaining("P-256");
    }

    @Test
    void verificationOnlyKeysCannotMint() throws Exception {
        SigningKeys pair = SigningKeys.loadOrGenerate(dir.resolve("keys"));
        SigningKeys publicOnly = SigningKeys.verifyOnly(dir.resolve("keys").resolve(SigningKeys.PUBLIC_KEY_FILE));
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, pair.publicJwks());
        SigningKeys fromJwks = SigningKeys.verifyOnlyJwks(jwks);

        assertThat(publicOnly.canSign()).isFalse();
        assertThat(publicOnly.keyId()).isEqualTo(pair.keyId());
        assertThat(fromJwks.canSign()).isFalse();
        assertThat(fromJwks.keyId()).isEmpty();
        assertThat(fromJwks.algorithms()).containsExactlyInAnyOrder(SignatureAlgorithm.ES256, SignatureAlgorithm.RS256);
        assertThatThrownBy(() -> new TokenIssuer(publicOnly, TokenSettings.defaults(), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("verify only");
        assertThatThrownBy(() -> new TokenIssuer(fromJwks, TokenSettings.defaults(), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publishesPublicKeyAsJwks() {
        SigningKeys keys = SigningKeys.generate();
        String jwks = keys.publicJwks();

        assertThat(jwks).contains("\"kty\":\"EC\"", "\"crv\":\"P-256\"", "\"alg\":\"ES256\"",
                "\"kid\":\"" + keys.keyId().orElseThrow() + "\"");
        assertThat(jwks).doesNotContain("\"d\"");
    }

    @Test
    void refusesFilesThatAreNotKeySets() throws Exception {
        Path notJson = dir.resolve("a.json");
        Files.writeString(notJson, "{nope");
        Path empty = dir.resolve("b.json");
        Files.writeString(empty, "{\"keys\":[]}");

        assertThatThrownBy(() -> SigningKeys.verifyOnlyJwks(notJson)).hasMessageContaining("not a JSON Web Key Set");
        assertThatThrownBy(() -> SigningKeys.verifyOnlyJwks(empty)).hasMessageContaining("no public RSA or EC key");
    }
}
