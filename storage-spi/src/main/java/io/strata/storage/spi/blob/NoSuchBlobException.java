package io.strata.storage.spi.blob;

import io.strata.storage.spi.StorageException;

/** The blob does not exist. */
public class NoSuchBlobException extends StorageException {
    public NoSuchBlobException(String key) {
        super("no such blob: " + key);
    }
}
