package io.strata.tenancy;

/** Credentials were refused (missing, malformed, expired, forged or wrongly signed token). */
public class AuthenticationException extends Exception {
    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
