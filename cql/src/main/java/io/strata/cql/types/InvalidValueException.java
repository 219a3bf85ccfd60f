package io.strata.cql.types;

/** A value or literal does not fit its type; becomes an InvalidRequest with this message. */
public final class InvalidValueException extends RuntimeException {
    public InvalidValueException(String message) {
        super(message);
    }
}
