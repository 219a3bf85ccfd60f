package io.strata.storage.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Durable file operations: forced writes, atomic replacement, and directory fsyncs so renames survive power loss. */
final class Fsync {
    private Fsync() {}

    static void directory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Writes {@code content} to {@code target} atomically (temp file, force, rename, fsync the directory). */
    static void atomicWrite(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        directory(target.getParent());
    }

    /**
     * Creates {@code target} with {@code content} only if it does not exist, atomically: the content is
     * forced to a temp file, then hard-linked to the target name (link creation fails if the name exists).
     *
     * @return false if the target already existed
     */
    static boolean createExclusive(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".create", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(content);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.createLink(target, tmp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            directory(target.getParent());
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
