package io.strata.storage.spi.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.spi.blob.BlobStore.BlobInfo;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link BlobStore} honours; each backend's test extends this and supplies a fresh,
 * empty store.
 */
public abstract class AbstractBlobStoreContractTest {
    protected BlobStore store;

    /** A new, empty store (a fresh directory or bucket). */
    protected abstract BlobStore createStore() throws Exception;

    /** Capability hook: stores that cannot offer IF_MATCH must refuse it with UnsupportedOperationException. */
    protected boolean supportsIfMatch() {
        return true;
    }

    @BeforeEach
    void open() throws Exception {
        store = createStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> s) {
        return s.toCompletableFuture().join();
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<?> s) {
        try {
            s.toCompletableFuture().join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the stage to fail");
    }

    @Test
    void putReadHeadAndRangedRead() {
        BlobInfo info = join(store.put("a/b/one", bytes("hello world"), PutMode.OVERWRITE));
        assertThat(info.size()).isEqualTo(11);
        assertThat(join(store.readAll("a/b/one"))).isEqualTo(bytes("hello world"));
        assertThat(join(store.read("a/b/one", 6, 5))).isEqualTo(bytes("world"));
        assertThat(join(store.read("a/b/one", 6, 100))).isEqualTo(bytes("world"));
        Optional<BlobInfo> head = join(store.head("a/b/one"));
        assertThat(head).isPresent();
        assertThat(head.get().size()).isEqualTo(11);
        assertThat(head.get().etag()).isEqualTo(info.etag());
    }

    @Test
    void missingBlobs() {
        assertThat(join(store.head("nope"))).isEmpty();
        assertThat(failure(store.readAll("nope"))).isInstanceOf(NoSuchBlobException.class);
        assertThat(failure(store.read("nope", 0, 1))).isInstanceOf(NoSuchBlobException.class);
        join(store.delete(List.of("nope")));
    }

    @Test
    void blockingRangedReadsAnswerAsRangedReads() {
        join(store.put("a/b/one", bytes("hello world"), PutMode.OVERWRITE));
        assertThat(store.readBlocking("a/b/one", 6, 5)).isEqualTo(bytes("world"));
        assertThat(store.readBlocking("a/b/one", 6, 100)).isEqualTo(bytes("world"));
        assertThat(store.readBlocking("a/b/one", 11, 4)).isEmpty();
        assertThatThrownBy(() -> store.readBlocking("nope", 0, 1)).isInstanceOf(NoSuchBlobException.class);
    }

    /** Stores that keep files open for ranged reads must not serve a replaced or deleted version from them. */
    @Test
    void rangedReadsFollowOverwritesAndDeletes() {
        join(store.put("r/k", bytes("first version"), PutMode.OVERWRITE));
        assertThat(join(store.read("r/k", 0, 5))).isEqualTo(bytes("first"));
        assertThat(store.readBlocking("r/k", 0, 5)).isEqualTo(bytes("first"));
        join(store.put("r/k", bytes("second"), PutMode.OVERWRITE));
        assertThat(join(store.read("r/k", 0, 6))).isEqualTo(bytes("second"));
        assertThat(store.readBlocking("r/k", 0, 100)).isEqualTo(bytes("second"));
        String etag = join(store.head("r/k")).orElseThrow().etag();
        if (supportsIfMatch()) {
            join(store.put("r/k", bytes("third"), PutMode.ifMatch(etag)));
            assertThat(store.readBlocking("r/k", 0, 100)).isEqualTo(bytes("third"));
        }
        join(store.delete(List.of("r/k")));
        assertThat(failure(store.read("r/k", 0, 1))).isInstanceOf(NoSuchBlobException.class);
        assertThatThrownBy(() -> store.readBlocking("r/k", 0, 1)).isInstanceOf(NoSuchBlobException.class);
        join(store.put("r/k", bytes("again"), PutMode.CREATE_IF_ABSENT));
        assertThat(store.readBlocking("r/k", 0, 100)).isEqualTo(bytes("again"));
    }

    /** Ranged reads of many blobs from several threads, with blobs replaced among them, read what was put. */
    @Test
    void concurrentRangedReadsOfManyBlobsReadTheirOwnContent() throws Exception {
        int blobs = 300; // more than a store is likely to keep open at once
        for (int i = 0; i < blobs; i++) {
            join(store.put("many/" + i, bytes("blob " + i + " v0"), PutMode.OVERWRITE));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < 600; n++) {
                        int i = (n * 7 + thread * 13) % blobs;
                        String got = new String(store.readBlocking("many/" + i, 0, 64), StandardCharsets.UTF_8);
                        assertThat(got).startsWith("blob " + i + " v");
                        if (i % 4 == thread && n % 5 == 0) { // each blob has one writer, so it reads its own put back
                            String mine = "blob " + i + " v" + n;
                            join(store.put("many/" + i, bytes(mine), PutMode.OVERWRITE));
                            assertThat(new String(store.readBlocking("many/" + i, 0, 64), StandardCharsets.UTF_8))
                                    .isEqualTo(mine);
                            assertThat(new String(join(store.read("many/" + i, 0, 64)), StandardCharsets.UTF_8))
                                    .isEqualTo(mine);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void overwriteReplacesAndChangesTheEtag() {
        BlobInfo first = join(store.put("k", bytes("one"), PutMode.OVERWRITE));
        BlobInfo second = join(store.put("k", bytes("two!"), PutMode.OVERWRITE));
        assertThat(second.etag()).isNotEqualTo(first.etag());
        assertThat(join(store.readAll("k"))).isEqualTo(bytes("two!"));
    }

    @Test
    void createIfAbsentFailsOnAnExistingBlob() {
        join(store.put("m/1", bytes("first"), PutMode.CREATE_IF_ABSENT));
        assertThat(failure(store.put("m/1", bytes("second"), PutMode.CREATE_IF_ABSENT)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(join(store.readAll("m/1"))).isEqualTo(bytes("first"));
    }

    @Test
    void ifMatchReplacesOnlyTheGivenVersion() {
        BlobInfo v1 = join(store.put("doc", bytes("v1"), PutMode.OVERWRITE));
        if (!supportsIfMatch()) {
            assertThat(failure(store.put("doc", bytes("v2"), PutMode.ifMatch(v1.etag()))))
                    .isInstanceOf(UnsupportedOperationException.class);
            return;
        }
        BlobInfo v2 = join(store.put("doc", bytes("v2"), PutMode.ifMatch(v1.etag())));
        assertThat(failure(store.put("doc", bytes("v3"), PutMode.ifMatch(v1.etag()))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(join(store.readAll("doc"))).isEqualTo(bytes("v2"));
        join(store.put("doc", bytes("v3"), PutMode.ifMatch(v2.etag())));
        assertThat(join(store.readAll("doc"))).isEqualTo(bytes("v3"));
    }

    @Test
    void racingCreatesHaveExactlyOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String token = "writer-" + i;
                results.add(pool.submit(() -> {
                    try {
                        join(store.put("race", bytes(token), PutMode.CREATE_IF_ABSENT));
                        return true;
                    } catch (CompletionException e) {
                        return false;
                    }
                }));
            }
            List<String> winners = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if (results.get(i).get()) {
                    winners.add("writer-" + i);
                }
            }
            // The stored token decides; a store may report an I/O error for a put that landed, never two winners.
            String stored = new String(join(store.readAll("race")), StandardCharsets.UTF_8);
            assertThat(winners.size()).isLessThanOrEqualTo(1);
            if (!winners.isEmpty()) {
                assertThat(winners).containsExactly(stored);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void listingIsSortedPrefixedAndPaged() {
        List<CompletableFuture<BlobInfo>> puts = new ArrayList<>();
        for (String k : List.of("t/b", "t/a", "t/c/1", "u/x", "t/c/0")) {
            puts.add(store.put(k, bytes(k), PutMode.OVERWRITE).toCompletableFuture());
        }
        puts.forEach(CompletableFuture::join);
        assertThat(join(store.list("t/", null, 100))).extracting(BlobInfo::key)
                .containsExactly("t/a", "t/b", "t/c/0", "t/c/1");
        assertThat(join(store.list("t/", "t/b", 2))).extracting(BlobInfo::key).containsExactly("t/c/0", "t/c/1");
        assertThat(join(store.list("t/", null, 1))).extracting(BlobInfo::key).containsExactly("t/a");
        assertThat(join(store.list("zz", null, 10))).isEmpty();
        // a prefix is a string prefix, not a directory: part of a name, several levels, nothing, the root
        assertThat(join(store.list("t/c/", null, 10))).extracting(BlobInfo::key).containsExactly("t/c/0", "t/c/1");
        assertThat(join(store.list("t/c", null, 10))).extracting(BlobInfo::key).containsExactly("t/c/0", "t/c/1");
        assertThat(join(store.list("t/c/1", null, 10))).extracting(BlobInfo::key).containsExactly("t/c/1");
        assertThat(join(store.list("nope/deeper/", null, 10))).isEmpty();
        assertThat(join(store.list("", null, 10))).extracting(BlobInfo::key)
                .containsExactly("t/a", "t/b", "t/c/0", "t/c/1", "u/x");
    }

    @Test
    void deleteRemovesEveryGivenKey() {
        join(store.put("d/1", bytes("x"), PutMode.OVERWRITE));
        join(store.put("d/2", bytes("y"), PutMode.OVERWRITE));
        join(store.delete(List.of("d/1", "d/2", "d/3")));
        assertThat(join(store.list("d/", null, 10))).isEmpty();
        assertThat(join(store.head("d/1"))).isEmpty();
    }

    @Test
    void deleteOfMoreKeysThanOneRequestTakesRemovesThemAll() {
        // past S3's 1,000 keys per DeleteObjects request, with missing keys among them
        List<CompletableFuture<BlobInfo>> puts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1_050; i++) {
            String key = String.format("many/%05d", i);
            keys.add(key);
            puts.add(store.put(key, bytes("v" + i), PutMode.OVERWRITE).toCompletableFuture());
            if (i % 300 == 0) {
                keys.add(String.format("many/%05d-missing", i));
            }
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        join(store.delete(keys));
        assertThat(join(store.list("many/", null, 2_000))).isEmpty();
    }

    @Test
    void putFromAFileStoresItsContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] big = new byte[9 * 1024 * 1024 + 5]; // above the S3 backend's multipart threshold
        new java.util.Random(11).nextBytes(big);
        java.nio.file.Path file = dir.resolve("segment");
        java.nio.file.Files.write(file, big);
        BlobStore.BlobInfo info = join(store.put("from-file", file, PutMode.OVERWRITE));
        assertThat(info.size()).isEqualTo(big.length);
        assertThat(join(store.readAll("from-file"))).isEqualTo(big);
        assertThat(join(store.read("from-file", 8 * 1024 * 1024 - 3, 10)))
                .isEqualTo(java.util.Arrays.copyOfRange(big, 8 * 1024 * 1024 - 3, 8 * 1024 * 1024 + 7));
        assertThat(java.nio.file.Files.readAllBytes(file)).as("the source file is left as it was").isEqualTo(big);
        java.nio.file.Path first = dir.resolve("first");
        java.nio.file.Files.write(first, bytes("once"));
        java.nio.file.Path second = dir.resolve("second");
        java.nio.file.Files.write(second, bytes("twice")); // distinct content: writers tell their own put by it
        join(store.put("created", first, PutMode.CREATE_IF_ABSENT));
        assertThat(failure(store.put("created", second, PutMode.CREATE_IF_ABSENT)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(join(store.readAll("created"))).isEqualTo(bytes("once"));
    }

    @Test
    void emptyAndLargeBlobs() {
        join(store.put("empty", new byte[0], PutMode.OVERWRITE));
        assertThat(join(store.readAll("empty"))).isEmpty();
        byte[] big = new byte[6 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        join(store.put("big", big, PutMode.OVERWRITE));
        assertThat(join(store.readAll("big"))).isEqualTo(big);
        assertThat(join(store.read("big", big.length - 10, 10)))
                .isEqualTo(java.util.Arrays.copyOfRange(big, big.length - 10, big.length));
    }

    @Test
    void keysWithSlashesAreFlat() {
        join(store.put("x/y/z", bytes("deep"), PutMode.OVERWRITE));
        assertThat(join(store.head("x/y"))).isEmpty();
        assertThat(join(store.list("x/", null, 10))).extracting(BlobInfo::key).containsExactly("x/y/z");
        assertThatThrownBy(() -> join(store.readAll("x/y"))).hasCauseInstanceOf(NoSuchBlobException.class);
    }
}
