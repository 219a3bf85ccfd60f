package io.strata.storage.engine.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.spi.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every key the engine stores: exact spellings (they are the on-store format) and key-to-id round trips. */
class TestStorageKeys {
    private static final UUID ID = UUID.fromString("6f1c2a3e-0000-4000-8000-00000000abcd");
    private static final TableId TABLE = new TableId("acme", "ks", "t", ID);

    @Test
    void keysAreSpelledAsStored() {
        String root = "tables/acme/" + ID + "/";
        assertThat(StorageKeys.tableRoot(TABLE)).isEqualTo(root);
        assertThat(StorageKeys.tableIdentity(root)).isEqualTo(root + "TABLE");
        assertThat(StorageKeys.manifest(root, 7)).isEqualTo(root + "manifest/00000000000000000007");
        assertThat(StorageKeys.segment(TABLE, 42)).isEqualTo(root + "segments/00000000000000000042.seg");
        assertThat(StorageKeys.epoch(3)).isEqualTo("epoch/00000000000000000003");
        assertThat(StorageKeys.commitLog(5)).isEqualTo("wal-00000000000000000005");
        assertThat(StorageKeys.retiredLog("wal-00000000000000000005")).isEqualTo("wal-retired/wal-00000000000000000005");
        assertThat(StorageKeys.catalogVersion("tenants/acme/schema", 2)).isEqualTo("catalog/tenants/acme/schema/00000000000000000002");
    }

    @Test
    void idsRoundTripThroughTheirKeys() {
        Random random = new Random(17);
        List<Long> ids = new ArrayList<>(List.of(0L, 1L, Long.MAX_VALUE, 3L << 32));
        for (int i = 0; i < 200; i++) {
            ids.add(random.nextLong() & Long.MAX_VALUE);
        }
        String root = StorageKeys.tableRoot(TABLE);
        for (long id : ids) {
            String segment = StorageKeys.segment(root, id);
            assertThat(StorageKeys.segmentId(segment)).isEqualTo(id);
            assertThat(StorageKeys.isSegment(root, segment)).isTrue();
            assertThat(StorageKeys.tableRootOf(segment)).contains(root);
            String manifest = StorageKeys.manifest(root, id);
            assertThat(StorageKeys.manifestVersion(manifest)).isEqualTo(id);
            assertThat(StorageKeys.isManifest(root, manifest)).isTrue();
            assertThat(StorageKeys.isSegment(root, manifest)).isFalse();
            assertThat(StorageKeys.epochOf(StorageKeys.epoch(id))).isEqualTo(id);
            String log = StorageKeys.commitLog(id);
            assertThat(StorageKeys.commitLogNumber(log)).hasValue(id);
            assertThat(StorageKeys.retiredLogName(StorageKeys.retiredLog(log))).contains(log);
            assertThat(StorageKeys.retiredLogName(StorageKeys.retiredLog(StorageKeys.historyLog(id))))
                    .contains(StorageKeys.historyLog(id));
            String catalog = StorageKeys.catalogVersion("tenants", id);
            assertThat(StorageKeys.catalogVersionOf("tenants", catalog)).hasValue(id);
            assertThat(StorageKeys.catalogNameOf(catalog)).contains("tenants");
        }
    }

    @Test
    void numberedKeysListInNumericOrder() {
        String root = StorageKeys.tableRoot(TABLE);
        List<Long> ids = List.of(1L, 9L, 10L, 99L, 100L, 1L << 32, (1L << 32) + 1, Long.MAX_VALUE);
        List<String> keys = ids.stream().map(id -> StorageKeys.segment(root, id)).toList();
        assertThat(keys).isSorted();
        assertThat(ids.stream().map(StorageKeys::commitLog).toList()).isSorted();
        assertThat(ids.stream().map(id -> StorageKeys.manifest(root, id)).toList()).isSorted();
    }

    @Test
    void foreignKeysAreNotMistakenForOurs() {
        assertThat(StorageKeys.commitLogNumber("wal-12")).isEmpty();
        assertThat(StorageKeys.commitLogNumber("other-00000000000000000001")).isEmpty();
        assertThat(StorageKeys.catalogVersionOf("tenants", "catalog/tenants/draft")).isEqualTo(OptionalLong.empty());
        assertThat(StorageKeys.catalogVersionOf("tenants", "catalog/other/00000000000000000001")).isEmpty();
        assertThat(StorageKeys.catalogNameOf("epoch/00000000000000000001")).isEmpty();
        assertThat(StorageKeys.tableRootOf("tables/acme")).isEqualTo(Optional.empty());
        assertThat(StorageKeys.tableRootOf("catalog/a/b/c")).isEmpty();
        assertThatThrownBy(() -> StorageKeys.catalogDocument("../escape")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StorageKeys.catalogDocument("")).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * S3Proxy's filesystem store writes each object to {@code <key>-<uuid>} and renames it, and lists that
     * temporary meanwhile: a reader must take it for nothing of ours rather than fail on it (a CI run once failed
     * a gateway start on a tenant record's temporary).
     */
    @Test
    void inFlightTemporariesOfAStoreAreNotOurs() {
        String root = StorageKeys.tableRoot(TABLE);
        String temp = "-" + UUID.randomUUID();
        assertThat(StorageKeys.isManifest(root, StorageKeys.manifest(root, 3) + temp)).isFalse();
        assertThat(StorageKeys.isSegment(root, StorageKeys.segment(root, 3) + temp)).isFalse();
        assertThat(StorageKeys.isSegment(root, root + "segments/3.seg")).isFalse();
        assertThat(StorageKeys.isEpoch(StorageKeys.epoch(3) + temp)).isFalse();
        assertThat(StorageKeys.isEpoch(StorageKeys.epoch(3))).isTrue();
        assertThat(StorageKeys.retiredLogName(StorageKeys.retiredLog(StorageKeys.commitLog(3)) + temp)).isEmpty();
        assertThat(StorageKeys.catalogVersionOf("tenants", StorageKeys.catalogVersion("tenants", 3) + temp)).isEmpty();
        assertThat(StorageKeys.dataKeyVersionAndGeneration(StorageKeys.dataKey("acme", 1, 2) + temp)).isNull();
    }
}
