package io.strata.tenancy;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * A token split strictly by the JWS compact serialization (RFC 7515 section 7.1), before any signature is
 * checked: exactly three parts, each canonical unpadded base64url (decoding and re-encoding it gives the
 * same text, so no padding, whitespace, stray characters or non-zero spare bits), a JSON object as header
 * and payload. Only one spelling of a token is accepted, so nothing can be appended to or hidden in a
 * token that verifies. Immutable apart from {@link #signature()}'s array, which callers do not modify.
 *
 * @param header the decoded protected header
 * @param claims the decoded payload, not yet trusted
 * @param signature the decoded signature, empty if the token has none
 */
record CompactJws(Map<String, Object> header, Map<String, Object> claims, byte[] signature) {
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    CompactJws {
        requireNonNull(header, "header is null");
        requireNonNull(claims, "claims is null");
        requireNonNull(signature, "signature is null");
    }

    /** @throws AuthenticationException saying which part is malformed and how */
    static CompactJws parse(String token) throws AuthenticationException {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 5) {
            throw new AuthenticationException("token has 5 parts separated by '.': encrypted tokens (JWE) are not"
                    + " accepted, and a signed JWT has exactly 3; send a signed JWT; copy the token exactly as issued");
        }
        if (parts.length > 3) {
            throw new AuthenticationException("token has " + parts.length + " parts separated by '.', a signed JWT"
                    + " has exactly 3 (header.payload.signature): something was appended to it; copy the token"
                    + " exactly as issued");
        }
        if (parts.length != 3) {
            throw new AuthenticationException("password is not a JWT (expected header.payload.signature in base64url)");
        }
        if (!BASE64URL.matcher(parts[0]).matches() || parts[0].isEmpty()
                || !BASE64URL.matcher(parts[1]).matches() || parts[1].isEmpty()) {
            throw new AuthenticationException("password is not a JWT (expected header.payload.signature in base64url)");
        }
        Map<String, Object> header = json(decode(parts[0], "header"), "header");
        Map<String, Object> claims = json(decode(parts[1], "payload"), "payload");
        // an empty signature is refused by the caller once it has named the algorithm ('none' says more)
        return new CompactJws(header, claims, parts[2].isEmpty() ? new byte[0] : decode(parts[2], "signature"));
    }

    /** Decodes canonical unpadded base64url only. */
    private static byte[] decode(String part, String what) throws AuthenticationException {
        if (!BASE64URL.matcher(part).matches()) {
            throw new AuthenticationException("token's " + what + " contains characters outside base64url"
                    + " (padding '=', whitespace or text appended to the token); copy the token exactly as issued,"
                    + " without padding or line breaks");
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw notCanonical(what, e);
        }
        // a second spelling of the same bytes (non-zero spare bits) means the text was altered
        if (!ENCODER.encodeToString(bytes).equals(part)) {
            throw notCanonical(what, null);
        }
        return bytes;
    }

    private static AuthenticationException notCanonical(String what, Exception cause) {
        return new AuthenticationException("token's " + what + " is not canonical base64url (its length or last"
                + " character is impossible for encoded data): the token was truncated, altered or has text"
                + " appended; copy the token exactly as issued", cause);
    }

    private static Map<String, Object> json(byte[] bytes, String what) throws AuthenticationException {
        try {
            return JsonUtil.parseJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (JoseException | IllegalArgumentException | ClassCastException e) {
            throw new AuthenticationException("password is not a JWT (its " + what + " is not base64url JSON)", e);
        }
    }
}
