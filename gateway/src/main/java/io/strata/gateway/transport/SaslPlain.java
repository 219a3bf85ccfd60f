package io.strata.gateway.transport;

import static java.util.Objects.requireNonNull;

import io.strata.tenancy.AuthenticationException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The SASL PLAIN initial response (RFC 4616) that Cassandra's {@code PasswordAuthenticator} clients
 * send: {@code [authzid] NUL authcid NUL passwd}. The authorization identity, when a client sends
 * one, is ignored: the credentials alone say who connects.
 *
 * @param username the authentication identity (informational for token logins)
 * @param password the secret; never logged
 */
record SaslPlain(String username, String password) {
    private static final byte NUL = 0;

    SaslPlain {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
    }

    /** Parses without length limits beyond the frame's (tests and tools). */
    static SaslPlain parse(ByteBuffer token) throws AuthenticationException {
        return parse(token, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Parses the response, measuring the username and password in bytes before decoding either, so oversized
     * credentials cost no decoding work.
     *
     * @throws AuthenticationException if the token is not a PLAIN response with a non-empty password, or a part
     *     is longer than its limit
     */
    static SaslPlain parse(ByteBuffer token, int maxUsernameBytes, int maxPasswordBytes)
            throws AuthenticationException {
        if (token == null) {
            throw new AuthenticationException("Authentication token is missing: expected SASL PLAIN credentials");
        }
        ByteBuffer bytes = token.duplicate();
        int start = bytes.position();
        int end = bytes.limit();
        int secondNul = -1;
        int firstNul = -1;
        for (int i = end - 1; i >= start; i--) {
            if (bytes.get(i) == NUL) {
                if (secondNul < 0) {
                    secondNul = i;
                } else if (firstNul < 0) {
                    firstNul = i;
                } else {
                    throw new AuthenticationException(
                            "Malformed SASL PLAIN credentials: username or password contains a NUL character");
                }
            }
        }
        if (firstNul < 0) {
            throw new AuthenticationException(
                    "Malformed SASL PLAIN credentials: expected [authzid] NUL username NUL password");
        }
        if (secondNul - firstNul - 1 > maxUsernameBytes) {
            throw new AuthenticationException("Username is longer than " + maxUsernameBytes
                    + " bytes; with a token as the password the username is informational: send e.g. 'token'");
        }
        if (end - secondNul - 1 > maxPasswordBytes) {
            throw new AuthenticationException("Password is longer than " + maxPasswordBytes
                    + " bytes, the longest token this server accepts");
        }
        String username = utf8(bytes, firstNul + 1, secondNul);
        String password = utf8(bytes, secondNul + 1, end);
        if (password.isEmpty()) {
            throw new AuthenticationException("Password must not be empty");
        }
        return new SaslPlain(username, password);
    }

    private static String utf8(ByteBuffer bytes, int from, int to) throws AuthenticationException {
        ByteBuffer part = bytes.duplicate();
        part.limit(to).position(from);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(part)
                    .toString();
        } catch (CharacterCodingException e) {
            throw new AuthenticationException("Malformed SASL PLAIN credentials: not valid UTF-8");
        }
    }

    @Override
    public String toString() {
        return "SaslPlain[username=" + username + ", password=<redacted>]";
    }
}
