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
import java.util.List;

/**
 * One table's live state: the active memtable (written only by the commit thread), the frozen memtable
 * being flushed (read-only), the open segments (newest first) and the current manifest. Readers take a
 * consistent {@link View}; changes to the manifest and the segment list happen under the table's monitor
 * ({@code synchronized (table)}), which flushes, compactions, truncation and drops hold. Thread-safe.
 */
public final class Table {
    private final TableId id;
    private final String root;
    private volatile Memtable active = new Memtable();
    private volatile Memtable flushing;
    private volatile List<Segment> segments = List.of();
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

    /** What a reader sees: memtables first, then segments newest first. */
    public record View(Memtable active, Memtable flushing, List<Segment> segments) {}

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
        return segments;
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
        return new View(a, f, segments);
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
        segments = List.copyOf(newestFirst);
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
        segs.addAll(segments);
        segments = List.copyOf(segs);
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
        for (Segment s : segments) {
            if (!inputs.contains(s)) {
                segs.add(s);
            }
        }
        segments = List.copyOf(segs);
    }

    /** Truncation (already in the committed manifest): no segments, an empty memtable. */
    public void truncated() {
        segments = List.of();
        active = new Memtable();
    }
}
