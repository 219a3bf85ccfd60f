package io.strata.storage.engine.state;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.StorageKeys;
import io.strata.storage.engine.manifest.Manifest;
import io.strata.storage.engine.manifest.ManifestStore;
import io.strata.storage.engine.memtable.Memtable;
import io.strata.storage.engine.segment.Segment;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.TableId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One table's live state: the active memtable (written only by the commit thread), the frozen memtable
 * being flushed (read-only), the open segments (newest first) and the current manifest. Readers take a
 * consistent {@link View}; changes to the manifest and the segment list happen under the table's monitor
 * ({@code synchronized (table)}), which flushes, compactions, truncation and drops hold.
 *
 * <p>A read {@link #pin pins} the segment list it uses until it {@link View#close closes} its view. A list that a
 * compaction or truncation replaced stays in {@link #segmentsInUse} until its last read ends, so garbage collection
 * deletes a replaced segment as soon as nobody reads it, not after a fixed grace. Thread-safe.
 */
public final class Table {
    private final TableId id;
    private final String root;
    private volatile Memtable active = new Memtable();
    private volatile Memtable flushing;
    private volatile Published segments = new Published(List.of());
    /** Replaced lists that reads may still hold (each leaves once a collection finds it unread). */
    private final ConcurrentLinkedQueue<Published> replaced = new ConcurrentLinkedQueue<>();
    private volatile Manifest manifest;
    /** Point-in-time recovery is being turned on: logs retired from now on are kept, before the manifest says so. */
    private volatile boolean historyPending;
    /** From the table's gc_grace_seconds once the schema layer configured it; null until then (engine default). */
    private volatile Integer gcGraceSeconds;

    public Table(TableId id, Manifest manifest) {
        this.id = requireNonNull(id, "id is null");
        this.root = StorageKeys.tableRoot(id);
        this.manifest = requireNonNull(manifest, "manifest is null");
    }

    /**
     * What a reader sees: memtables first, then segments newest first. A pinned view keeps its segments from
     * garbage collection until {@link #close} (once, by its reader); an unpinned one ({@link #view}) is for callers
     * that only size the table or run where collection cannot (the compaction thread).
     */
    public record View(Memtable active, Memtable flushing, List<Segment> segments, AtomicInteger readers)
            implements AutoCloseable {
        @Override
        public void close() {
            if (readers != null) {
                readers.decrementAndGet();
            }
        }
    }

    /**
     * One published segment list and the reads holding it: a count, or -1 once a collection found it replaced and
     * unread (no read can pin it after that).
     */
    private static final class Published {
        final List<Segment> list;
        final AtomicInteger readers = new AtomicInteger();

        Published(List<Segment> list) {
            this.list = List.copyOf(list);
        }
    }

    public TableId id() {
        return id;
    }

    /** The prefix of the table's blobs in the data store. */
    public String root() {
        return root;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** Open segments, newest first. */
    public List<Segment> segments() {
        return segments.list;
    }

    /** The frozen memtable being flushed, or null. */
    public Memtable flushing() {
        return flushing;
    }

    /** Estimated bytes in the active memtable. */
    public long activeBytes() {
        return active.bytes();
    }

    /** The table's own gc_grace_seconds, or null when the schema layer has not configured it yet. */
    public Integer gcGraceSeconds() {
        return gcGraceSeconds;
    }

    public void gcGraceSeconds(int seconds) {
        gcGraceSeconds = seconds;
    }

    /** Whether the table keeps history: its manifest says so, or point-in-time recovery is being turned on. */
    public boolean keepsHistory() {
        return historyPending || manifest.pitrSinceMillis() > 0;
    }

    public void historyPending(boolean pending) {
        historyPending = pending;
    }

    public View view() {
        // Order matters: segments are published before the flushing memtable is cleared, so reading the
        // memtables first never misses data (at worst it sees it twice, which merges idempotently).
        Memtable a = active;
        Memtable f = flushing;
        return new View(a, f, segments.list, null);
    }

    /** A view whose segments garbage collection keeps until the caller closes it. */
    public View pin() {
        while (true) {
            Memtable a = active;
            Memtable f = flushing;
            Published p = segments;
            for (int r = p.readers.get(); r >= 0; r = p.readers.get()) {
                if (p.readers.compareAndSet(r, r + 1)) {
                    return new View(a, f, p.list, p.readers);
                }
            }
            // replaced and collected since it was read: the field holds a newer list now
        }
    }

    /**
     * The keys of the segments reads may use: the current list and every replaced list a read still holds. A
     * replaced list nobody holds is retired here for good, so its segments may go once nothing else lists them.
     */
    public Set<String> segmentsInUse() {
        Set<String> keys = new HashSet<>();
        // the current list first: one published meanwhile (a truncation) queues its predecessor before the swap, so
        // the predecessor is either what was read here or in the queue below
        segments.list.forEach(s -> keys.add(s.key()));
        for (var it = replaced.iterator(); it.hasNext(); ) {
            Published p = it.next();
            if (p.readers.compareAndSet(0, -1)) {
                it.remove();
            } else {
                p.list.forEach(s -> keys.add(s.key()));
            }
        }
        return keys;
    }

    /**
     * Publishes the next list; the old one stays in use until its reads end (even after a flush, which drops nothing:
     * a later compaction may drop what an old read still holds).
     */
    private void publish(List<Segment> next) {
        Published old = segments;
        if (!old.list.isEmpty()) {
            replaced.add(old); // before the swap, so a collection always sees the old list one way or the other
        }
        segments = new Published(next);
    }

    /** Applies a durable update to the active memtable (commit thread); returns the estimated bytes added. */
    public long apply(PartitionUpdate u) {
        return active.apply(u);
    }

    /** Commits the next manifest version and makes it current (under the table's monitor). */
    public void commit(ManifestStore manifests, Manifest next) {
        manifests.commit(id, next);
        manifest = next;
    }

    /** The segments recovery opened for the current manifest, newest first. */
    public void open(List<Segment> newestFirst) {
        publish(newestFirst);
    }

    /**
     * On the commit thread, right after a log roll: freezes a non-empty active memtable for the flush. A
     * roll only happens when no flush runs; a table still flushing would lose track of which log files its
     * memtable covers, so that is refused rather than risking skipped records on replay.
     */
    public void freeze() {
        if (flushing != null) {
            throw new IllegalStateException("table " + id + " is still flushing");
        }
        if (!active.isEmpty()) {
            flushing = active;
            active = new Memtable();
        }
    }

    /** The frozen memtable is now {@code segment} (already in the committed manifest). */
    public void flushed(Segment segment) {
        flushed(List.of(segment));
    }

    /** A flush committed these segments (one per token cell). */
    public void flushed(List<Segment> written) {
        List<Segment> segs = new ArrayList<>(written);
        segs.addAll(segments.list);
        publish(segs);
        flushing = null;
    }

    /** A flush failed: the frozen memtable's partitions go back into the active one (they are still logged). */
    public void unfreeze() {
        Memtable f = flushing;
        if (f != null) {
            f.mergeInto(active);
            flushing = null;
        }
    }

    /** A compaction replaced {@code inputs} by {@code output} (already in the committed manifest). */
    public void compacted(Collection<Segment> inputs, List<Segment> outputs) {
        List<Segment> segs = new ArrayList<>(outputs);
        for (Segment s : segments.list) {
            if (!inputs.contains(s)) {
                segs.add(s);
            }
        }
        publish(segs);
    }

    /** Truncation (already in the committed manifest): no segments, an empty memtable. */
    public void truncated() {
        publish(List.of());
        active = new Memtable();
    }
}
