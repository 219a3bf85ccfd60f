package io.strata.storage.engine.replication;

import static java.util.Objects.requireNonNull;

import io.strata.storage.spi.PrivateFiles;
import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.NoSuchBlobException;
import io.strata.storage.spi.blob.PreconditionFailedException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;

/**
 * One logical {@link BlobStore} over N zones (failure domains; 3 by default): every blob is written to all
 * zones and a put succeeds once a quorum (N/2+1) acknowledged it; ranged reads are served by any zone that
 * holds an intact copy (they read immutable, uniquely named blobs), and a whole-blob read returns a copy only when a quorum of zones holds it (see {@link #readAll}).
 *
 * <p><b>Integrity:</b> each copy carries a CRC32C trailer (4 bytes, hidden from callers). A whole-blob
 * read verifies it; a missing or corrupt copy is skipped, the blob is read from another zone, and the bad
 * copy is rewritten (read repair). Ranged reads are not verified here (formats checksum their own
 * blocks) and fall back to another zone on error.
 *
 * <p><b>Conditional writes:</b> CREATE_IF_ABSENT wins when a quorum of zones accepted it, loses when a
 * quorum refused it, and fails as inconclusive otherwise (the caller reads back its unique token to
 * decide; the quorum read answers with its token only if a quorum holds it). Once a quorum took a copy, the
 * refusing minority's copy is replaced. IF_MATCH is not offered: etags differ between zones; versioned keys created with
 * CREATE_IF_ABSENT are how the engine commits manifests over replicated stores.
 *
 * <p><b>Repair without a human:</b> {@link #repair()} copies into every reachable zone whatever a quorum
 * holds and it lacks (a wiped, rebuilt or long-unreachable zone) and reports progress. Thread-safe.
 */
public final class ReplicatedBlobStore implements BlobStore {
    private static final Logger LOG = Logger.getLogger(ReplicatedBlobStore.class);
    static final int TRAILER = 4;

    private final List<BlobStore> zones;
    final int quorum;
    private final AtomicLong repaired = new AtomicLong();

    public ReplicatedBlobStore(List<BlobStore> zones) {
        this.zones = List.copyOf(requireNonNull(zones, "zones is null"));
        if (zones.isEmpty()) {
            throw new IllegalArgumentException("at least one zone");
        }
        this.quorum = zones.size() / 2 + 1;
        this.suspectUntil = new long[zones.size()];
    }

    public int quorum() {
        return quorum;
    }

    /** Copies repaired so far (read repair and rebuilds), for metrics. */
    public long repairedCopies() {
        return repaired.get();
    }

    static byte[] seal(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return ByteBuffer.allocate(content.length + TRAILER).put(content).putInt((int) crc.getValue()).array();
    }

    static Optional<byte[]> unseal(byte[] stored) {
        if (stored.length < TRAILER) {
            return Optional.empty();
        }
        CRC32C crc = new CRC32C();
        crc.update(stored, 0, stored.length - TRAILER);
        int expected = ByteBuffer.wrap(stored, stored.length - TRAILER, TRAILER).getInt();
        return (int) crc.getValue() == expected ? Optional.of(Arrays.copyOf(stored, stored.length - TRAILER)) : Optional.empty();
    }

    static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    record Outcome<T>(T value, Throwable error) {}

    /**
     * Runs {@code op} on every zone and completes as soon as the outcomes so far satisfy {@code enough} (or all
     * zones answered), so a slow or unreachable zone does not hold up a quorum. Pending zones are null.
     */
    private <T> CompletableFuture<List<Outcome<T>>> until(java.util.function.Function<BlobStore, CompletionStage<T>> op,
            java.util.function.Predicate<List<Outcome<T>>> enough) {
        CompletableFuture<List<Outcome<T>>> result = new CompletableFuture<>();
        List<Outcome<T>> outcomes = new ArrayList<>(java.util.Collections.nCopies(zones.size(), (Outcome<T>) null));
        int[] answered = {0};
        for (int i = 0; i < zones.size(); i++) {
            int zone = i;
            CompletionStage<T> f;
            try {
                f = op.apply(zones.get(i));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((v, e) -> {
                Throwable error = e == null ? null : cause(e);
                noteHealth(zone, error);
                synchronized (outcomes) {
                    outcomes.set(zone, new Outcome<>(v, error));
                    answered[0]++;
                    if (!result.isDone() && (answered[0] == zones.size() || enough.test(outcomes))) {
                        result.complete(new ArrayList<>(outcomes));
                    }
                }
            });
        }
        return result;
    }

    private static <T> Throwable firstError(List<Outcome<T>> outcomes) {
        return outcomes.stream().filter(o -> o != null && o.error() != null).map(Outcome::error).findFirst().orElse(null);
    }

    private static <T> long count(List<Outcome<T>> outcomes, java.util.function.Predicate<Outcome<T>> p) {
        return outcomes.stream().filter(o -> o != null && p.test(o)).count();
    }

    /** Zones that failed recently are read last for a while (they are still written, and repaired). */
    private final long[] suspectUntil;
    private static final long SUSPECT_NANOS = 10_000_000_000L;


    private final java.util.concurrent.atomic.AtomicInteger nextReader = new java.util.concurrent.atomic.AtomicInteger();

    /** Zone indexes, healthy ones first, starting at a rotating zone so reads spread over the zones. */
    List<Integer> readOrder() {
        long now = System.nanoTime();
        List<Integer> healthy = new ArrayList<>();
        List<Integer> suspect = new ArrayList<>();
        int first = Math.floorMod(nextReader.getAndIncrement(), zones.size());
        for (int i = 0; i < zones.size(); i++) {
            int z = (first + i) % zones.size();
            (suspectUntil[z] - now > 0 ? suspect : healthy).add(z);
        }
        healthy.addAll(suspect);
        return healthy;
    }

    <T> CompletableFuture<List<Outcome<T>>> all(java.util.function.Function<BlobStore, CompletionStage<T>> op) {
        List<CompletableFuture<Outcome<T>>> fs = new ArrayList<>();
        for (BlobStore z : zones) {
            CompletableFuture<T> f;
            try {
                f = op.apply(z).toCompletableFuture();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            fs.add(f.handle((v, e) -> new Outcome<>(v, e == null ? null : cause(e))));
        }
        return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new))
                .thenApply(x -> fs.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
        if (mode instanceof PutMode.IfMatch) {
            return noIfMatch();
        }
        byte[] sealed = seal(content);
        if (!(mode instanceof PutMode.CreateIfAbsent)) {
            return putEverywhere(key, content.length, z -> z.put(key, sealed, mode));
        }
        // A zone that refuses holds a copy already: ours (a retry, or a reader that promoted our copy) counts as
        // accepted. Another writer's copy, left by a conditional put that reached no quorum, is wrong once a quorum
        // took ours: it is replaced, or a read served by that zone could return a version nobody committed.
        CompletableFuture<BlobInfo> won = new CompletableFuture<>();
        CompletionStage<BlobInfo> result = putEverywhere(key, content.length, z -> z.put(key, sealed, mode)
                .handle((v, e) -> {
                    if (e == null || !(cause(e) instanceof PreconditionFailedException)) {
                        return e == null ? CompletableFuture.completedFuture(v) : CompletableFuture.<BlobInfo>failedFuture(cause(e));
                    }
                    return z.readAll(key).handle((held, readFailed) -> {
                        if (readFailed == null && Arrays.equals(held, sealed)) {
                            return new BlobInfo(key, content.length, "");
                        }
                        won.thenRun(() -> z.put(key, sealed, PutMode.OVERWRITE).whenComplete((x, failed) -> {
                            if (failed != null) {
                                LOG.warnf("could not replace a divergent copy of %s: %s", key, failed.getMessage());
                            }
                        }));
                        throw (PreconditionFailedException) cause(e);
                    }).toCompletableFuture();
                }).thenCompose(f -> f));
        return result.whenComplete((v, e) -> {
            if (e == null) {
                won.complete(v);
            }
        });
    }

    /**
     * Streams a file: its copy with the CRC32C trailer is written beside it once (never held in memory), put
     * to every zone from there, and deleted once every zone finished with it.
     */
    @Override
    public CompletionStage<BlobInfo> put(String key, java.nio.file.Path file, PutMode mode) {
        if (mode instanceof PutMode.IfMatch) {
            return noIfMatch();
        }
        java.nio.file.Path sealed = file.resolveSibling(file.getFileName() + ".sealed-" + java.util.UUID.randomUUID());
        long size;
        try {
            size = sealFile(file, sealed);
        } catch (java.io.IOException e) {
            deleteQuietly(sealed);
            return CompletableFuture.failedFuture(new java.io.UncheckedIOException(e));
        }
        List<CompletableFuture<BlobInfo>> perZone = new ArrayList<>();
        CompletionStage<BlobInfo> result = putEverywhere(key, size, z -> {
            CompletableFuture<BlobInfo> f = z.put(key, sealed, mode).toCompletableFuture();
            perZone.add(f);
            return f;
        });
        CompletableFuture.allOf(perZone.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> deleteQuietly(sealed));
        return result;
    }

    private static long sealFile(java.nio.file.Path file, java.nio.file.Path sealed) throws java.io.IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file);
                java.io.OutputStream out = new java.io.BufferedOutputStream(PrivateFiles.newOutputStream(sealed,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                out.write(buf, 0, n);
                size += n;
            }
            out.write(ByteBuffer.allocate(TRAILER).putInt((int) crc.getValue()).array());
        }
        return size;
    }

    private static void deleteQuietly(java.nio.file.Path p) {
        try {
            java.nio.file.Files.deleteIfExists(p);
        } catch (java.io.IOException ignored) {
            // a leftover in the scratch directory is removed at the next start
        }
    }

    private static <T> CompletionStage<T> noIfMatch() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "IF_MATCH is not offered by replicated stores: commit new versioned keys with CREATE_IF_ABSENT"));
    }

    /** Puts to every zone; succeeds once a quorum stored it, loses once a quorum refused it. */
    private CompletionStage<BlobInfo> putEverywhere(String key, long size,
            java.util.function.Function<BlobStore, CompletionStage<BlobInfo>> put) {
        return until(put, os -> count(os, o -> o.error() == null) >= quorum
                || count(os, o -> o.error() instanceof PreconditionFailedException) >= quorum).thenApply(outcomes -> {
            long ok = count(outcomes, o -> o.error() == null);
            long refused = count(outcomes, o -> o.error() instanceof PreconditionFailedException);
            if (ok >= quorum) {
                if (ok < zones.size()) {
                    LOG.debugf("put %s reached %d of %d zones; repair will catch the others up", key, ok, zones.size());
                }
                return new BlobInfo(key, size, outcomes.stream().filter(o -> o != null && o.error() == null)
                        .map(o -> o.value().etag()).findFirst().orElse(""));
            }
            if (refused >= quorum) {
                throw new PreconditionFailedException("blob '" + key + "' already exists in a quorum of zones");
            }
            Throwable first = outcomes.stream().filter(o -> o != null).map(Outcome::error).filter(e -> e != null)
                    .findFirst().orElse(null);
            throw new StorageException("put of '" + key + "' reached " + ok + " of " + zones.size()
                    + " zones, fewer than the quorum of " + quorum + (refused > 0 ? " (inconclusive conditional put)" : ""),
                    first);
        });
    }

    /** See {@link QuorumRead}: returns only bytes a quorum of zones holds (promoting a lone copy first). */
    @Override
    public CompletionStage<byte[]> readAll(String key) {
        return new QuorumRead(this, key).run(0);
    }

    List<BlobStore> zones() {
        return zones;
    }

    /** Records a zone's answer: failures make it suspect, so it is read last for a while. */
    void noteHealth(int zone, Throwable error) {
        if (error == null || error instanceof NoSuchBlobException || error instanceof PreconditionFailedException) {
            suspectUntil[zone] = 0;
        } else {
            suspectUntil[zone] = System.nanoTime() + SUSPECT_NANOS;
        }
    }

    void repairCopies(String key, byte[] sealed, List<Integer> badZones) {
        for (int z : badZones) {
            zones.get(z).put(key, sealed, PutMode.OVERWRITE).whenComplete((i, e) -> {
                if (e == null) {
                    repaired.incrementAndGet();
                    LOG.infof("read repair: rewrote %s in zone %d", key, z);
                }
            });
        }
    }

    @Override
    public CompletionStage<byte[]> read(String key, long offset, int length) {
        return rangedFrom(key, offset, length, readOrder(), 0, null);
    }

    /** {@link #read} in the calling thread: each zone's own blocking read, in the same order and with the same trim. */
    @Override
    public byte[] readBlocking(String key, long offset, int length) {
        RuntimeException last = null;
        for (int zone : readOrder()) {
            byte[] b;
            try {
                b = zones.get(zone).readBlocking(key, offset, length + TRAILER);
            } catch (RuntimeException e) {
                noteHealth(zone, cause(e));
                last = e;
                continue;
            }
            noteHealth(zone, null);
            return withoutTrailer(b, length);
        }
        throw last != null ? last : new NoSuchBlobException(key);
    }

    /** A ranged read of {@code length + TRAILER} bytes, less the trailer if the copy ended within it. */
    private static byte[] withoutTrailer(byte[] b, int length) {
        // One request, no head: the read asked for the trailer's 4 bytes more. Getting them all means the range
        // ends before the trailer; getting fewer means the copy ended, and its last 4 bytes are the trailer.
        if (b.length == length + TRAILER) {
            return Arrays.copyOf(b, length);
        }
        return Arrays.copyOf(b, Math.max(0, b.length - TRAILER));
    }

    private CompletionStage<byte[]> rangedFrom(String key, long offset, int length, List<Integer> order, int attempt,
            Throwable last) {
        if (attempt >= order.size()) {
            return CompletableFuture.failedFuture(last != null ? last : new NoSuchBlobException(key));
        }
        int zone = order.get(attempt);
        BlobStore z = zones.get(zone);
        return z.read(key, offset, length + TRAILER).thenApply(b -> withoutTrailer(b, length)).handle((v, e) -> {
            noteHealth(zone, e == null ? null : cause(e));
            return e == null ? CompletableFuture.completedFuture(v)
                    : rangedFrom(key, offset, length, order, attempt + 1, cause(e)).toCompletableFuture();
        }).thenCompose(f -> f);
    }

    @Override
    public CompletionStage<Optional<BlobInfo>> head(String key) {
        return until(z -> z.head(key), os -> count(os, o -> o.error() == null && o.value().isPresent()) > 0
                || count(os, o -> o.error() == null) >= quorum).thenApply(outcomes -> {
            for (Outcome<Optional<BlobInfo>> o : outcomes) {
                if (o != null && o.error() == null && o.value().isPresent()) {
                    BlobInfo i = o.value().get();
                    return Optional.of(new BlobInfo(key, i.size() - TRAILER, i.etag()));
                }
            }
            long answered = count(outcomes, o -> o.error() == null);
            if (answered < quorum) {
                throw new StorageException("head of '" + key + "': fewer than a quorum of zones answered", firstError(outcomes));
            }
            return Optional.empty();
        });
    }

    @Override
    public CompletionStage<List<BlobInfo>> list(String prefix, String startAfter, int max) {
        // A quorum's listings suffice: every blob written at a quorum is in at least one of them.
        return until(z -> z.list(prefix, startAfter, max), os -> count(os, o -> o.error() == null) >= quorum).thenApply(outcomes -> {
            long answered = count(outcomes, o -> o.error() == null);
            if (answered < quorum) {
                throw new StorageException("list of '" + prefix + "': fewer than a quorum of zones answered", firstError(outcomes));
            }
            TreeMap<String, BlobInfo> merged = new TreeMap<>();
            for (Outcome<List<BlobInfo>> o : outcomes) {
                if (o != null && o.error() == null) {
                    for (BlobInfo i : o.value()) {
                        merged.putIfAbsent(i.key(), new BlobInfo(i.key(), i.size() - TRAILER, i.etag()));
                    }
                }
            }
            return merged.values().stream().limit(max).toList();
        });
    }

    @Override
    public CompletionStage<Void> delete(Collection<String> keys) {
        return until(z -> z.delete(keys), os -> count(os, o -> o.error() == null) >= quorum).thenApply(outcomes -> {
            long ok = count(outcomes, o -> o.error() == null);
            if (ok < quorum) {
                throw new StorageException("delete reached " + ok + " zones, fewer than the quorum of " + quorum);
            }
            return null;
        });
    }

    /**
     * Rebuilds lagging zones: every blob under {@code prefix} that some reachable zone holds intact and
     * another reachable zone lacks (or holds corrupt) is copied there. Returns the number of copies made.
     */
    public CompletionStage<Long> repair(String prefix) {
        return all(z -> listAll(z, prefix)).thenCompose(listings -> {
            TreeMap<String, List<Integer>> holders = new TreeMap<>();
            List<Integer> reachable = new ArrayList<>();
            for (int z = 0; z < zones.size(); z++) {
                Outcome<List<String>> o = listings.get(z);
                if (o.error() == null) {
                    reachable.add(z);
                    for (String k : o.value()) {
                        holders.computeIfAbsent(k, x -> new ArrayList<>()).add(z);
                    }
                }
            }
            CompletableFuture<Long> chain = CompletableFuture.completedFuture(0L);
            long total = holders.size();
            long[] done = {0};
            for (var e : holders.entrySet()) {
                List<Integer> missing = reachable.stream().filter(z -> !e.getValue().contains(z)).toList();
                if (missing.isEmpty()) {
                    continue;
                }
                // only what a quorum holds is copied: a minority's copy was never committed (readAll says absent)
                chain = chain.thenCompose(count -> readAll(e.getKey()).handle((content, failed) -> {
                    if (failed != null) {
                        if (!(cause(failed) instanceof NoSuchBlobException)) {
                            LOG.warnf("zone repair skipped %s: %s", e.getKey(), cause(failed).getMessage());
                        }
                        return CompletableFuture.completedFuture(count);
                    }
                    byte[] sealed = seal(content);
                    List<CompletableFuture<?>> puts = new ArrayList<>();
                    for (int z : missing) {
                        puts.add(zones.get(z).put(e.getKey(), sealed, PutMode.OVERWRITE).toCompletableFuture());
                    }
                    return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).thenApply(v -> {
                        repaired.addAndGet(missing.size());
                        if (++done[0] % 1000 == 0) {
                            LOG.infof("zone repair of '%s': %d of %d blobs checked", prefix, done[0], total);
                        }
                        return count + missing.size();
                    });
                }).thenCompose(f -> f));
            }
            return chain.thenApply(n -> {
                if (n > 0) {
                    LOG.infof("zone repair of '%s' copied %d blobs into lagging zones", prefix, n);
                }
                return n;
            });
        });
    }

    private static CompletionStage<List<String>> listAll(BlobStore z, String prefix) {
        List<String> keys = new ArrayList<>();
        return page(z, prefix, null, keys).thenApply(v -> keys);
    }

    private static CompletionStage<Void> page(BlobStore z, String prefix, String after, List<String> acc) {
        return z.list(prefix, after, 1000).thenCompose(p -> {
            p.forEach(i -> acc.add(i.key()));
            return p.size() < 1000 ? CompletableFuture.completedFuture(null) : page(z, prefix, p.get(p.size() - 1).key(), acc);
        });
    }

    @Override
    public void close() {
        zones.forEach(BlobStore::close);
    }
}
