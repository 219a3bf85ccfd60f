package io.strata.storage.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPrivateFiles {
    @TempDir
    Path tmp;

    /** A parent that anyone may read, as a user's home or /var/lib often is. */
    private Path open;

    @BeforeEach
    void openParent() throws IOException {
        assumeTrue(PrivateFiles.isPosix(tmp), "POSIX file system");
        open = Files.createDirectory(tmp.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x")); // whatever the umask
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void createDirectoriesMakesEachNewDirectoryPrivateAndLeavesExistingOnesAlone() throws IOException {
        Path deep = open.resolve("a/b/c");
        assertThat(PrivateFiles.createDirectories(deep)).isEqualTo(deep);

        assertThat(mode(open)).isEqualTo("rwxr-xr-x");
        assertThat(mode(open.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(open.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(deep)).isEqualTo("rwx------");
        PrivateFiles.createDirectories(deep); // existing: no error, no change
        assertThat(mode(deep)).isEqualTo("rwx------");
    }

    @Test
    void createDirectoryIsPrivateAndFailsOnAnExistingName() throws IOException {
        Path dir = PrivateFiles.createDirectory(open.resolve("d"));
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThatThrownBy(() -> PrivateFiles.createDirectory(dir)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void aFileOpenedForCreationIsPrivateAndAnExistingOneKeepsItsMode() throws IOException {
        Path created = open.resolve("new.log");
        try (FileChannel ch = PrivateFiles.open(created, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
        }
        assertThat(mode(created)).isEqualTo("rw-------");

        Path existing = Files.writeString(open.resolve("theirs"), "x");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r--r--"));
        try (FileChannel ch = PrivateFiles.open(existing, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {2}));
        }
        assertThat(mode(existing)).isEqualTo("rw-r--r--");
    }

    @Test
    void outputStreamsAndTemporaryFilesArePrivate() throws IOException {
        Path streamed = open.resolve("sealed");
        try (OutputStream out = PrivateFiles.newOutputStream(streamed, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            out.write(new byte[] {1, 2, 3});
        }
        assertThat(Files.readAllBytes(streamed)).containsExactly(1, 2, 3);
        assertThat(mode(streamed)).isEqualTo("rw-------");

        Path defaults = open.resolve("defaults");
        try (OutputStream out = PrivateFiles.newOutputStream(defaults)) {
            out.write(7);
        }
        assertThat(mode(defaults)).isEqualTo("rw-------");

        Path temp = PrivateFiles.createTempFile(open, "fetch-", ".tmp");
        assertThat(temp.getParent()).isEqualTo(open);
        assertThat(mode(temp)).isEqualTo("rw-------");
    }

    @Test
    void writeReplacesAtomicallyWithAPrivateFileInPrivateNewDirectories() throws IOException {
        Path target = open.resolve("keys/paging.key");
        PrivateFiles.write(target, new byte[] {1});
        PrivateFiles.write(target, new byte[] {2});

        assertThat(Files.readAllBytes(target)).containsExactly(2);
        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(mode(target.getParent())).isEqualTo("rwx------");
        try (var left = Files.list(target.getParent())) {
            assertThat(left).as("no temporary file left behind").containsExactly(target);
        }
    }
}
