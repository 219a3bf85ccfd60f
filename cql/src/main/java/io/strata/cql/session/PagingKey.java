package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server secret that authenticates paging states (HMAC-SHA256): states are sealed under the current key
 * and accepted under the current or a previous one, so a key can be rotated without failing the paging
 * queries in flight (configure the new key as current and the old one as previous for as long as a client
 * may hold a state, then drop it).
 *
 * <p>Every node that may receive a state another node issued (several gateway nodes behind one address)
 * must be configured with the same keys; {@link #random()} suits a single process only. Keys are at least
 * 32 bytes (the HMAC-SHA256 block size or less is the recommended range; shorter keys weaken the MAC).
 * Immutable and thread-safe; {@link #toString()} never shows the secret.
 */
public final class PagingKey {
    /** The shortest secret accepted: 256 bits, the strength of HMAC-SHA256. */
    public static final int MIN_BYTES = 32;
    static final String ALGORITHM = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<SecretKeySpec> keys;

    private PagingKey(List<SecretKeySpec> keys) {
        this.keys = keys;
    }

    /**
     * @param current the secret new states are sealed with
     * @param previous secrets states are still accepted under (rotation), newest first
     * @throws IllegalArgumentException if a secret is shorter than {@link #MIN_BYTES}
     */
    public static PagingKey of(byte[] current, byte[]... previous) {
        requireNonNull(current, "current is null");
        requireNonNull(previous, "previous is null");
        List<SecretKeySpec> keys = new ArrayList<>(1 + previous.length);
        keys.add(spec(current));
        for (byte[] p : previous) {
            keys.add(spec(requireNonNull(p, "previous key is null")));
        }
        return new PagingKey(List.copyOf(keys));
    }

    /** A fresh random key, for one process: states it seals are refused by every other process. */
    public static PagingKey random() {
        byte[] secret = new byte[MIN_BYTES];
        RANDOM.nextBytes(secret);
        return of(secret);
    }

    private static SecretKeySpec spec(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("a paging key needs at least " + MIN_BYTES + " bytes, got " + secret.length);
        }
        return new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** How many keys verify (the current one first). */
    int count() {
        return keys.size();
    }

    /** A MAC under key {@code i} (0: the current key); a new instance per call, since a Mac is not thread-safe. */
    Mac mac(int i) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(keys.get(i));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "PagingKey[" + keys.size() + " key(s)]";
    }
}
