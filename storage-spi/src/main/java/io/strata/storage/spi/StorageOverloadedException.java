package io.strata.storage.spi;

/**
 * The storage refused a request because the caller (a tenant) already has too much work waiting: nothing was
 * done, and the request may be retried later. The CQL layer answers it with an {@code OVERLOADED} error.
 */
public class StorageOverloadedException extends StorageException {
    public StorageOverloadedException(String message) {
        super(message);
    }

    public StorageOverloadedException(String message, Throwable cause) {
        super(message, cause);
    }
}
