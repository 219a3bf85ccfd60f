package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import io.strata.cql.request.CqlException;
import io.strata.cql.request.PageRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * Seals the paging states the executors write before they reach a client, and opens them when they come
 * back. A sealed state is {@code version (1 byte) | body | HMAC-SHA256 (32 bytes)}; the MAC covers a domain
 * label, the tenant, the statement ({@link #scope}: SHA-256 of keyspace and query text), the version and the
 * body. So a state that was altered in any bit, cut, grown, or issued to another tenant or for another
 * statement is refused, as Cassandra refuses a bad paging state: PROTOCOL_ERROR "Invalid value for the
 * paging state". The size is checked before the MAC, and the MAC before the body is parsed, so nothing a
 * client sends sizes an allocation.
 *
 * <p>The body is not encrypted: it holds the client's own partition key and clustering, which the client
 * read in the previous page. Thread-safe.
 */
final class PagingStates {
    static final byte VERSION = 1;
    static final int MAC_BYTES = 32;
    /** The largest sealed state accepted. */
    static final int MAX_SEALED_BYTES = 1 + PageRequest.MAX_STATE_BYTES + MAC_BYTES;
    private static final byte[] DOMAIN = "strata/cql/paging-state\0".getBytes(StandardCharsets.US_ASCII);
    static final String INVALID = "Invalid value for the paging state";

    private final PagingKey key;

    PagingStates(PagingKey key) {
        this.key = requireNonNull(key, "key is null");
    }

    /**
     * What a state pages: the statement's keyspace (null: none) and text. QUERY and EXECUTE of the same text
     * share it, so a driver may continue either way.
     */
    static byte[] scope(String keyspace, String query) {
        requireNonNull(query, "query is null");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // length-prefixed, so ("ks", "x") and ("k", "sx") differ
            lengthPrefixed(sha, keyspace == null ? null : keyspace.getBytes(StandardCharsets.UTF_8));
            sha.update(query.getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The state a client receives for the executor's {@code body}. */
    byte[] seal(String tenant, byte[] scope, byte[] body) {
        requireNonNull(body, "body is null");
        byte[] out = new byte[1 + body.length + MAC_BYTES];
        out[0] = VERSION;
        System.arraycopy(body, 0, out, 1, body.length);
        byte[] mac = mac(0, tenant, scope, out, 1 + body.length);
        System.arraycopy(mac, 0, out, 1 + body.length, MAC_BYTES);
        return out;
    }

    /**
     * The executor's body of a state a client sent.
     *
     * @throws CqlException PROTOCOL_ERROR unless this server sealed {@code sealed} for this tenant and statement
     */
    byte[] open(String tenant, byte[] scope, ByteBuffer sealed) {
        int n = sealed.remaining();
        if (n < 1 + MAC_BYTES || n > MAX_SEALED_BYTES) {
            throw CqlException.protocol(INVALID);
        }
        byte[] all = new byte[n];
        sealed.duplicate().get(all);
        if (all[0] != VERSION) {
            throw CqlException.protocol(INVALID);
        }
        int signed = n - MAC_BYTES;
        byte[] given = Arrays.copyOfRange(all, signed, n);
        for (int i = 0; i < key.count(); i++) {
            // constant-time comparison: the time taken says nothing about how much of a forged MAC matched
            if (MessageDigest.isEqual(mac(i, tenant, scope, all, signed), given)) {
                return Arrays.copyOfRange(all, 1, signed);
            }
        }
        throw CqlException.protocol(INVALID);
    }

    private byte[] mac(int keyIndex, String tenant, byte[] scope, byte[] signed, int length) {
        Mac mac = key.mac(keyIndex);
        mac.update(DOMAIN);
        lengthPrefixed(mac, tenant.getBytes(StandardCharsets.UTF_8));
        mac.update(scope);
        mac.update(signed, 0, length);
        return mac.doFinal();
    }

    private static void lengthPrefixed(MessageDigest md, byte[] b) {
        md.update(ByteBuffer.allocate(4).putInt(b == null ? -1 : b.length).array());
        if (b != null) {
            md.update(b);
        }
    }

    private static void lengthPrefixed(Mac mac, byte[] b) {
        mac.update(ByteBuffer.allocate(4).putInt(b.length).array());
        mac.update(b);
    }
}
