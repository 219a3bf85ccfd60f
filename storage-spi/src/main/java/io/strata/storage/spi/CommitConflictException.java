package io.strata.storage.spi;

/** A compare-and-set commit lost: the stored version is not the expected one. Reload and retry. */
public class CommitConflictException extends StorageException {
    public CommitConflictException(String message) {
        super(message);
    }
}
