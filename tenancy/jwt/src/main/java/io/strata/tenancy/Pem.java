package io.strata.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM encoding of keys in the two standard, algorithm-neutral containers: PKCS#8 ({@code PRIVATE KEY})
 * and X.509 SubjectPublicKeyInfo ({@code PUBLIC KEY}), which is what {@code openssl genpkey} and
 * {@code openssl pkey -pubout} write. Legacy containers ({@code EC PRIVATE KEY}, {@code RSA PRIVATE KEY})
 * are refused with the command that converts them. Stateless and thread-safe.
 */
final class Pem {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA");

    private Pem() {}

    static String encodePrivateKey(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    static String encodePublicKey(PublicKey key) {
        return encode("PUBLIC KEY", key.getEncoded());
    }

    /**
     * @param source names the file in error messages
     * @throws IllegalArgumentException if the text holds no usable PKCS#8 EC or RSA private key
     */
    static PrivateKey decodePrivateKey(String pem, String source) {
        byte[] der = decodeBlock(pem, "PRIVATE KEY", source);
        return (PrivateKey) decode(der, source, true);
    }

    /**
     * @param source names the file in error messages
     * @throws IllegalArgumentException if the text holds no usable X.509 EC or RSA public key
     */
    static PublicKey decodePublicKey(String pem, String source) {
        byte[] der = decodeBlock(pem, "PUBLIC KEY", source);
        return (PublicKey) decode(der, source, false);
    }

    private static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static byte[] decodeBlock(String pem, String expectedType, String source) {
        Matcher matcher = BLOCK.matcher(pem);
        while (matcher.find()) {
            String type = matcher.group(1);
            if (type.equals(expectedType)) {
                try {
                    return Base64.getMimeDecoder().decode(matcher.group(2));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(source + ": the " + type + " block is not valid base64", e);
                }
            }
            if (type.equals("EC PRIVATE KEY") || type.equals("RSA PRIVATE KEY")) {
                throw new IllegalArgumentException(source + " holds a legacy '" + type + "' block; convert it to"
                        + " PKCS#8 with: openssl pkcs8 -topk8 -nocrypt -in OLD.pem -out NEW.pem");
            }
            if (type.equals("ENCRYPTED PRIVATE KEY")) {
                throw new IllegalArgumentException(source + " holds an encrypted private key; Strata needs it"
                        + " unencrypted (protect the file with permissions 0600 instead)");
            }
        }
        throw new IllegalArgumentException(source + " holds no '-----BEGIN " + expectedType + "-----' block");
    }

    private static Key decode(byte[] der, String source, boolean isPrivate) {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                KeyFactory factory = KeyFactory.getInstance(algorithm);
                return isPrivate
                        ? factory.generatePrivate(new PKCS8EncodedKeySpec(der))
                        : factory.generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // the key is not of this algorithm: try the next
            }
        }
        throw new IllegalArgumentException(source + " holds a " + (isPrivate ? "private" : "public")
                + " key that is neither EC nor RSA (or is corrupt)");
    }
}
