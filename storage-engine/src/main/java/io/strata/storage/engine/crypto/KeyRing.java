package io.strata.storage.engine.crypto;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.PreconditionFailedException;
import io.strata.storage.spi.crypto.KeyProvider;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Per-tenant data keys, envelope-encrypted: each tenant has numbered AES-256 data keys, stored in the data store
 * ({@code keys/<tenant>/dk-<version>-<generation>}, replicated like the data) wrapped by a master key of the
 * {@link KeyProvider}; each re-wrapping writes the next generation (blobs are never overwritten) and readers take
 * the newest;
 * unwrapped keys live only in memory.
 *
 * <p>A tenant's versions form one numbering, so a segment or commit-log record names its key by version alone.
 * Most versions are wrapped by the service's master key; a table with a customer-managed key
 * ({@link #useCustomerKey}) gets versions of its own wrapped under that key (a lineage per customer key), which
 * {@link #rewrap} never moves to the service's key: revoking the customer key makes exactly those tables
 * unreadable. The newest version encrypts what is written now; older versions stay to
 * read what they wrote until compaction has rewritten it ({@link #rotate}). Re-wrapping every data key under a new
 * master key ({@link #rewrap}) rotates the master key without touching data.
 *
 * <p>A key that cannot be unwrapped (a missing or different master key) fails with a
 * {@link KeyUnavailableException} naming both keys, before anything is read or written with it. Thread-safe.
 */
public final class KeyRing {
    private static final Logger LOG = Logger.getLogger(KeyRing.class);
    private static final byte[] MAGIC = {'S', 'D', 'K', '1'};
    /** A data key wrapped under a customer-managed key, which {@link #rewrap} leaves under it. */
    private static final byte[] CUSTOMER_MAGIC = {'S', 'D', 'K', 'C'};
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final KeyRing DISABLED = new KeyRing(null, null);

    private final BlobStore data;
    private final KeyProvider provider;
    private final Map<String, DataKey> current = new ConcurrentHashMap<>();
    private final Map<String, DataKey> byVersion = new ConcurrentHashMap<>();
    /** The customer key each table names (absent: the service's); set from the schema and the stored setting. */
    private final Map<TableId, String> tableKeys = new ConcurrentHashMap<>();
    /** Customer key identifiers as tenants name them ({@code tenant\0identifier}) to the provider's ids. */
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    private KeyRing(BlobStore data, KeyProvider provider) {
        this.data = data;
        this.provider = provider;
    }

    /** No encryption: {@link #current} answers null and everything is written in the clear. */
    public static KeyRing disabled() {
        return DISABLED;
    }

    /** Data keys in {@code data}, wrapped by {@code provider}'s master keys. */
    public static KeyRing over(BlobStore data, KeyProvider provider) {
        return new KeyRing(requireNonNull(data, "data is null"), requireNonNull(provider, "provider is null"));
    }

    public boolean enabled() {
        return provider != null;
    }

    /** The tenant's newest data key, created (version 1) on first use; null when encryption is off. */
    public DataKey current(String tenant) {
        requireNonNull(tenant, "tenant is null");
        if (provider == null) {
            return null;
        }
        DataKey k = current.get(tenant);
        if (k != null) {
            return k;
        }
        return currentOf(tenant, null);
    }

    /** The data key the table's data is written under now: its customer key's lineage, or the tenant's. */
    public DataKey forTable(TableId table) {
        requireNonNull(table, "table is null");
        if (provider == null) {
            return null;
        }
        String customer = tableKeys.get(table);
        return customer == null ? current(table.tenant()) : currentOf(table.tenant(), customer);
    }

    /**
     * Makes the table's new data use customer-managed key {@code identifier} (null: the service's key). What is
     * already written keeps its key until compaction rewrites it.
     */
    public void useCustomerKey(TableId table, String identifier) {
        requireNonNull(table, "table is null");
        if (identifier == null) {
            tableKeys.remove(table);
        } else {
            tableKeys.put(table, identifier);
        }
    }

    /** The customer-managed key the table names, or null. */
    public String customerKey(TableId table) {
        return tableKeys.get(requireNonNull(table, "table is null"));
    }

    /**
     * The provider's id of the tenant's customer key {@code identifier}.
     *
     * @throws KeyUnavailableException if encryption is off, or the provider has no such key for this tenant
     */
    public String resolveCustomerKey(String tenant, String identifier) {
        if (provider == null) {
            throw new KeyUnavailableException("encryption at rest is off on this server "
                    + "(strata.storage.encryption.enabled=false): a customer managed key cannot be used");
        }
        return provider.customerKey(requireNonNull(tenant, "tenant is null"),
                requireNonNull(identifier, "identifier is null"));
    }

    /** The newest key of a lineage (the service's when {@code customer} is null), created on first use. */
    private DataKey currentOf(String tenant, String customer) {
        String master = null;
        if (customer != null) {
            String named = tenant + "\0" + customer;
            master = resolved.get(named);
            if (master == null) {
                master = resolveCustomerKey(tenant, customer); // not cached when it fails: retried on the next write
                resolved.put(named, master);
            }
        }
        String lineage = master == null ? tenant : tenant + "\0" + master;
        DataKey k = current.get(lineage);
        if (k != null) {
            return k;
        }
        synchronized (this) {
            k = current.get(lineage);
            if (k == null) {
                int newest = 0;
                int max = 0;
                for (var v : versions(tenant).entrySet()) {
                    max = Math.max(max, v.getKey());
                    if (master == null ? !v.getValue().customer() : v.getValue().customer()
                            && v.getValue().masterKeyId().equals(master)) {
                        newest = Math.max(newest, v.getKey());
                    }
                }
                k = newest > 0 ? get(tenant, newest) : create(tenant, max + 1, master);
                current.put(lineage, k);
            }
            return k;
        }
    }

    /** Each version of the tenant's data key, as its newest wrapping says (read, not unwrapped). */
    private java.util.TreeMap<Integer, Wrapped> versions(String tenant) {
        java.util.TreeMap<Integer, String> newestBlob = new java.util.TreeMap<>();
        for (String blob : Blobs.listAll(data, StorageKeys.dataKeyPrefix(tenant))) {
            long[] vg = StorageKeys.dataKeyVersionAndGeneration(blob);
            if (vg != null) {
                newestBlob.merge((int) vg[0], blob, (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        java.util.TreeMap<Integer, Wrapped> out = new java.util.TreeMap<>();
        newestBlob.forEach((v, blob) -> out.put(v, Wrapped.decode(blob, Blobs.join(data.readAll(blob)))));
        return out;
    }

    /**
     * Version {@code version} of the tenant's data key.
     *
     * @throws KeyUnavailableException if it does not exist or cannot be unwrapped
     */
    public DataKey get(String tenant, int version) {
        requireNonNull(tenant, "tenant is null");
        if (provider == null) {
            throw new KeyUnavailableException("data key " + version + " of tenant '" + tenant
                    + "' is needed but encryption is off: turn strata.storage.encryption.enabled back on");
        }
        String cacheKey = tenant + "/" + version;
        DataKey k = byVersion.get(cacheKey);
        if (k != null) {
            return k;
        }
        String blob = newestWrapping(tenant, version);
        if (blob == null) {
            throw new KeyUnavailableException("data key " + version + " of tenant '" + tenant + "' does not exist in "
                    + "the data store (" + StorageKeys.dataKeyVersionPrefix(tenant, version) + "*)");
        }
        byte[] stored;
        try {
            stored = Blobs.join(data.readAll(blob));
        } catch (RuntimeException e) {
            throw new KeyUnavailableException("data key " + version + " of tenant '" + tenant + "' (" + blob
                    + ") cannot be read: " + e.getMessage(), e);
        }
        Wrapped w = Wrapped.decode(blob, stored);
        byte[] raw = provider.unwrap(w.masterKeyId, w.bytes, context(tenant, version));
        k = new DataKey(tenant, version, new SecretKeySpec(raw, "AES"));
        byVersion.put(cacheKey, k);
        return k;
    }

    /** The blob of the newest wrapping of a data key version, or null. */
    private String newestWrapping(String tenant, int version) {
        String newest = null;
        for (String blob : Blobs.listAll(data, StorageKeys.dataKeyVersionPrefix(tenant, version))) {
            if (StorageKeys.dataKeyVersionAndGeneration(blob) != null && (newest == null || blob.compareTo(newest) > 0)) {
                newest = blob;
            }
        }
        return newest;
    }

    /** Adds the next version of the tenant's data key and makes it current (old versions stay readable). */
    public synchronized DataKey rotate(String tenant) {
        requireNonNull(tenant, "tenant is null");
        if (provider == null) {
            throw new IllegalStateException("encryption is off");
        }
        DataKey k = create(tenant, Math.max(1, newestVersion(tenant) + 1), null);
        current.put(tenant, k);
        // the lineages of the tenant's customer keys move on too, each staying under its customer key
        java.util.Set<String> masters = new java.util.TreeSet<>();
        versions(tenant).values().stream().filter(Wrapped::customer).forEach(w -> masters.add(w.masterKeyId()));
        for (String master : masters) {
            try {
                current.put(tenant + "\0" + master, create(tenant, newestVersion(tenant) + 1, master));
            } catch (KeyUnavailableException e) {
                LOG.warnf("customer key '%s' of tenant '%s' is unavailable; its tables' data key is not rotated: %s",
                        master, tenant, e.getMessage());
            }
        }
        return k;
    }

    /**
     * Re-wraps every data key not wrapped by the provider's current master key under it, so the old master key can
     * be retired; data is not touched. Returns how many keys were re-wrapped.
     */
    public int rewrap() {
        if (provider == null) {
            return 0;
        }
        String target = provider.currentKeyId();
        // newest wrapping of each tenant's data key version, and the older ones to delete once it is replaced
        java.util.TreeMap<String, List<String>> wrappings = new java.util.TreeMap<>();
        for (String blob : Blobs.listAll(data, StorageKeys.DATA_KEYS)) {
            long[] vg = StorageKeys.dataKeyVersionAndGeneration(blob);
            if (vg != null) {
                wrappings.computeIfAbsent(blob.substring(0, blob.length() - 20), x -> new ArrayList<>()).add(blob);
            }
        }
        int n = 0;
        for (List<String> blobs : wrappings.values()) {
            java.util.Collections.sort(blobs);
            String newest = blobs.get(blobs.size() - 1);
            long[] vg = StorageKeys.dataKeyVersionAndGeneration(newest);
            String tenant = newest.substring(StorageKeys.DATA_KEYS.length(), newest.lastIndexOf('/'));
            Wrapped w = Wrapped.decode(newest, Blobs.join(data.readAll(newest)));
            List<String> old = new ArrayList<>(blobs.subList(0, blobs.size() - 1));
            if (!w.customer() && !w.masterKeyId.equals(target)) {
                byte[] ctx = context(tenant, (int) vg[0]);
                byte[] raw = provider.unwrap(w.masterKeyId, w.bytes, ctx);
                byte[] rewrapped = new Wrapped(target, provider.wrap(target, raw, ctx), false).encode();
                provider.unwrap(target, Wrapped.decode(newest, rewrapped).bytes(), ctx); // opens before the old goes
                Blobs.join(data.put(StorageKeys.dataKey(tenant, (int) vg[0], vg[1] + 1), rewrapped,
                        PutMode.CREATE_IF_ABSENT));
                old.add(newest);
                n++;
            }
            if (!old.isEmpty()) {
                Blobs.join(data.delete(old)); // wrappings under retired master keys
            }
        }
        LOG.infof("Re-wrapped %d data keys under master key '%s'", n, target);
        return n;
    }

    private int newestVersion(String tenant) {
        int newest = 0;
        for (String blob : Blobs.listAll(data, StorageKeys.dataKeyPrefix(tenant))) {
            long[] vg = StorageKeys.dataKeyVersionAndGeneration(blob);
            if (vg != null) {
                newest = Math.max(newest, (int) vg[0]);
            }
        }
        return newest;
    }

    /**
     * Creates a data key at {@code version} or, when another node took that version for another lineage, the next
     * free one; wrapped under the service's current master key ({@code customerMaster} null) or a customer key.
     */
    private DataKey create(String tenant, int version, String customerMaster) {
        for (int v = version; ; v++) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String masterKey = customerMaster == null ? provider.currentKeyId() : customerMaster;
            byte[] stored = new Wrapped(masterKey, provider.wrap(masterKey, raw, context(tenant, v)),
                    customerMaster != null).encode();
            String blob = StorageKeys.dataKey(tenant, v, 1);
            try {
                Blobs.join(data.put(blob, stored, PutMode.CREATE_IF_ABSENT));
            } catch (PreconditionFailedException | CompletionException e) {
                if (!(e instanceof PreconditionFailedException) && !(e.getCause() instanceof PreconditionFailedException)) {
                    throw e;
                }
                Wrapped theirs = versions(tenant).get(v);
                if (theirs != null && theirs.customer() == (customerMaster != null)
                        && (customerMaster == null || theirs.masterKeyId().equals(customerMaster))) {
                    return get(tenant, v); // another node created this lineage's key first: use theirs
                }
                continue;
            }
            DataKey k = new DataKey(tenant, v, new SecretKeySpec(raw, "AES"));
            byVersion.put(tenant + "/" + v, k);
            LOG.infof("Created %s, wrapped by %s key '%s'", k.name(), customerMaster == null ? "master" : "customer",
                    masterKey);
            return k;
        }
    }

    /** Binds a wrapped key to its tenant and version: it cannot be copied to another. */
    private static byte[] context(String tenant, int version) {
        return ("strata data key\0" + tenant + "\0" + version).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A stored data key: {@code SDK1 | master key id (UTF) | length | wrapped bytes}, or {@code SDKC | ...} when the
     * wrapping key is a customer's.
     */
    private record Wrapped(String masterKeyId, byte[] bytes, boolean customer) {
        byte[] encode() {
            try {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(b);
                out.write(customer ? CUSTOMER_MAGIC : MAGIC);
                out.writeUTF(masterKeyId);
                out.writeInt(bytes.length);
                out.write(bytes);
                out.flush();
                return b.toByteArray();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Wrapped decode(String blob, byte[] stored) {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
                byte[] magic = in.readNBytes(4);
                boolean customer = java.util.Arrays.equals(magic, CUSTOMER_MAGIC);
                if (!customer && !java.util.Arrays.equals(magic, MAGIC)) {
                    throw new StorageException(blob + " is not a wrapped data key");
                }
                String id = in.readUTF();
                int n = in.readInt();
                if (n < 0 || n > 1024) {
                    throw new StorageException(blob + " is damaged");
                }
                return new Wrapped(id, in.readNBytes(n), customer);
            } catch (IOException e) {
                throw new StorageException(blob + " is damaged: " + e.getMessage(), e);
            }
        }
    }
}
