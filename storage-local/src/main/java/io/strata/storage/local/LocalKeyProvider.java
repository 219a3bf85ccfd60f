package io.strata.storage.local;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.crypto.KeyProvider;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The default {@link KeyProvider}: master keys as files in one directory, {@code <id>.key} (32 random bytes,
 * base64), and {@code current} naming the key new data keys are wrapped with. Wrapping is AES-256-GCM with a
 * random 96-bit nonce and the caller's context as associated data ({@code nonce | ciphertext | tag}).
 *
 * <p>Files are created private to the user (0600, directory 0700). {@link #rotate()} adds a key and makes it
 * current; old keys stay, since data keys wrapped by them are re-wrapped by the engine, not here. A key file
 * deleted or replaced makes unwrapping fail with a {@link KeyUnavailableException} naming the key and the
 * directory.
 *
 * <p>Customer-managed keys (a table's {@code CUSTOMER_MANAGED_KMS_KEY}) live apart, one directory per tenant:
 * {@code customer/<tenant>/<name>.key}, id {@code customer/<tenant>/<name>}; a tenant can only name its own.
 * {@link #createCustomerKey} makes one; deleting its file revokes it (what was written under it becomes unreadable
 * once the process restarts). Thread-safe.
 */
public final class LocalKeyProvider implements KeyProvider {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String CUSTOMER = "customer";
    /** A customer key's name as the tenant gives it: the name, or a KMS-style ARN or alias ending in it. */
    private static final Pattern CUSTOMER_IDENTIFIER = Pattern.compile("(?:.*[:/](?:key|alias)/)?([A-Za-z0-9_-]{1,64})");
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final Map<String, SecretKeySpec> keys = new ConcurrentHashMap<>();
    private volatile String current;

    private LocalKeyProvider(Path dir, String current) {
        this.dir = dir;
        this.current = current;
    }

    /**
     * Opens the key directory; with {@code create}, makes it and a first master key when there is none.
     *
     * @throws KeyUnavailableException if there is no current key and {@code create} is false
     */
    public static LocalKeyProvider open(Path dir, boolean create) {
        requireNonNull(dir, "dir is null");
        Path currentFile = dir.resolve("current");
        try {
            if (Files.exists(currentFile)) {
                LocalKeyProvider p = new LocalKeyProvider(dir, readId(currentFile));
                p.key(p.current); // a missing current key fails now, not at the first write
                return p;
            }
            if (!create) {
                throw new KeyUnavailableException("no master key in " + dir + " (no 'current' file): restore the key "
                        + "directory from its backup, or point strata.storage.encryption.key-dir at it");
            }
            privateDirectory(dir);
            LocalKeyProvider p = new LocalKeyProvider(dir, null);
            p.current = p.newKey();
            p.writeCurrent(p.current);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the master keys in " + dir, e);
        }
    }

    /** The directory holding the keys. */
    public Path directory() {
        return dir;
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    /** Creates a new master key and makes it current; returns its id. */
    public synchronized String rotate() {
        try {
            String id = newKey();
            writeCurrent(id);
            current = id;
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a master key in " + dir, e);
        }
    }

    /**
     * Creates customer-managed key {@code name} for the tenant; returns the identifier tables name it by.
     *
     * @throws IllegalArgumentException if the tenant or name is not a valid id, or the key exists
     */
    public synchronized String createCustomerKey(String tenant, String name) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(name, "name is null");
        if (!ID.matcher(tenant).matches() || !CUSTOMER_IDENTIFIER.matcher(name).matches() || name.contains("/")) {
            throw new IllegalArgumentException("a key name is 1 to 64 letters, digits, '_' or '-': '" + name + "'");
        }
        Path tenantDir = dir.resolve(CUSTOMER).resolve(tenant);
        Path file = tenantDir.resolve(name + ".key");
        try {
            privateDirectory(tenantDir);
            if (Files.exists(file)) {
                throw new IllegalArgumentException("tenant '" + tenant + "' already has a key named '" + name + "'");
            }
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            writePrivate(file, Base64.getEncoder().encodeToString(b) + "\n");
            FileIO.DEFAULT.forceDirectory(tenantDir);
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a key in " + tenantDir, e);
        }
    }

    /** The names of the tenant's customer-managed keys, sorted. */
    public java.util.List<String> customerKeys(String tenant) {
        Path tenantDir = dir.resolve(CUSTOMER).resolve(requireNonNull(tenant, "tenant is null"));
        if (!ID.matcher(tenant).matches() || !Files.isDirectory(tenantDir)) {
            return java.util.List.of();
        }
        try (var files = Files.list(tenantDir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".key"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tenantDir, e);
        }
    }

    @Override
    public String customerKey(String tenant, String identifier) {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(identifier, "identifier is null");
        var m = CUSTOMER_IDENTIFIER.matcher(identifier.strip());
        if (!ID.matcher(tenant).matches() || !m.matches()) {
            throw new KeyUnavailableException("'" + identifier + "' is not a key identifier: give the key's name (or an "
                    + "ARN ending in key/<name>)");
        }
        String id = CUSTOMER + "/" + tenant + "/" + m.group(1);
        key(id); // exists and is readable, or the message says why
        return id;
    }

    @Override
    public byte[] wrap(String keyId, byte[] dataKey, byte[] context) {
        requireNonNull(dataKey, "dataKey is null");
        requireNonNull(context, "context is null");
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(keyId), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(context);
            byte[] sealed = c.doFinal(dataKey);
            byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }

    @Override
    public byte[] unwrap(String keyId, byte[] wrapped, byte[] context) {
        requireNonNull(wrapped, "wrapped is null");
        requireNonNull(context, "context is null");
        SecretKeySpec key = key(keyId);
        if (wrapped.length <= NONCE) {
            throw new KeyUnavailableException("a data key wrapped under master key '" + keyId + "' is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE));
            c.updateAAD(context);
            return c.doFinal(wrapped, NONCE, wrapped.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new KeyUnavailableException("master key '" + keyId + "' in " + dir + " does not open this data key: "
                    + "the key file was replaced, or the data belongs to another key directory", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable in this JVM", e);
        }
    }

    private SecretKeySpec key(String keyId) {
        requireNonNull(keyId, "keyId is null");
        SecretKeySpec k = keys.get(keyId);
        if (k != null) {
            return k;
        }
        Path file;
        String[] parts = keyId.split("/", -1);
        if (parts.length == 3 && parts[0].equals(CUSTOMER) && ID.matcher(parts[1]).matches()
                && ID.matcher(parts[2]).matches()) {
            file = dir.resolve(CUSTOMER).resolve(parts[1]).resolve(parts[2] + ".key");
            if (!Files.exists(file)) {
                throw new KeyUnavailableException("customer managed key '" + parts[2] + "' of tenant '" + parts[1]
                        + "' does not exist: create it with `strata storage create-key " + parts[1]
                        + " " + parts[2] + "`, or restore the file if it was deleted");
            }
        } else if (ID.matcher(keyId).matches()) {
            file = dir.resolve(keyId + ".key");
        } else {
            throw new KeyUnavailableException("'" + keyId + "' is not a local master key id");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new KeyUnavailableException("master key '" + keyId + "' is missing: no " + file, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyUnavailableException("master key '" + keyId + "' in " + file + " cannot be read: " + e, e);
        }
        if (bytes.length != 32) {
            throw new KeyUnavailableException("master key '" + keyId + "' in " + file + " is not 32 bytes");
        }
        k = new SecretKeySpec(bytes, "AES");
        keys.put(keyId, k);
        return k;
    }

    private String newKey() throws IOException {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        byte[] idBytes = new byte[6];
        RANDOM.nextBytes(idBytes);
        String id = "local-" + HexFormat.of().formatHex(idBytes);
        Path file = dir.resolve(id + ".key");
        writePrivate(file, Base64.getEncoder().encodeToString(b) + "\n");
        return id;
    }

    private void writeCurrent(String id) throws IOException {
        Path tmp = dir.resolve("current.tmp");
        Files.deleteIfExists(tmp);
        writePrivate(tmp, id + "\n");
        Files.move(tmp, dir.resolve("current"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        FileIO.DEFAULT.forceDirectory(dir);
    }

    private static String readId(Path currentFile) throws IOException {
        String id = Files.readString(currentFile, StandardCharsets.US_ASCII).strip();
        if (!ID.matcher(id).matches()) {
            throw new KeyUnavailableException(currentFile + " does not name a master key");
        }
        return id;
    }

    private static void privateDirectory(Path dir) throws IOException {
        PrivateFiles.createDirectories(dir);
    }

    private static void writePrivate(Path file, String content) throws IOException {
        try (var ch = PrivateFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
    }
}
