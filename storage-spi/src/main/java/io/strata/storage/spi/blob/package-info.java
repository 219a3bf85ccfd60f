/**
 * The backend SPI: the only interfaces a storage backend implements. Deliberately small, like Trino's
 * trino-filesystem: blobs with conditional create/replace, ranged reads and sorted listing
 * ({@link io.strata.storage.spi.blob.BlobStore}), and append logs made of durable chunks
 * ({@link io.strata.storage.spi.blob.LogStore}). The LSM engine is written once over these; local disks
 * and S3-compatible stores differ only here, and both pass the same abstract contract tests (test-jar:
 * {@code AbstractBlobStoreContractTest}, {@code AbstractLogStoreContractTest}).
 */
package io.strata.storage.spi.blob;
