package io.strata.storage.engine.crypto;

import static java.util.Objects.requireNonNull;

import javax.crypto.spec.SecretKeySpec;

/**
 * One version of a tenant's data key, unwrapped: the AES-256 key its segments and commit-log records are encrypted
 * with. Versions start at 1; a rotation adds the next. Never printed.
 */
public record DataKey(String tenant, int version, SecretKeySpec key) {
    public DataKey {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(key, "key is null");
        if (version < 1) {
            throw new IllegalArgumentException("data key versions start at 1");
        }
    }

    /** The key's name in messages: never its bytes. */
    public String name() {
        return "data key " + version + " of tenant '" + tenant + "'";
    }

    @Override
    public String toString() {
        return name();
    }
}
