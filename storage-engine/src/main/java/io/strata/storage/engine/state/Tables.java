package io.strata.storage.engine.state;

import io.strata.storage.engine.segment.Segment;
import io.strata.storage.spi.PartitionUpdate;
import io.strata.storage.spi.TableId;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live tables of an engine, by id, and the bytes their memtables hold together (what flushes and write
 * stalls are decided on). Thread-safe.
 */
public final class Tables {
    private final Map<UUID, Table> tables = new ConcurrentHashMap<>();
    private final AtomicLong memtableBytes = new AtomicLong();
    /** Tables that exist but could not be opened because their customer-managed key is unavailable. */
    private final Map<UUID, String> unavailable = new ConcurrentHashMap<>();

    /** The live table, or null. */
    public Table get(TableId id) {
        return tables.get(id.id());
    }

    /**
     * Records that the table exists but cannot be opened: its customer-managed key is unavailable ({@code why}).
     * Operations on it fail with that reason; other tables are unaffected.
     */
    public void markUnavailable(TableId id, String why) {
        unavailable.put(id.id(), why);
    }

    /** Whether the table exists but its key is unavailable. */
    public boolean isUnavailable(TableId id) {
        return unavailable.containsKey(id.id());
    }

    /** Forgets an unavailable table (dropped). */
    public void forgetUnavailable(TableId id) {
        unavailable.remove(id.id());
    }

    /** Why an operation on a table that is not live fails: it does not exist, or its key is unavailable. */
    public io.strata.storage.spi.StorageException missing(TableId id) {
        String why = unavailable.get(id.id());
        return why != null ? new io.strata.storage.spi.crypto.KeyUnavailableException(why)
                : new io.strata.storage.spi.StorageException("table " + id + " does not exist");
    }

    /** Whether the live table with this id keeps history for point-in-time recovery. */
    public boolean keepsHistory(UUID id) {
        Table t = tables.get(id);
        return t != null && t.keepsHistory();
    }

    public boolean contains(TableId id) {
        return tables.containsKey(id.id());
    }

    public void put(Table t) {
        tables.put(t.id().id(), t);
    }

    public void putIfAbsent(Table t) {
        tables.putIfAbsent(t.id().id(), t);
    }

    public void remove(TableId id) {
        tables.remove(id.id());
    }

    /** Whether {@code t} is still the live table of its id (not dropped, not replaced). */
    public boolean isLive(Table t) {
        return tables.get(t.id().id()) == t;
    }

    public Collection<Table> all() {
        return tables.values();
    }

    public int size() {
        return tables.size();
    }

    public int segmentCount() {
        int n = 0;
        for (Table t : tables.values()) {
            n += t.segments().size();
        }
        return n;
    }

    /** Applies a durable update to its table's memtable; updates of a dropped table are ignored. */
    /** Applies a durable update to its table's memtable; returns the estimated bytes added (0 for an unknown table). */
    public long apply(PartitionUpdate u) {
        Table t = get(u.table());
        if (t == null) {
            return 0;
        }
        long added = t.apply(u);
        memtableBytes.addAndGet(added);
        return added;
    }

    public void addMemtableBytes(long bytes) {
        memtableBytes.addAndGet(bytes);
    }

    public long memtableBytes() {
        return memtableBytes.get();
    }

    /** After a flush: only the active memtables hold bytes now. */
    public void recountMemtableBytes() {
        long total = 0;
        for (Table t : tables.values()) {
            total += t.activeBytes();
        }
        memtableBytes.set(total);
    }

    /** On the commit thread, right after a log roll: freezes every table's memtable at that point. */
    public void freezeAll() {
        for (Table t : tables.values()) {
            t.freeze();
        }
    }

    /**
     * The keys of every segment a live table's reads may use (see {@link Table#segmentsInUse}): garbage collection
     * keeps them whatever the manifests say.
     */
    public java.util.Set<String> segmentsInUse() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Table t : tables.values()) {
            keys.addAll(t.segmentsInUse());
        }
        return keys;
    }

    /** Closes every open segment (engine close). */
    public void closeSegments() {
        for (Table t : tables.values()) {
            for (Segment s : t.segments()) {
                s.close();
            }
        }
    }
}
