package io.strata.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.engine.segment.Segment;
import io.strata.storage.engine.testing.TestEngines;
import io.strata.storage.local.LocalKeyProvider;
import io.strata.storage.local.FileIO;
import io.strata.storage.spi.Cell;
import io.strata.storage.spi.Clustering;
import io.strata.storage.spi.LivenessInfo;
import io.strata.storage.spi.PartitionKey;
import io.strata.storage.spi.PartitionSelection;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.ReadQuery;
import io.strata.storage.spi.Row;
import io.strata.storage.spi.Slice;
import io.strata.storage.spi.TableId;
import io.strata.storage.spi.crypto.KeyProvider;
import io.strata.storage.spi.crypto.KeyUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest on real local zones: no plaintext value or key in any file (segments, commit logs), everything
 * readable again with the right master key, refused with a wrong or missing one (and nothing lost), master-key
 * rotation by re-wrapping, data-key rotation through compaction.
 */
class TestEncryptionAtRest {
    private static final TableId TABLE = new TableId("acme", "ks", "secrets", UUID.randomUUID());
    private static final String VALUE = "CONFIDENTIAL-VALUE-";
    private static final String KEY = "CONFIDENTIAL-KEY-";

    @TempDir
    Path dir;

    private LsmEngine open(KeyProvider keys) {
        EngineStorage s = TestEngines.localZoneStorage(dir.resolve("data"), FileIO.DEFAULT);
        return LsmEngine.open(new EngineStorage(s.wal(), s.data(), s.localDir(), 0, keys), EngineOptions.defaults(),
                Clock.systemUTC());
    }

    private static PartitionKey key(int i) {
        return PartitionKey.of((KEY + i).getBytes(StandardCharsets.UTF_8));
    }

    private static void write(LsmEngine e, int from, int to) {
        for (int i = from; i < to; i++) {
            byte[] v = (VALUE + i).getBytes(StandardCharsets.UTF_8);
            e.apply(List.of(PartitionUpdate.ofRows(TABLE, key(i), List.of(Row.of(Clustering.EMPTY,
                    LivenessInfo.of(i + 1, 0, 0), List.of(Cell.live("v", null, i + 1, v))))))).toCompletableFuture().join();
        }
    }

    private static String read(LsmEngine e, int i) {
        var r = e.read(new ReadQuery(TABLE, new PartitionSelection.Single(key(i)), List.of(Slice.ALL), false, null, 10,
                Integer.MAX_VALUE, (int) (System.currentTimeMillis() / 1000), null)).toCompletableFuture().join();
        return r.partitions().isEmpty() ? null
                : new String(r.partitions().get(0).rows().get(0).cells().get(0).value(), StandardCharsets.UTF_8);
    }

    /** Files under the data directory whose bytes contain {@code needle}. */
    private List<Path> filesContaining(String needle) throws IOException {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir.resolve("data"))) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                outer:
                for (int i = 0; i + n.length <= b.length; i++) {
                    for (int j = 0; j < n.length; j++) {
                        if (b[i + j] != n[j]) {
                            continue outer;
                        }
                    }
                    hits.add(p);
                    break;
                }
            }
        }
        return hits;
    }

    @Test
    void nothingIsStoredInTheClearAndTheRightKeyReadsEverythingBack() throws Exception {
        LocalKeyProvider keys = LocalKeyProvider.open(dir.resolve("keys"), true);
        LsmEngine e = open(keys);
        e.createTable(TABLE).toCompletableFuture().join();
        e.catalog().commit("schema/acme", 0, "CONFIDENTIAL-SCHEMA".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().join();
        write(e, 0, 200);
        e.flush(); // segments
        write(e, 200, 300); // only in the commit log
        e.simulateCrash();
        assertThat(filesContaining(VALUE)).as("values in the clear").isEmpty();
        assertThat(filesContaining(KEY)).as("partition keys in the clear").isEmpty();
        assertThat(filesContaining("CONFIDENTIAL")).as("values, keys, the catalog").isEmpty();
        assertThat(filesContaining("secrets")).as("the table's name (its identity blob)").isEmpty();

        LsmEngine reopened = open(LocalKeyProvider.open(dir.resolve("keys"), false));
        for (int i = 0; i < 300; i += 7) {
            assertThat(read(reopened, i)).isEqualTo(VALUE + i);
        }
        assertThat(reopened.table(TABLE).segments()).allSatisfy(s -> assertThat(s.keyVersion()).isEqualTo(1));
        assertThat(new String(reopened.catalog().load("schema/acme").toCompletableFuture().join().orElseThrow().content(),
                StandardCharsets.UTF_8)).isEqualTo("CONFIDENTIAL-SCHEMA");
        reopened.close();
    }

    @Test
    void aWrongOrMissingMasterKeyFailsAtOpenNamingItAndLosesNothing() throws Exception {
        LocalKeyProvider keys = LocalKeyProvider.open(dir.resolve("keys"), true);
        String id = keys.currentKeyId();
        LsmEngine e = open(keys);
        e.createTable(TABLE).toCompletableFuture().join();
        write(e, 0, 50);
        e.flush();
        write(e, 50, 60);
        e.simulateCrash();

        // another key directory: its master key is not the one that wrapped the data keys
        LocalKeyProvider other = LocalKeyProvider.open(dir.resolve("other-keys"), true);
        assertThatThrownBy(() -> open(other)).isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining(id);
        // the same key id with different bytes: does not open the data key
        Path file = dir.resolve("keys").resolve(id + ".key");
        byte[] good = Files.readAllBytes(file);
        Files.writeString(file, java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        assertThatThrownBy(() -> open(LocalKeyProvider.open(dir.resolve("keys"), false)))
                .isInstanceOf(KeyUnavailableException.class).hasMessageContaining(id).hasMessageContaining("does not open");
        Files.write(file, good);

        LsmEngine right = open(LocalKeyProvider.open(dir.resolve("keys"), false));
        for (int i = 0; i < 60; i++) {
            assertThat(read(right, i)).isEqualTo(VALUE + i);
        }
        right.close();
    }

    @Test
    void rotatingTheMasterKeyRewrapsDataKeysAndTheOldKeyCanGo() throws Exception {
        LocalKeyProvider keys = LocalKeyProvider.open(dir.resolve("keys"), true);
        String old = keys.currentKeyId();
        LsmEngine e = open(keys);
        e.createTable(TABLE).toCompletableFuture().join();
        write(e, 0, 40);
        e.flush();
        keys.rotate();
        assertThat(e.rewrapDataKeys()).isEqualTo(1);
        write(e, 40, 50);
        e.close();
        Files.delete(dir.resolve("keys").resolve(old + ".key"));

        LsmEngine reopened = open(LocalKeyProvider.open(dir.resolve("keys"), false));
        for (int i = 0; i < 50; i++) {
            assertThat(read(reopened, i)).isEqualTo(VALUE + i);
        }
        reopened.close();
    }

    @Test
    void aNewDataKeyEncryptsNewSegmentsAndCompactionReencryptsOldOnes() throws Exception {
        LsmEngine e = open(LocalKeyProvider.open(dir.resolve("keys"), true));
        e.createTable(TABLE).toCompletableFuture().join();
        write(e, 0, 30);
        e.flush();
        assertThat(e.rotateDataKey("acme")).isEqualTo(2);
        for (int round = 0; round < 3; round++) {
            write(e, 30 + round * 10, 40 + round * 10);
            e.flush();
        }
        e.compactFully();
        List<Segment> segments = e.table(TABLE).segments();
        assertThat(segments).hasSize(1);
        assertThat(segments.get(0).keyVersion()).as("the compacted segment is under the new key").isEqualTo(2);
        for (int i = 0; i < 60; i++) {
            assertThat(read(e, i)).isEqualTo(VALUE + i);
        }
        e.close();
    }

    @Test
    void aDamagedEncryptedBlockIsReadFromAnotherZone() throws Exception {
        LsmEngine e = open(LocalKeyProvider.open(dir.resolve("keys"), true));
        e.createTable(TABLE).toCompletableFuture().join();
        write(e, 0, 100);
        e.flush();
        e.close();
        Path segment;
        try (Stream<Path> all = Files.walk(dir.resolve("data"))) {
            segment = all.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(segment);
        b[10] ^= 0x55; // inside the first block
        Files.write(segment, b);

        LsmEngine reopened = open(LocalKeyProvider.open(dir.resolve("keys"), false));
        for (int i = 0; i < 100; i++) {
            assertThat(read(reopened, i)).isEqualTo(VALUE + i);
        }
        reopened.close();
    }

    @Test
    void dataWrittenBeforeEncryptionStaysReadableAndNewDataIsEncrypted() throws Exception {
        LsmEngine clear = open(null);
        clear.createTable(TABLE).toCompletableFuture().join();
        write(clear, 0, 40);
        clear.flush(); // a clear (format v3-style, key version 0) segment
        write(clear, 40, 50); // clear commit-log records
        clear.simulateCrash();
        assertThat(filesContaining(VALUE)).as("written before encryption was on").isNotEmpty();

        LsmEngine encrypted = open(LocalKeyProvider.open(dir.resolve("keys"), true));
        for (int i = 0; i < 50; i++) {
            assertThat(read(encrypted, i)).isEqualTo(VALUE + i);
        }
        write(encrypted, 50, 60);
        encrypted.flush();
        assertThat(encrypted.table(TABLE).segments()).extracting(Segment::keyVersion).contains(0, 1);
        encrypted.close();

        // turning encryption off again: what was written encrypted cannot be read without the keys, and says so
        assertThatThrownBy(() -> open(null)).isInstanceOf(KeyUnavailableException.class)
                .hasMessageContaining("encryption is off");
        LsmEngine again = open(LocalKeyProvider.open(dir.resolve("keys"), false));
        for (int i = 0; i < 60; i++) {
            assertThat(read(again, i)).isEqualTo(VALUE + i);
        }
        again.close();
    }
}
