package io.strata.cli;

/** A failure the user can act on (status 1); its message is printed as {@code error: <message>}. */
class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
