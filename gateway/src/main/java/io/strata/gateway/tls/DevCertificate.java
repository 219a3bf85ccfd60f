package io.strata.gateway.tls;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The self-signed development certificate ({@code strata.tls.self-signed=true}): a 2048-bit RSA key and a
 * certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}, valid 825 days, written as PEM to
 * {@value #CERT} and {@value #KEY} in a private directory (0700, files 0600). Created on first start, reused
 * on every later one, and created again once expired. The JDK has no public API to sign a certificate, so
 * the JDK's own {@code keytool} makes it (no extra library); the key is then exported as PKCS#8 PEM.
 *
 * <p>Not thread-safe across processes beyond this: files appear by atomic rename, so a reader sees the
 * old pair or the new one, never half a file.
 */
public final class DevCertificate {
    public static final String CERT = "strata-dev.crt";
    public static final String KEY = "strata-dev.key";
    static final int VALIDITY_DAYS = 825;

    /** Where the pair lives. */
    public record Pair(Path cert, Path key) {
        public Pair {
            requireNonNull(cert, "cert is null");
            requireNonNull(key, "key is null");
        }
    }

    private DevCertificate() {
    }

    /**
     * The development certificate in {@code dir}, created first when missing or expired.
     *
     * @return the PEM files of the certificate and its key
     */
    public static Pair ensure(Path dir, Clock clock) throws IOException {
        requireNonNull(dir, "dir is null");
        requireNonNull(clock, "clock is null");
        Pair pair = new Pair(dir.resolve(CERT), dir.resolve(KEY));
        if (Files.isRegularFile(pair.cert()) && Files.isRegularFile(pair.key()) && !expired(pair.cert(), clock)) {
            return pair;
        }
        createPrivateDirectory(dir);
        Path work = Files.createTempDirectory(dir, ".generating-");
        try {
            Path store = work.resolve("dev.p12");
            char[] password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16)).toCharArray();
            keytool(store, new String(password));
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            PrivateKey key = (PrivateKey) keys.getKey("strata", password);
            X509Certificate cert = (X509Certificate) keys.getCertificate("strata");
            // the key first: a certificate never appears without its key
            writePrivate(pair.key(), pem("PRIVATE KEY", key.getEncoded()), work);
            writePrivate(pair.cert(), pem("CERTIFICATE", cert.getEncoded()), work);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IOException("could not read the development certificate keytool made: " + e.getMessage(), e);
        } finally {
            try (var leftovers = Files.list(work)) {
                for (Path p : leftovers.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static boolean expired(Path cert, Clock clock) throws IOException {
        try (InputStream in = Files.newInputStream(cert)) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            // a day of margin: a certificate about to expire is replaced now, not mid-session
            return c.getNotAfter().toInstant().isBefore(clock.instant().plus(java.time.Duration.ofDays(1)));
        } catch (GeneralSecurityException e) {
            return true; // unreadable: make a fresh one
        }
    }

    private static void keytool(Path store, String password) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", "strata", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-validity", String.valueOf(VALIDITY_DAYS), "-dname", "CN=localhost, O=Strata development certificate",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool could not create the development certificate: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted creating the development certificate", e);
        } finally {
            process.destroyForcibly();
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix()) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static void writePrivate(Path target, String content, Path work) throws IOException {
        Path tmp = work.resolve(target.getFileName() + ".tmp");
        if (posix()) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        try (var channel = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
