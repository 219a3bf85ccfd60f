package io.strata.storage.engine.crypto;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A small blob sealed whole under a tenant's current data key: {@code SEN1 | tenant | data key version | nonce |
 * AES-256-GCM(content)}. Used for the engine's metadata blobs (catalog documents, table identities, manifests);
 * segments and commit-log records have their own framing. {@link #open} passes blobs written in the clear (before
 * encryption was turned on) through unchanged. Stateless; thread-safe.
 */
public final class Envelope {
    private static final byte[] MAGIC = {'S', 'E', 'N', '1'};

    private Envelope() {}

    /** {@code content} sealed under the tenant's current data key; as is when encryption is off. */
    public static byte[] seal(KeyRing keys, String tenant, byte[] content) {
        requireNonNull(content, "content is null");
        DataKey key = keys.current(tenant);
        if (key == null) {
            return content;
        }
        byte[] nonce = Aead.nextNonce();
        byte[] sealed = Aead.seal(key, nonce, content, 0, content.length);
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(sealed.length + 64);
            DataOutputStream out = new DataOutputStream(b);
            out.write(MAGIC);
            out.writeUTF(key.tenant());
            out.writeInt(key.version());
            out.write(nonce);
            out.write(sealed);
            out.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The content of a sealed blob, or the blob itself if it was written in the clear.
     *
     * @param what names the blob in errors
     * @throws StorageException if it does not decrypt (damaged, or another key)
     */
    public static byte[] open(KeyRing keys, byte[] stored, String what) {
        if (!isSealed(stored)) {
            return stored;
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
            in.skipNBytes(MAGIC.length);
            DataKey key = keys.get(in.readUTF(), in.readInt());
            byte[] nonce = in.readNBytes(Aead.NONCE_BYTES);
            int offset = stored.length - in.available();
            byte[] clear = Aead.open(key, nonce, stored, offset, stored.length - offset);
            if (clear == null) {
                throw new StorageException(what + " does not decrypt with " + key.name() + " (damaged or tampered with)");
            }
            return clear;
        } catch (IOException e) {
            throw new StorageException(what + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Whether the bytes are a sealed envelope. */
    public static boolean isSealed(byte[] stored) {
        return stored.length > MAGIC.length && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }
}
