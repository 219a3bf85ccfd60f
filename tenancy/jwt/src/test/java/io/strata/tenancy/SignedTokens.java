package io.strata.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/** Hand-made tokens for tests: any claims, any key, any header, bypassing {@link TokenIssuer}'s rules. */
final class SignedTokens {
    private SignedTokens() {}

    /** Claims a Strata token carries: tenant acme, subject alice, issued at {@code now}, valid one hour. */
    static JwtClaims claims(String issuer, String audience, Instant now) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject("alice");
        claims.setClaim("tenant", "acme");
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofHours(1)).getEpochSecond()));
        return claims;
    }

    /** @param kid the key id header, or null for none */
    static String sign(JwtClaims claims, Key privateKey, String algorithm, String kid) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        if (kid != null) {
            jws.setKeyIdHeaderValue(kid);
        }
        jws.setKey(privateKey);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String signature(String token) {
        return token.substring(token.lastIndexOf('.') + 1);
    }

    static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String base64url(String text) {
        return base64url(text.getBytes(StandardCharsets.UTF_8));
    }
}
