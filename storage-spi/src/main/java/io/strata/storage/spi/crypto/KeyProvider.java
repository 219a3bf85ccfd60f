package io.strata.storage.spi.crypto;

/**
 * A key management service as storage sees it, shaped like a KMS: master keys never leave it; it wraps
 * (encrypts) and unwraps data keys under a named master key. Strata keeps only wrapped data keys, next to the data
 * they protect; whoever holds the data without the provider's master keys reads nothing.
 *
 * <p>{@code context} is authenticated with the wrapped key but not stored in it (a KMS's encryption context):
 * unwrapping with a different context fails, so a wrapped key cannot be moved to another tenant. Implementations
 * are thread-safe; calls may block (a remote KMS) and are made only when a data key is created, first used after
 * start, or re-wrapped.
 */
public interface KeyProvider {
    /** The master key new data keys are wrapped with. */
    String currentKeyId();

    /**
     * Wraps a data key under master key {@code keyId}.
     *
     * @throws KeyUnavailableException if the provider has no such key
     */
    byte[] wrap(String keyId, byte[] dataKey, byte[] context);

    /**
     * Unwraps a data key wrapped under {@code keyId} with the same {@code context}.
     *
     * @throws KeyUnavailableException if the provider has no such key, or the key does not open this data key
     *     (a wrong key, a different context, or damaged bytes); the message names the key
     */
    byte[] unwrap(String keyId, byte[] wrapped, byte[] context);

    /**
     * The provider's id of the customer-managed key a tenant names ({@code kms_key_identifier}): a key the tenant
     * controls, which data keys of its tables are wrapped under and which Strata never re-wraps (the customer rotates
     * or revokes it in the KMS). Providers check that the key exists and that the tenant may use it.
     *
     * @throws KeyUnavailableException if there is no such key, the tenant may not use it, or the provider has no
     *     customer-managed keys; the message says which
     */
    default String customerKey(String tenant, String identifier) {
        throw new KeyUnavailableException("this key provider has no customer managed keys");
    }
}
