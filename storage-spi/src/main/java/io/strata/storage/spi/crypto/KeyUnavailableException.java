package io.strata.storage.spi.crypto;

import io.strata.storage.spi.StorageException;

/** A master or data key that is missing or does not open what it should; the message names the key. */
public class KeyUnavailableException extends StorageException {
    public KeyUnavailableException(String message) {
        super(message);
    }

    public KeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
