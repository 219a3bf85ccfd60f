package io.strata.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.strata.gateway.transport.CqlServerLifecycle;
import io.strata.storage.spi.PrivateFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The assembled server on a data directory it creates itself: after start and some CQL traffic, everything under
 * it (signing and paging keys, the dev and operator tokens, the audit log, the zones' commit logs and data) is
 * private to the owner, files 0600 and directories 0700, with the build's ordinary umask.
 */
@QuarkusTest
@TestProfile(TestPrivateDataDirectory.Profile.class)
public class TestPrivateDataDirectory {
    static final Path DATA;

    static {
        try {
            DATA = Files.createTempDirectory("strata-private-test").resolve("data"); // absent: Strata creates it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("strata.cql.port", "0", "strata.cql.host", "127.0.0.1",
                    "strata.storage.local.path", DATA.toString());
        }
    }

    @Inject
    CqlServerLifecycle server;

    @Test
    void everythingUnderTheDataDirectoryIsOwnerOnly() throws IOException {
        assumeTrue(PrivateFiles.isPosix(DATA), "POSIX file system");
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress("127.0.0.1", server.port()))
                .withLocalDatacenter("datacenter1")
                .withAuthCredentials("token", Files.readString(DATA.resolve("dev-token")).strip())
                .build()) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS files WITH replication = {'class': 'SingleRegionStrategy'}");
            session.execute("CREATE TABLE IF NOT EXISTS files.kv (k int PRIMARY KEY, v text)");
            session.execute("INSERT INTO files.kv (k, v) VALUES (1, 'secret')");
        }

        List<String> files = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> all = Files.walk(DATA)) {
            all.forEach(p -> {
                try {
                    boolean dir = Files.isDirectory(p);
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    String name = DATA.relativize(p).toString();
                    if (!dir) {
                        files.add(name);
                    }
                    if (!mode.equals(dir ? "rwx------" : "rw-------")) {
                        wrong.add(mode + " " + (name.isEmpty() ? "." : name));
                    }
                } catch (NoSuchFileException gone) {
                    // a temporary file renamed or removed while walking: its final name is checked instead
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertThat(files).as("what the server wrote").contains("dev-token", "operator-token", "keys/signing-key.pem",
                "keys/signing-key.pub.pem", "keys/paging.key", "audit/audit.log")
                .anyMatch(f -> f.startsWith("storage/zone-a/wal/")).anyMatch(f -> f.startsWith("storage/zone-a/data/"))
                .contains("storage/local/LOCK");
        assertThat(wrong).as("files and directories that are not owner-only").isEmpty();
    }
}
