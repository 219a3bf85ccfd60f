package io.strata.storage.spi.crypto;

import java.util.Map;

/**
 * How an external key management service plugs in: a factory found with {@link java.util.ServiceLoader} (a jar on
 * the class path with {@code META-INF/services/io.strata.storage.spi.crypto.KeyProviderFactory}), chosen by
 * {@code strata.storage.encryption.provider=<name>} and given the {@code strata.storage.encryption.settings.*}
 * entries (endpoint, key id, credentials file, ...). Strata's own is {@code local} (key files).
 */
public interface KeyProviderFactory {
    /** The name {@code strata.storage.encryption.provider} selects it by. */
    String name();

    /** A provider for these settings; fails (naming what is missing) if they are incomplete. */
    KeyProvider create(Map<String, String> settings);
}
