package io.strata.storage.spi.blob;

import io.strata.storage.spi.StorageException;

/** A conditional put lost: the blob exists (CREATE_IF_ABSENT) or has another etag (IF_MATCH). */
public class PreconditionFailedException extends StorageException {
    public PreconditionFailedException(String message) {
        super(message);
    }
}
