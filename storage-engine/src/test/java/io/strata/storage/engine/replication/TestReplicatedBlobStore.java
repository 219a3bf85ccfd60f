package io.strata.storage.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.AbstractBlobStoreContractTest;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.PreconditionFailedException;
import io.strata.storage.spi.testing.FaultInjectingBlobStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Three zones behind one store: the blob contract holds, writes and reads survive one zone down, nothing
 * acknowledged is lost, a wiped or corrupted zone is repaired, two zones down refuse writes.
 */
class TestReplicatedBlobStore extends AbstractBlobStoreContractTest {
    private InMemoryBlobStore[] disks;
    private FaultInjectingBlobStore[] zones;

    @Override
    protected BlobStore createStore() {
        disks = new InMemoryBlobStore[] {new InMemoryBlobStore(), new InMemoryBlobStore(), new InMemoryBlobStore()};
        zones = new FaultInjectingBlobStore[3];
        for (int i = 0; i < 3; i++) {
            zones[i] = new FaultInjectingBlobStore(disks[i]);
        }
        return new ReplicatedBlobStore(List.of(zones));
    }

    @Override
    protected boolean supportsIfMatch() {
        // etags differ between zones: versioned keys created with CREATE_IF_ABSENT replace IF_MATCH
        return false;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private ReplicatedBlobStore replicated() {
        return (ReplicatedBlobStore) store;
    }

    @Test
    void oneZoneDownWritesAndReadsContinueAndTheZoneIsRebuilt() {
        zones[1].down(true);
        for (int i = 0; i < 50; i++) {
            store.put("seg/" + i, bytes("segment " + i), PutMode.OVERWRITE).toCompletableFuture().join();
        }
        store.put("manifest/1", bytes("m1"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join();
        assertThat(new String(store.readAll("seg/7").toCompletableFuture().join(), StandardCharsets.UTF_8)).isEqualTo("segment 7");
        assertThat(disks[1].size()).isZero();
        zones[1].down(false);
        long copied = replicated().repair("").toCompletableFuture().join();
        assertThat(copied).isEqualTo(51);
        assertThat(disks[1].size()).isEqualTo(51);
        // the rebuilt zone alone now holds everything: ranged reads are served by it, a whole read needs a quorum
        zones[0].down(true);
        zones[2].down(true);
        assertThatThrownBy(() -> store.put("x", bytes("y"), PutMode.OVERWRITE).toCompletableFuture().join())
                .hasCauseInstanceOf(StorageException.class);
        assertThat(store.read("seg/49", 0, 100).toCompletableFuture().join()).isEqualTo(bytes("segment 49"));
        assertThatThrownBy(() -> store.readAll("seg/49").toCompletableFuture().join())
                .hasCauseInstanceOf(StorageException.class);
        zones[0].down(false);
        assertThat(store.readAll("seg/49").toCompletableFuture().join()).isEqualTo(bytes("segment 49"));
    }

    @Test
    void aWipedZoneIsRebuiltAndACorruptCopyIsReadRepaired() {
        for (int i = 0; i < 20; i++) {
            store.put("k/" + i, bytes("v" + i), PutMode.OVERWRITE).toCompletableFuture().join();
        }
        disks[2].wipe();
        disks[0].corrupt("k/3", 0);
        assertThat(store.readAll("k/3").toCompletableFuture().join()).isEqualTo(bytes("v3"));
        assertThat(replicated().repair("k/").toCompletableFuture().join()).isEqualTo(20);
        assertThat(disks[2].size()).isEqualTo(20);
        // the corrupt copy in zone 0 was rewritten by read repair: zone 0 serves it intact
        assertThat(disks[0].readAll("k/3").toCompletableFuture().join()).isEqualTo(ReplicatedBlobStore.seal(bytes("v3")));
        assertThat(replicated().repairedCopies()).isGreaterThanOrEqualTo(21);
    }

    @Test
    void createIfAbsentNeedsAQuorum() {
        zones[2].down(true);
        store.put("m/1", bytes("a"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join();
        zones[2].down(false);
        Throwable t = catchCause(() -> store.put("m/1", bytes("b"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join());
        assertThat(t).isInstanceOf(PreconditionFailedException.class);
        zones[0].down(true);
        zones[1].down(true);
        assertThat(catchCause(() -> store.put("m/2", bytes("c"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join()))
                .isInstanceOf(StorageException.class);
    }

    @Test
    void aVersionAQuorumTakesReplacesAMinorityCopyAFailedWriterLeft() throws Exception {
        zones[1].down(true);
        zones[2].down(true);
        assertThat(catchCause(() -> store.put("m/7", bytes("nobody-committed-this"), PutMode.CREATE_IF_ABSENT)
                .toCompletableFuture().join())).isInstanceOf(StorageException.class); // only zone 0 took it
        zones[1].down(false);
        zones[2].down(false);
        store.put("m/7", bytes("committed"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join();
        // zone 0 must now hold the committed bytes, not the failed writer's
        byte[] sealed = ReplicatedBlobStore.seal(bytes("committed"));
        for (int i = 0; i < 100 && !java.util.Arrays.equals(disks[0].readAll("m/7").toCompletableFuture().join(), sealed); i++) {
            Thread.sleep(20);
        }
        assertThat(disks[0].readAll("m/7").toCompletableFuture().join()).isEqualTo(sealed);
        assertThat(store.readAll("m/7").toCompletableFuture().join()).isEqualTo(bytes("committed"));
    }

    @Test
    void aLoneCopyIsOnAQuorumBeforeAnyoneReadsIt() {
        zones[1].down(true);
        zones[2].down(true);
        assertThat(catchCause(() -> store.put("m/3", bytes("inconclusive"), PutMode.CREATE_IF_ABSENT)
                .toCompletableFuture().join())).isInstanceOf(StorageException.class); // only zone 0 took it
        zones[2].down(false);
        // the writer reads back its bytes: it sees them only once a quorum holds them
        assertThat(store.readAll("m/3").toCompletableFuture().join()).isEqualTo(bytes("inconclusive"));
        assertThat(disks[2].readAll("m/3").toCompletableFuture().join()).isEqualTo(ReplicatedBlobStore.seal(bytes("inconclusive")));
        // so another writer of that key loses, and the copy survives zone 0's loss
        zones[1].down(false);
        assertThat(catchCause(() -> store.put("m/3", bytes("other"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join()))
                .isInstanceOf(PreconditionFailedException.class);
        disks[0].wipe();
        assertThat(store.readAll("m/3").toCompletableFuture().join()).isEqualTo(bytes("inconclusive"));
        // a retry of the same put succeeds: the copies it finds are its own
        store.put("m/3", bytes("inconclusive"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join();
        // with two zones unreachable a lone copy is not read at all
        zones[1].down(true);
        zones[2].down(true);
        assertThat(catchCause(() -> store.readAll("m/3").toCompletableFuture().join())).isInstanceOf(StorageException.class);
    }

    @Test
    void aCommittedCopyIsReadWhicheverZoneHoldsAStaleOne() {
        disks[0].put("m/5", ReplicatedBlobStore.seal(bytes("stale")), PutMode.OVERWRITE).toCompletableFuture().join();
        disks[1].put("m/5", ReplicatedBlobStore.seal(bytes("committed")), PutMode.OVERWRITE).toCompletableFuture().join();
        disks[2].put("m/5", ReplicatedBlobStore.seal(bytes("committed")), PutMode.OVERWRITE).toCompletableFuture().join();
        // zone 2 down: zone 0's stale copy and zone 1's disagree, and neither is known to be on a quorum
        zones[2].down(true);
        for (int i = 0; i < 6; i++) {
            assertThat(catchCause(() -> store.readAll("m/5").toCompletableFuture().join()))
                    .isInstanceOf(StorageException.class)
                    .isNotInstanceOf(io.strata.storage.spi.blob.NoSuchBlobException.class);
        }
        zones[2].down(false);
        for (int i = 0; i < 6; i++) {
            assertThat(store.readAll("m/5").toCompletableFuture().join()).isEqualTo(bytes("committed"));
        }
        // the stale copy was replaced: zone 0 agrees now, so a read survives zone 2 down again
        zones[2].down(true);
        assertThat(disks[0].readAll("m/5").toCompletableFuture().join()).isEqualTo(ReplicatedBlobStore.seal(bytes("committed")));
        assertThat(store.readAll("m/5").toCompletableFuture().join()).isEqualTo(bytes("committed"));
    }

    @Test
    void differentUncommittedCopiesSettleOnOneThatEveryReaderThenSees() {
        disks[0].put("m/9", ReplicatedBlobStore.seal(bytes("writer-a")), PutMode.OVERWRITE).toCompletableFuture().join();
        disks[1].put("m/9", ReplicatedBlobStore.seal(bytes("writer-b")), PutMode.OVERWRITE).toCompletableFuture().join();
        byte[] first = store.readAll("m/9").toCompletableFuture().join();
        assertThat(new String(first, StandardCharsets.UTF_8)).isIn("writer-a", "writer-b");
        for (int i = 0; i < 6; i++) {
            assertThat(store.readAll("m/9").toCompletableFuture().join()).isEqualTo(first);
        }
        // now on a quorum: a later writer of that version loses
        assertThat(catchCause(() -> store.put("m/9", bytes("writer-c"), PutMode.CREATE_IF_ABSENT).toCompletableFuture().join()))
                .isInstanceOf(PreconditionFailedException.class);
    }

    private static Throwable catchCause(Runnable r) {
        try {
            r.run();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }
}
