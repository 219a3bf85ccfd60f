package io.strata.storage.engine.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM as the engine uses it: 96-bit nonces, 128-bit tags appended to the ciphertext. Nonces must never
 * repeat under one key: segments use a random 64-bit salt per file plus the block number ({@link #nonce(long, int)}),
 * commit-log records and envelopes a random 64-bit prefix per process combined with a 64-bit counter
 * ({@link #nextNonce()}). Stateless apart from that counter; thread-safe (a {@link Cipher} per thread).
 */
public final class Aead {
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    });
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PREFIX = RANDOM.nextLong();

    private Aead() {}

    /** A random salt for one segment file. */
    public static long salt() {
        return RANDOM.nextLong();
    }

    /** The nonce of block {@code index} of a segment with {@code salt} (metadata: index -1). */
    public static byte[] nonce(long salt, int index) {
        return ByteBuffer.allocate(NONCE_BYTES).putLong(salt).putInt(index).array();
    }

    /**
     * A fresh nonce for a commit-log record or an envelope: the counter's low 32 bits, its high bits folded into the
     * process's random prefix, so every value of the counter gives a different nonce without any lock.
     */
    public static byte[] nextNonce() {
        long n = COUNTER.getAndIncrement();
        return ByteBuffer.allocate(NONCE_BYTES).putLong(PREFIX ^ (n >>> 32)).putInt((int) n).array();
    }

    /** Encrypts {@code plain[off, off+len)}; returns ciphertext followed by the tag. */
    public static byte[] seal(DataKey key, byte[] nonce, byte[] plain, int off, int len) {
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            return c.doFinal(plain, off, len);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Decrypts and authenticates; null if the tag does not match (damaged bytes or the wrong key). */
    public static byte[] open(DataKey key, byte[] nonce, byte[] sealed, int off, int len) {
        try {
            Cipher c = CIPHER.get();
            c.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BYTES * 8, nonce));
            return c.doFinal(sealed, off, len);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }
}
