package io.strata.cql.schema;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Every table incarnation of a tenant within the recovery window, with each version of its schema: what a restore
 * needs to find "table ks.t as of instant T" after ALTERs, a DROP, or a DROP and a CREATE of the same name (a new
 * incarnation with a new id). It is part of the tenant's schema document, so it is committed atomically with the
 * change it records ({@link SchemaService} advances it on every DDL commit). Incarnations dropped, and versions
 * superseded, longer ago than the retention are pruned. Tables that were live before history was kept (older schema
 * documents) are adopted at the next change with an unknown creation time. Immutable.
 */
public record SchemaHistory(List<Incarnation> tables) {
    public static final SchemaHistory EMPTY = new SchemaHistory(List.of());
    /** The creation time of a table that existed before history was kept. */
    public static final long UNKNOWN = Long.MIN_VALUE;
    /** The drop time of a table still live. */
    public static final long LIVE = Long.MAX_VALUE;

    public SchemaHistory {
        tables = List.copyOf(tables);
    }

    /** One schema of a table, in force from {@code sinceMillis} until the next version's. */
    public record Version(long sinceMillis, TableMetadata table) {
        public Version {
            requireNonNull(table, "table is null");
        }
    }

    /** One life of a table id: created, altered (versions, oldest first), maybe dropped. */
    public record Incarnation(String keyspace, String name, UUID id, long createdMillis, long droppedMillis,
            List<Version> versions) {
        public Incarnation {
            requireNonNull(keyspace, "keyspace is null");
            requireNonNull(name, "name is null");
            requireNonNull(id, "id is null");
            versions = List.copyOf(versions);
            if (versions.isEmpty()) {
                throw new IllegalArgumentException("an incarnation has at least one version");
            }
        }

        public boolean liveAt(long atMillis) {
            return createdMillis <= atMillis && atMillis < droppedMillis;
        }

        public boolean dropped() {
            return droppedMillis != LIVE;
        }

        /** The schema in force at {@code atMillis} (the oldest known, before the first version). */
        public TableMetadata at(long atMillis) {
            TableMetadata found = versions.get(0).table();
            for (Version v : versions) {
                if (v.sinceMillis() <= atMillis) {
                    found = v.table();
                }
            }
            return found;
        }

        /** The schema now, or when it was dropped. */
        public TableMetadata latest() {
            return versions.get(versions.size() - 1).table();
        }
    }

    /**
     * What a restore found for a name at an instant: the schema then ({@code atInstant}), the schema now or at its
     * drop ({@code latest}, whose settings a restore inherits, as Keyspaces'), and the incarnation's life.
     */
    public record Found(TableMetadata atInstant, TableMetadata latest, long createdMillis, long droppedMillis) {}

    /**
     * The incarnation of {@code keyspace.name} live at {@code atMillis}: from the history, else the live table of
     * {@code current} (a table older than the history), or empty when no table of that name existed then.
     */
    public Optional<Found> find(Schema current, String keyspace, String name, long atMillis) {
        for (Incarnation inc : tables) {
            if (inc.keyspace().equals(keyspace) && inc.name().equals(name) && inc.liveAt(atMillis)) {
                return Optional.of(new Found(inc.at(atMillis), inc.latest(), inc.createdMillis(), inc.droppedMillis()));
            }
        }
        return current.table(keyspace, name)
                .filter(t -> tables.stream().noneMatch(inc -> inc.id().equals(t.id())))
                .map(t -> new Found(t, t, UNKNOWN, LIVE));
    }

    /** The incarnations of a name, oldest first (for messages). */
    public List<Incarnation> named(String keyspace, String name) {
        return tables.stream().filter(i -> i.keyspace().equals(keyspace) && i.name().equals(name)).toList();
    }

    /**
     * The history after the change from {@code base} to {@code next} committed at {@code nowMillis}: new tables
     * start an incarnation, changed ones (a different metadata instance: every DDL builds a new one) add a version,
     * missing ones are dropped; then what is older than {@code retention} goes.
     */
    public SchemaHistory advance(Schema base, Schema next, long nowMillis, Duration retention) {
        Map<UUID, Incarnation> byId = new LinkedHashMap<>();
        for (Incarnation inc : tables) {
            byId.put(inc.id(), inc);
        }
        forEachTable(base, t -> byId.computeIfAbsent(t.id(), id -> new Incarnation(t.keyspace(), t.name(), id, UNKNOWN,
                LIVE, List.of(new Version(UNKNOWN, t)))));
        java.util.Set<UUID> live = new java.util.HashSet<>();
        forEachTable(next, t -> {
            live.add(t.id());
            Incarnation inc = byId.get(t.id());
            if (inc == null) {
                byId.put(t.id(), new Incarnation(t.keyspace(), t.name(), t.id(), nowMillis, LIVE,
                        List.of(new Version(nowMillis, t))));
            } else if (base.table(t.keyspace(), t.name()).orElse(null) != t) {
                List<Version> versions = new ArrayList<>(inc.versions());
                if (versions.get(versions.size() - 1).sinceMillis() >= nowMillis) {
                    versions.remove(versions.size() - 1); // two changes in one millisecond: the later wins
                }
                versions.add(new Version(Math.max(nowMillis, inc.createdMillis()), t));
                byId.put(t.id(), new Incarnation(t.keyspace(), t.name(), t.id(), inc.createdMillis(), LIVE, versions));
            }
        });
        long cutoff = nowMillis - retention.toMillis();
        List<Incarnation> kept = new ArrayList<>();
        for (Incarnation inc : byId.values()) {
            if (!inc.dropped() && !live.contains(inc.id())) {
                inc = new Incarnation(inc.keyspace(), inc.name(), inc.id(), inc.createdMillis(), nowMillis, inc.versions());
            }
            if (inc.droppedMillis() < cutoff) {
                continue;
            }
            kept.add(prune(inc, cutoff));
        }
        return new SchemaHistory(kept);
    }

    /** Versions superseded before {@code cutoff} go, except the one in force at the cutoff. */
    private static Incarnation prune(Incarnation inc, long cutoff) {
        List<Version> versions = inc.versions();
        int first = 0;
        for (int i = 1; i < versions.size(); i++) {
            if (versions.get(i).sinceMillis() <= cutoff) {
                first = i;
            }
        }
        return first == 0 ? inc : new Incarnation(inc.keyspace(), inc.name(), inc.id(), inc.createdMillis(),
                inc.droppedMillis(), versions.subList(first, versions.size()));
    }

    private static void forEachTable(Schema s, java.util.function.Consumer<TableMetadata> action) {
        s.keyspaces().values().forEach(ks -> ks.tables().values().forEach(action));
    }
}
