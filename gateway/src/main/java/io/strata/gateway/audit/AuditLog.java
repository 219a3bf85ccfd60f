package io.strata.gateway.audit;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit trail: one JSON line per {@link AuditRecord}, appended to {@code <dir>/audit.log}, each line carrying
 * its {@code seq} and {@code prev}, the SHA-256 (hex) of the previous line, so a deleted, reordered or edited line
 * breaks the chain ({@link AuditVerify} finds where). The first line ever links to 64 zeros.
 *
 * <p>Rotation: before a line would take the current file past {@code maxFileSize}, the file is forced to disk and
 * renamed {@code audit.log.NNNNNN} (the next number), and a new one started; its first line links to the last
 * line of the renamed file and continues its {@code seq}. On open, the chain continues from the last complete line
 * of the current file (or of the newest rotated one). The directory and files are created owner-only (0700/0600), since lines
 * name tenants, users and statements.
 *
 * <p>Durability: each line is written with one {@code write} to the file (no user-space buffer), so it survives a
 * crash of the process at once; it reaches the disk when the OS writes it back, or at the latest at rotation or
 * {@link #close()}, which force the file. A power loss can lose the last lines; the torn tail shows in
 * {@link AuditVerify}. An fsync per record would cost a disk flush per CQL login (docs/audit.md).
 *
 * <p>Thread-safe: one lock orders the lines; a record costs a hash and one small {@code write} under it, so
 * callers on event loops (DDL guards) are held for microseconds; only rotation (a rename and an fsync every
 * {@code maxFileSize} bytes) takes longer. A failed write is reported on the error stream and never fails the
 * audited request; the next write is tried again. A {@link #disabled()} log records nothing.
 */
public class AuditLog implements AutoCloseable {
    public static final String FILE_NAME = "audit.log";
    static final String GENESIS = "0".repeat(64);

    private final Path dir;
    private final Path file;
    private final long maxFileSize;
    private final Clock clock;
    private final PrintStream echo;
    private FileChannel channel;
    private long size;
    private long seq;
    private String prev;
    private boolean closed;

    private AuditLog() {
        dir = null;
        file = null;
        maxFileSize = 0;
        clock = Clock.systemUTC();
        echo = null;
        closed = true;
    }

    private AuditLog(Path dir, long maxFileSize, Clock clock, PrintStream echo) throws IOException {
        if (maxFileSize < 1024) {
            throw new IllegalArgumentException("strata.audit.max-file-size must be at least 1024 bytes: " + maxFileSize);
        }
        this.dir = requireNonNull(dir, "dir is null");
        this.file = dir.resolve(FILE_NAME);
        this.maxFileSize = maxFileSize;
        this.clock = requireNonNull(clock, "clock is null");
        this.echo = echo;
        PrivateFiles.createDirectories(dir);
        List<Path> files = AuditFiles.inOrder(dir);
        String last = null;
        Path lastFile = null;
        for (int i = files.size() - 1; i >= 0 && last == null; i--) {
            lastFile = files.get(i);
            last = AuditFiles.lastCompleteLine(lastFile);
        }
        if (last == null) {
            seq = 0;
            prev = GENESIS;
        } else {
            try {
                seq = AuditFiles.seqOf(last);
            } catch (IllegalStateException e) {
                // refuse to start rather than begin a chain nobody can check: someone must look at the log
                throw new IOException("the last line of " + lastFile + " is not an audit record, so the chain cannot"
                        + " continue: check the directory with io.strata.gateway.audit.AuditVerify, then move its"
                        + " files aside to start a new chain", e);
            }
            prev = sha256(last);
        }
        openCurrent();
        endTornLine();
    }

    /**
     * A line cut short (a power loss before the OS wrote it back) stays as evidence ({@link AuditVerify} reports
     * it), but on a line of its own: the next record must not be glued to it.
     */
    private void endTornLine() throws IOException {
        if (size == 0) {
            return;
        }
        ByteBuffer last = ByteBuffer.allocate(1);
        try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
            reader.read(last, size - 1);
        }
        if (last.get(0) != '\n') {
            channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            size++;
        }
    }

    /**
     * Opens (creating if needed) the log in {@code dir}.
     *
     * @param echo also prints every line there (stdout), or null
     * @throws IOException if the directory or file cannot be created or read
     */
    public static AuditLog open(Path dir, long maxFileSize, Clock clock, PrintStream echo) throws IOException {
        return new AuditLog(dir, maxFileSize, clock, echo);
    }

    /** A log that records nothing ({@code strata.audit.enabled=false}). */
    public static AuditLog disabled() {
        return new AuditLog();
    }

    public boolean enabled() {
        return dir != null;
    }

    /** The directory of the log's files, or null when disabled. */
    public Path directory() {
        return dir;
    }

    Clock clock() {
        return clock;
    }

    /** A CQL login; {@code reasonOrNull} null when it succeeded (then tenant and principal are the verified ones). */
    public void login(String tenant, String principal, String tokenId, String source, String reasonOrNull) {
        record(new AuditRecord(clock.instant(), "login", tenant, principal, tokenId, source, null,
                reasonOrNull == null ? AuditRecord.OK : AuditRecord.REFUSED, reasonOrNull));
    }

    /** A DDL (or TRUNCATE) statement about to run; {@code cql} is redacted here. */
    public void ddl(String tenant, String principal, String source, String cql) {
        ddl(tenant, principal, null, source, cql, null);
    }

    /** A DDL (or TRUNCATE) statement that ran; {@code failureOrNull} says why it failed; {@code cql} is redacted here. */
    public void ddl(String tenant, String principal, String tokenId, String source, String cql, String failureOrNull) {
        record(new AuditRecord(clock.instant(), "ddl", tenant, principal, tokenId, source, Redactor.redact(cql),
                failureOrNull == null ? AuditRecord.OK : AuditRecord.FAILED, failureOrNull));
    }

    /** Hook for access policies: {@code principal} was refused {@code what} (a statement, redacted here). */
    public void denied(String tenant, String principal, String tokenId, String source, String what, String reason) {
        record(new AuditRecord(clock.instant(), "denied", tenant, principal, tokenId, source, Redactor.redact(what),
                AuditRecord.REFUSED, reason));
    }

    /** An admin API call ({@code method path}); {@code reasonOrNull} null when it succeeded. */
    public void admin(String operator, String tokenId, String source, String method, String path,
            String reasonOrNull) {
        admin(null, operator, tokenId, source, method, path, reasonOrNull);
    }

    /** An admin API call by a tenant admin of {@code tenant} (null for an operator or an unknown caller). */
    public void admin(String tenant, String principal, String tokenId, String source, String method, String path,
            String reasonOrNull) {
        record(new AuditRecord(clock.instant(), "admin", tenant, principal, tokenId, source, method + " " + path,
                reasonOrNull == null ? AuditRecord.OK : AuditRecord.REFUSED, reasonOrNull));
    }

    /** Hook for the token service: {@code issuer} minted token {@code tokenId} for {@code tenant}/{@code subject}. */
    public void tokenIssued(String tenant, String subject, String tokenId, String issuer, String source) {
        record(new AuditRecord(clock.instant(), "token.issue", tenant, subject, tokenId, source,
                issuer == null ? null : "issued by " + issuer, AuditRecord.OK, null));
    }

    /** Hook for the token service: token {@code tokenId} revoked by {@code by}. */
    public void tokenRevoked(String tenant, String subject, String tokenId, String by, String source) {
        record(new AuditRecord(clock.instant(), "token.revoke", tenant, subject, tokenId, source,
                by == null ? null : "revoked by " + by, AuditRecord.OK, null));
    }

    /** Appends {@code record} as the next line of the chain. Does nothing when disabled or closed. */
    public void record(AuditRecord record) {
        requireNonNull(record, "record is null");
        if (dir == null) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            String line = record.toJson(seq + 1, prev);
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                if (size > 0 && size + bytes.length > maxFileSize) {
                    rotate();
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                size += bytes.length;
                seq++;
                prev = sha256(line);
            } catch (IOException e) {
                System.err.println("strata audit: cannot write " + file + ": " + e);
                return;
            }
            if (echo != null) {
                echo.println(line);
            }
        }
    }

    /** Forces and closes the current file; later records are dropped. */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                channel.force(true);
            } finally {
                channel.close();
            }
        }
    }

    private void rotate() throws IOException {
        channel.force(true);
        channel.close();
        Path target = dir.resolve(AuditFiles.rotatedName(AuditFiles.lastRotatedNumber(dir) + 1));
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        openCurrent();
        // the rename and the new file's entry must survive a power loss together with the forced content
        forceDirectory();
    }

    private void openCurrent() throws IOException {
        channel = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        size = channel.size();
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // some platforms cannot open a directory; the next fsync of the file system covers it
        }
    }

    static String sha256(String line) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

}
