package io.strata.gateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.strata.storage.spi.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestDataDirectories {
    @TempDir
    Path tmp;

    @BeforeEach
    void posix() {
        assumeTrue(PrivateFiles.isPosix(tmp), "POSIX file system");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static Path directory(Path p, String mode) throws IOException {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void anAbsentDataDirectoryIsCreatedPrivateWithItsParents() throws IOException {
        Path data = tmp.resolve("var/strata/data");

        assertThat(DataDirectories.check(data, List.of())).isEmpty();
        assertThat(mode(data)).isEqualTo("rwx------");
        assertThat(mode(data.getParent())).isEqualTo("rwx------");
    }

    @Test
    void anExistingDirectoryOpenToOthersIsReportedWithTheFixAndLeftAlone() throws IOException {
        Path data = directory(tmp.resolve("data"), "rwxr-xr-x");

        List<String> warnings = DataDirectories.check(data, List.of());

        assertThat(warnings).singleElement().asString().contains(data.toString()).contains("rwxr-xr-x")
                .contains("chmod 700 " + data);
        assertThat(mode(data)).as("the operator's directory is not changed").isEqualTo("rwxr-xr-x");
    }

    @Test
    void aPrivateDirectoryAndPrivateZonesPassAndAnOpenZoneIsReported() throws IOException {
        Path data = directory(tmp.resolve("data"), "rwx------");
        Path privateZone = directory(tmp.resolve("disk1/zone"), "rwx------");
        Path groupZone = directory(tmp.resolve("disk2/zone"), "rwxr-x---");
        Path notYetThere = tmp.resolve("disk3/zone");

        List<String> warnings = DataDirectories.check(data, List.of(privateZone, groupZone, notYetThere));

        assertThat(warnings).singleElement().asString().contains("zone directory").contains("chmod 700 " + groupZone);
        assertThat(notYetThere).as("zones are created by their stores, privately").doesNotExist();
    }
}
