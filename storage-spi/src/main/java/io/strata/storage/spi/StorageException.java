package io.strata.storage.spi;

/** A failure of the storage layer (I/O, corruption, a fenced writer). Unchecked; carried in failed stages. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
