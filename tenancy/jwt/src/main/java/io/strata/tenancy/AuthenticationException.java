package io.strata.tenancy;

/** Credentials were refused (missing, malformed, expired, forged or wrongly signed token). */
public class AuthenticationException extends Exception {
    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The token is valid but lacks the role the action needs (HTTP 403 rather than 401). */
    public static final class MissingRole extends AuthenticationException {
        public MissingRole(String message) {
            super(message);
        }
    }
}
