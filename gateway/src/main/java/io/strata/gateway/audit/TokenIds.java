package io.strata.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;

/** Reads the {@code jti} claim of a compact JWT. Use only on tokens already verified: it checks nothing. */
public final class TokenIds {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenIds() {
    }

    /** The token's {@code jti}, or null if it has none or is not a compact JWT. */
    public static String jtiOf(String jwt) {
        if (jwt == null) {
            return null;
        }
        String[] parts = jwt.strip().split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode jti = claims == null ? null : claims.get("jti");
            return jti != null && jti.isTextual() ? jti.asText() : null;
        } catch (Exception notAJwt) {
            return null;
        }
    }
}
