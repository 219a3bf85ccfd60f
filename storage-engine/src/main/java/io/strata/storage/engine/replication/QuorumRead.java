package io.strata.storage.engine.replication;

import static io.strata.storage.engine.replication.ReplicatedBlobStore.TRAILER;
import static io.strata.storage.engine.replication.ReplicatedBlobStore.cause;
import static io.strata.storage.engine.replication.ReplicatedBlobStore.unseal;

import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.NoSuchBlobException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * One whole-blob read of a {@link ReplicatedBlobStore}: it answers with bytes only once a quorum of zones holds
 * exactly those bytes, so a copy that never reached a quorum is never taken for a committed one.
 *
 * <ul>
 *   <li>One zone is read whole; every other zone is asked for the copy's last 4 bytes (its CRC32C trailer) at the
 *       same length: a match is a vote for the same bytes. The common case costs one whole read and one 4-byte
 *       read.
 *   <li>A quorum holds it: returned; zones that lack it, hold a damaged copy or another (stale) copy are
 *       rewritten, which is safe because a quorum's copy can never change.
 *   <li>Some zones hold it, the others lack it (a conditional put that reached a minority before its writer died,
 *       or a committed blob whose other copies were lost with a zone): it is <em>promoted</em>, created where
 *       absent, and returned once a quorum holds it. A writer whose put was inconclusive and reads back its own
 *       bytes therefore only ever sees them committed on a quorum.
 *   <li>Zones hold different copies: with a zone unanswered nobody can tell which one is committed and the read
 *       fails (it succeeds once the zone is back); with every zone answered and no quorum (writers that all
 *       failed), the copy most zones hold (ties broken by byte order, so every reader picks the same) is created
 *       where the key is absent, competing like a writer, and the vote is taken again.
 *   <li>No zone holds it and a quorum answered: {@link NoSuchBlobException}.
 * </ul>
 *
 * <p>Not thread-safe: one instance per read; zone answers arrive on the zones' threads and are recorded under
 * the instance's lock.
 */
final class QuorumRead {
    private static final Logger LOG = Logger.getLogger(QuorumRead.class);
    private static final int MAX_ROUNDS = 3;

    /** What one zone holds of the key, against the copy being voted on. */
    private enum Vote { SAME, ABSENT, OTHER, CORRUPT, FAILED }

    private final ReplicatedBlobStore store;
    private final List<BlobStore> zones;
    private final String key;
    private final Vote[] votes;
    private final byte[][] corrupt;
    private final boolean[] damaged;

    QuorumRead(ReplicatedBlobStore store, String key) {
        this.store = store;
        this.zones = store.zones();
        this.key = key;
        this.votes = new Vote[zones.size()];
        this.corrupt = new byte[zones.size()][];
        this.damaged = new boolean[zones.size()];
    }

    private synchronized long count(Vote v) {
        return Arrays.stream(votes).filter(x -> x == v).count();
    }

    private synchronized List<Integer> zonesVoting(Vote v) {
        List<Integer> out = new ArrayList<>();
        for (int z = 0; z < votes.length; z++) {
            if (votes[z] == v) {
                out.add(z);
            }
        }
        return out;
    }

    CompletionStage<byte[]> run(int round) {
        synchronized (this) {
            Arrays.fill(votes, null);
            Arrays.fill(corrupt, null);
            Arrays.fill(damaged, false);
        }
        return firstCopy(store.readOrder(), 0).thenCompose(sealed -> {
            if (sealed == null) {
                return CompletableFuture.failedFuture(count(Vote.ABSENT) >= store.quorum
                        && count(Vote.CORRUPT) == 0 ? new NoSuchBlobException(key) : unclear("no intact copy"));
            }
            countDamagedAsSame(sealed);
            return vote(sealed).thenCompose(v -> decide(sealed, round));
        });
    }

    private CompletionStage<byte[]> decide(byte[] sealed, int round) {
        long same = count(Vote.SAME);
        if (same >= store.quorum) {
            List<Integer> lagging = new ArrayList<>();
            synchronized (this) {
                for (int z = 0; z < votes.length; z++) {
                    if (votes[z] == Vote.ABSENT || votes[z] == Vote.OTHER || damaged[z]) {
                        lagging.add(z);
                    }
                }
            }
            if (!lagging.isEmpty()) {
                store.repairCopies(key, sealed, lagging);
            }
            return CompletableFuture.completedFuture(unseal(sealed).orElseThrow());
        }
        if (round + 1 >= MAX_ROUNDS) {
            return CompletableFuture.failedFuture(unclear("no quorum after " + MAX_ROUNDS + " rounds"));
        }
        if (count(Vote.OTHER) == 0 && count(Vote.CORRUPT) == 0) {
            if (same + count(Vote.ABSENT) < store.quorum) {
                return CompletableFuture.failedFuture(unclear("too few zones answered"));
            }
            return promote(sealed).thenCompose(x -> run(round + 1));
        }
        if (count(Vote.FAILED) > 0 || count(Vote.CORRUPT) > 0) {
            return CompletableFuture.failedFuture(unclear("zones disagree"));
        }
        return settle().thenCompose(x -> run(round + 1));
    }

    private StorageException unclear(String why) {
        return new StorageException("cannot read '" + key + "' from a quorum of zones (" + why + "): "
                + count(Vote.SAME) + " hold the copy read, " + count(Vote.OTHER) + " another, " + count(Vote.ABSENT)
                + " none, " + count(Vote.CORRUPT) + " a corrupt one, " + count(Vote.FAILED) + " did not answer");
    }

    /** Reads whole copies zone by zone until one is intact; null when none is (the votes say why). */
    private CompletionStage<byte[]> firstCopy(List<Integer> order, int i) {
        if (i >= order.size()) {
            return CompletableFuture.completedFuture(null);
        }
        int zone = order.get(i);
        return zones.get(zone).readAll(key).handle((stored, e) -> {
            Throwable error = e == null ? null : cause(e);
            store.noteHealth(zone, error);
            synchronized (this) {
                if (error == null && unseal(stored).isPresent()) {
                    votes[zone] = Vote.SAME;
                    return CompletableFuture.completedFuture(stored);
                }
                if (error == null) {
                    LOG.warnf("zone %d holds a corrupt copy of %s (checksum mismatch); reading another zone", zone, key);
                }
                votes[zone] = error == null ? Vote.CORRUPT : error instanceof NoSuchBlobException ? Vote.ABSENT : Vote.FAILED;
                corrupt[zone] = error == null ? stored : null;
            }
            return firstCopy(order, i + 1).toCompletableFuture();
        }).thenCompose(f -> f);
    }

    /** A damaged copy whose length and trailer match was written with these bytes: it votes, and is repaired. */
    private synchronized void countDamagedAsSame(byte[] sealed) {
        for (int z = 0; z < votes.length; z++) {
            if (votes[z] == Vote.CORRUPT && corrupt[z].length == sealed.length && Arrays.equals(corrupt[z],
                    sealed.length - TRAILER, sealed.length, sealed, sealed.length - TRAILER, sealed.length)) {
                votes[z] = Vote.SAME;
                damaged[z] = true;
            }
        }
    }

    /**
     * Asks every zone not yet voting whether it holds {@code sealed}: its last 4 bytes must match and end the copy.
     * Completes once a quorum holds it or every zone answered.
     */
    private CompletionStage<Void> vote(byte[] sealed) {
        List<Integer> pending = zonesVoting(null);
        if (pending.isEmpty() || count(Vote.SAME) >= store.quorum) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] trailer = Arrays.copyOfRange(sealed, sealed.length - TRAILER, sealed.length);
        int[] left = {pending.size()};
        for (int z : pending) {
            BlobStore zone = zones.get(z);
            zone.read(key, sealed.length - TRAILER, TRAILER + 1).handle((tail, e) -> {
                if (e == null) {
                    return CompletableFuture.completedFuture(Arrays.equals(tail, trailer) ? Vote.SAME : Vote.OTHER);
                }
                if (cause(e) instanceof NoSuchBlobException) {
                    return CompletableFuture.completedFuture(Vote.ABSENT);
                }
                // e.g. a shorter copy refuses the range: compare whole copies instead
                return zone.readAll(key).handle((whole, e2) -> e2 == null
                        ? (Arrays.equals(whole, sealed) ? Vote.SAME : unseal(whole).isPresent() ? Vote.OTHER : Vote.CORRUPT)
                        : cause(e2) instanceof NoSuchBlobException ? Vote.ABSENT : Vote.FAILED).toCompletableFuture();
            }).thenCompose(f -> f).whenComplete((answer, e) -> {
                Vote v = e == null ? answer : Vote.FAILED;
                store.noteHealth(z, v == Vote.FAILED ? new StorageException("no answer") : null);
                boolean finished;
                synchronized (this) {
                    votes[z] = v;
                    finished = --left[0] == 0;
                }
                if (finished || count(Vote.SAME) >= store.quorum) {
                    done.complete(null);
                }
            });
        }
        return done;
    }

    /** Creates the copy where the key is absent (a zone that took another writer's copy meanwhile refuses). */
    private CompletionStage<Void> promote(byte[] sealed) {
        List<Integer> absent = zonesVoting(Vote.ABSENT);
        LOG.infof("%s is on %d of %d zones only: copying it to the others before it is read", key, count(Vote.SAME),
                zones.size());
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int z : absent) {
            puts.add(zones.get(z).put(key, sealed, PutMode.CREATE_IF_ABSENT).toCompletableFuture()
                    .exceptionally(e -> null));
        }
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new));
    }

    /**
     * Every zone answered, with different copies and no quorum: the copy most zones hold (ties broken by byte
     * order) is created where the key is absent. Overwrites only when no zone lacks the key, as then no
     * conditional put can win anywhere and nothing committed can be replaced.
     */
    private CompletionStage<Void> settle() {
        return store.all(z -> z.readAll(key)).thenCompose(copies -> {
            List<byte[]> intact = new ArrayList<>();
            boolean anyAbsent = false;
            for (ReplicatedBlobStore.Outcome<byte[]> o : copies) {
                if (o.error() instanceof NoSuchBlobException) {
                    anyAbsent = true;
                } else if (o.error() == null && unseal(o.value()).isPresent()) {
                    intact.add(o.value());
                } else {
                    return CompletableFuture.<Void>completedFuture(null); // a zone stopped answering: vote again
                }
            }
            byte[] chosen = intact.stream().max(Comparator
                    .<byte[]>comparingLong(c -> intact.stream().filter(x -> Arrays.equals(x, c)).count())
                    .thenComparing((a, b) -> Arrays.compare(b, a))).orElseThrow();
            PutMode mode = anyAbsent ? PutMode.CREATE_IF_ABSENT : PutMode.OVERWRITE;
            LOG.warnf("zones hold different copies of %s and none holds a quorum; settling on one (%s)", key,
                    anyAbsent ? "created where absent" : "overwriting the others");
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (int z = 0; z < zones.size(); z++) {
                ReplicatedBlobStore.Outcome<byte[]> o = copies.get(z);
                if (o.error() == null && Arrays.equals(o.value(), chosen)) {
                    continue;
                }
                puts.add(zones.get(z).put(key, chosen, mode).toCompletableFuture().exceptionally(e -> null));
            }
            return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new));
        });
    }
}
