/**
 * Encryption at rest as the backends and the gateway see it: the {@link io.strata.storage.spi.crypto.KeyProvider}
 * SPI (a KMS's wrap, unwrap and key id) that protects the engine's per-tenant data keys.
 */
package io.strata.storage.spi.crypto;
