package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.ECGenParameterSpec;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.HashUtil;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * The keys tokens are signed and verified with. Three shapes:
 * <ul>
 *   <li><b>key pair</b> (Strata is the issuer): loaded from PEM files, or generated once and written to
 *       {@code <dir>/signing-key.pem} (PKCS#8, mode 0600 where POSIX) and {@code <dir>/signing-key.pub.pem}
 *       (X.509). Generated keys are EC P-256 and sign ES256; an operator's own RSA (at least 2048 bits)
 *       key pair signs RS256.</li>
 *   <li><b>public key only</b> (an external issuer signs): verifies ES256 (P-256) or RS256 by key type.</li>
 *   <li><b>JWKS file</b> (an external issuer publishes a key set): verifies RS256 and ES256, the key chosen by
 *       the token's {@code kid}. The file is read once; rotate by restarting with the new file.</li>
 * </ul>
 * Immutable and thread-safe once built.
 */
public final class SigningKeys {
    /** File name of the private key (PKCS#8 PEM) inside a key directory. */
    public static final String PRIVATE_KEY_FILE = "signing-key.pem";
    /** File name of the public key (X.509 PEM) inside a key directory. */
    public static final String PUBLIC_KEY_FILE = "signing-key.pub.pem";

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final byte[] PAIR_PROBE = "strata signing key pair check".getBytes(StandardCharsets.US_ASCII);

    private final Optional<PrivateKey> privateKey;
    private final Optional<PublicKey> publicKey;
    private final Optional<String> jwks;
    private final List<JsonWebKey> jwksKeys;
    private final Set<SignatureAlgorithm> algorithms;
    private final Optional<String> keyId;
    private final String description;

    private SigningKeys(
            Optional<PrivateKey> privateKey,
            Optional<PublicKey> publicKey,
            Optional<String> jwks,
            Set<SignatureAlgorithm> algorithms,
            Optional<String> keyId,
            String description) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.jwks = jwks;
        this.jwksKeys = jwks.map(SigningKeys::parseJwks).orElse(List.of());
        this.algorithms = Set.copyOf(algorithms);
        this.keyId = keyId;
        this.description = description;
    }

    /** A fresh EC P-256 key pair held in memory only (tests, ephemeral servers). */
    public static SigningKeys generate() {
        KeyPair pair = generateKeyPair();
        return ofPair(pair.getPrivate(), pair.getPublic(), "generated in memory");
    }

    /**
     * Loads the key pair in {@code keyDir}, generating and writing one first if the directory holds
     * neither file. Holding only one of the two files is an error (a half-configured directory is never
     * silently overwritten).
     *
     * @throws IOException if the files cannot be read or written
     * @throws IllegalArgumentException if the files hold unusable or mismatched keys
     */
    public static SigningKeys loadOrGenerate(Path keyDir) throws IOException {
        requireNonNull(keyDir, "keyDir is null");
        Path privateFile = keyDir.resolve(PRIVATE_KEY_FILE);
        Path publicFile = keyDir.resolve(PUBLIC_KEY_FILE);
        if (!Files.exists(privateFile) && !Files.exists(publicFile)) {
            KeyPair pair = generateKeyPair();
            // Public key first: a crash in between leaves a state load() reports, never a key we cannot verify.
            PrivateFiles.write(publicFile, Pem.encodePublicKey(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
            PrivateFiles.write(privateFile, Pem.encodePrivateKey(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
            SigningKeys keys = ofPair(pair.getPrivate(), pair.getPublic(), "key pair in " + keyDir);
            LOG.infof("Generated a new ES256 signing key pair in %s (key id %s)", keyDir, keys.keyId().orElseThrow());
            return keys;
        }
        return load(keyDir);
    }

    /**
     * Loads the key pair {@value #PRIVATE_KEY_FILE} + {@value #PUBLIC_KEY_FILE} from {@code keyDir}.
     *
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException if the files hold unusable or mismatched keys
     */
    public static SigningKeys load(Path keyDir) throws IOException {
        requireNonNull(keyDir, "keyDir is null");
        return fromPem(keyDir.resolve(PRIVATE_KEY_FILE), keyDir.resolve(PUBLIC_KEY_FILE));
    }

    /**
     * Loads a key pair from two PEM files (PKCS#8 private key, X.509 public key), EC P-256 or RSA of at
     * least 2048 bits, and checks that they belong together.
     *
     * @throws IOException if a file is missing or unreadable
     * @throws IllegalArgumentException if the files hold unusable or mismatched keys
     */
    public static SigningKeys fromPem(Path privateKeyPem, Path publicKeyPem) throws IOException {
        requireNonNull(privateKeyPem, "privateKeyPem is null");
        requireNonNull(publicKeyPem, "publicKeyPem is null");
        PrivateKey privateKey = Pem.decodePrivateKey(readKeyFile(privateKeyPem), privateKeyPem.toString());
        PublicKey publicKey = Pem.decodePublicKey(readKeyFile(publicKeyPem), publicKeyPem.toString());
        return ofPair(privateKey, publicKey, "key pair " + privateKeyPem + " + " + publicKeyPem);
    }

    /**
     * Verification only, with an external issuer's public key (X.509 PEM, EC P-256 or RSA). Such keys
     * cannot mint tokens.
     */
    public static SigningKeys verifyOnly(Path publicKeyPem) throws IOException {
        requireNonNull(publicKeyPem, "publicKeyPem is null");
        PublicKey publicKey = Pem.decodePublicKey(readKeyFile(publicKeyPem), publicKeyPem.toString());
        SignatureAlgorithm algorithm = algorithmFor(publicKey, publicKeyPem.toString());
        return new SigningKeys(Optional.empty(), Optional.of(publicKey), Optional.empty(), EnumSet.of(algorithm),
                Optional.of(thumbprint(publicKey)), "public key " + publicKeyPem);
    }

    /**
     * Verification only, with an external issuer's JSON Web Key Set file. Tokens must be RS256 or ES256;
     * the key is picked by the token's {@code kid}. Such keys cannot mint tokens.
     *
     * @throws IllegalArgumentException if the file is not a JWKS holding at least one public RSA or EC key
     */
    public static SigningKeys verifyOnlyJwks(Path jwksFile) throws IOException {
        requireNonNull(jwksFile, "jwksFile is null");
        String json = readKeyFile(jwksFile);
        List<JsonWebKey> keys;
        try {
            keys = new JsonWebKeySet(json).getJsonWebKeys();
        } catch (JoseException e) {
            throw new IllegalArgumentException(jwksFile + " is not a JSON Web Key Set: " + e.getMessage(), e);
        }
        boolean usable = keys.stream().anyMatch(k -> k instanceof PublicJsonWebKey p
                && (p.getPublicKey() instanceof RSAKey || p.getPublicKey() instanceof ECKey));
        if (!usable) {
            throw new IllegalArgumentException(jwksFile + " holds no public RSA or EC key");
        }
        return new SigningKeys(Optional.empty(), Optional.empty(), Optional.of(json),
                EnumSet.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256), Optional.empty(), "JWKS " + jwksFile);
    }

    /** @return whether these keys can mint tokens (a key pair, not verification-only keys) */
    public boolean canSign() {
        return privateKey.isPresent();
    }

    /**
     * @return the RFC 7638 thumbprint of the public key, put in minted tokens' {@code kid} header; empty for
     *     a JWKS (its keys carry their own ids)
     */
    public Optional<String> keyId() {
        return keyId;
    }

    /** @return the algorithms tokens may be signed with */
    public Set<SignatureAlgorithm> algorithms() {
        return algorithms;
    }

    /**
     * @return the public verification key(s) as a JSON Web Key Set, for publishing to other verifiers
     *     (e.g. another gateway configured with {@link #verifyOnlyJwks})
     */
    public String publicJwks() {
        if (jwks.isPresent()) {
            return jwks.get();
        }
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey.orElseThrow());
            jwk.setKeyId(keyId.orElseThrow());
            jwk.setAlgorithm(algorithms.iterator().next().getAlgorithm());
            jwk.setUse("sig");
            return new JsonWebKeySet(jwk).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException("cannot express the public key as a JWK", e);
        }
    }

    @Override
    public String toString() {
        return "SigningKeys[" + description + ", " + algorithms + (canSign() ? ", can sign" : ", verify only") + "]";
    }

    /** @throws IllegalStateException if these keys are verification-only */
    PrivateKey privateKey() {
        return privateKey.orElseThrow(() -> new IllegalStateException(
                "cannot mint tokens with verification-only keys (" + description + ")"));
    }

    /** The algorithm minted tokens are signed with. */
    SignatureAlgorithm signingAlgorithm() {
        if (!canSign()) {
            throw new IllegalStateException("verification-only keys have no signing algorithm");
        }
        return algorithms.iterator().next();
    }

    /**
     * The key that verifies {@code jws}: the single public key whatever the token's {@code kid} (an
     * external issuer's tokens may name their key differently), or the JWKS key its {@code kid} and
     * {@code alg} select.
     *
     * @throws UnresolvableKeyException if no key of a JWKS matches
     */
    Key verificationKey(JsonWebSignature jws) throws UnresolvableKeyException {
        if (publicKey.isPresent()) {
            return publicKey.get();
        }
        try {
            JsonWebKey selected = new VerificationJwkSelector().selectWithVerifySignatureDisambiguate(jws, jwksKeys);
            if (selected != null) {
                return selected.getKey();
            }
        } catch (JoseException e) {
            throw new UnresolvableKeyException("cannot select a key of " + description + ": " + e.getMessage(), e);
        }
        throw new UnresolvableKeyException("no key of " + description + " matches");
    }

    private static SigningKeys ofPair(PrivateKey privateKey, PublicKey publicKey, String description) {
        SignatureAlgorithm algorithm = algorithmFor(publicKey, description);
        if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm()) || !isPair(privateKey, publicKey, algorithm)) {
            throw new IllegalArgumentException("the private and public key of " + description + " do not belong together");
        }
        return new SigningKeys(Optional.of(privateKey), Optional.of(publicKey), Optional.empty(), EnumSet.of(algorithm),
                Optional.of(thumbprint(publicKey)), description);
    }

    private static SignatureAlgorithm algorithmFor(PublicKey key, String source) {
        if (key instanceof RSAKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException(source + ": RSA keys must have at least 2048 bits, this one has "
                        + rsa.getModulus().bitLength());
            }
            return SignatureAlgorithm.RS256;
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            if (bits != 256) {
                throw new IllegalArgumentException(source + ": EC keys must be on curve P-256 (ES256), this one has "
                        + bits + " bits");
            }
            return SignatureAlgorithm.ES256;
        }
        throw new IllegalArgumentException(source + ": unsupported key type " + key.getAlgorithm());
    }

    private static boolean isPair(PrivateKey privateKey, PublicKey publicKey, SignatureAlgorithm algorithm) {
        String jca = algorithm == SignatureAlgorithm.RS256 ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            Signature signer = Signature.getInstance(jca);
            signer.initSign(privateKey);
            signer.update(PAIR_PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(jca);
            verifier.initVerify(publicKey);
            verifier.update(PAIR_PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String thumbprint(PublicKey key) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(key).calculateBase64urlEncodedThumbprint(HashUtil.SHA_256);
        } catch (JoseException e) {
            throw new IllegalArgumentException("cannot compute a thumbprint for the " + key.getAlgorithm() + " key", e);
        }
    }

    private static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate EC P-256 keys", e);
        }
    }

    private static List<JsonWebKey> parseJwks(String json) {
        try {
            return List.copyOf(new JsonWebKeySet(json).getJsonWebKeys());
        } catch (JoseException e) {
            throw new IllegalArgumentException("not a JSON Web Key Set: " + e.getMessage(), e);
        }
    }

    private static String readKeyFile(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
