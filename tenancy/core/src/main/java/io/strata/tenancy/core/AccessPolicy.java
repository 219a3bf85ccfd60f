package io.strata.tenancy.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a token may do within its tenant: a list of grants, each a set of actions on a resource pattern. A request
 * is allowed if some grant names its action and matches its resource. Tokens without a policy may do everything in
 * their tenant ({@link #ALL}); tenants never see each other whatever the policy says.
 *
 * <p>Resources, as in Cassandra's {@code <all keyspaces>}, {@code <keyspace ks>} and {@code <table ks.t>}: {@code *}
 * (every keyspace), {@code ks} (the keyspace and all its tables), {@code ks.t} (one table), and patterns with
 * {@code *} standing for any characters within a name ({@code ks.*}, {@code app_*}, {@code *.audit}). Written as
 * {@code ACTION[|ACTION...]:RESOURCE}, e.g. {@code SELECT|MODIFY:app.orders}, {@code ALL:*}.
 *
 * <p>Immutable and thread-safe.
 */
public record AccessPolicy(List<Grant> grants) {
    /** Everything within the tenant: what a token without a policy may do. */
    public static final AccessPolicy ALL = new AccessPolicy(List.of(new Grant(EnumSet.allOf(Action.class), "*")));

    /** An action a statement needs, as Cassandra names its permissions. */
    public enum Action { SELECT, MODIFY, CREATE, ALTER, DROP, DESCRIBE }

    /** Some actions on resources matching a pattern. */
    public record Grant(Set<Action> actions, String resource) {
        public Grant {
            actions = Set.copyOf(actions);
            requireNonNull(resource, "resource is null");
            if (!resource.matches("\\*|[A-Za-z0-9_*]+(\\.[A-Za-z0-9_*]+)?")) {
                throw new IllegalArgumentException("resource '" + resource
                        + "' must be *, a keyspace or keyspace.table (names may use * as a wildcard)");
            }
        }

        boolean covers(Action action, String keyspace, String table) {
            return actions.contains(action) && matches(keyspace, table);
        }

        /** Whether the resource pattern covers the keyspace (table null) or table. */
        boolean matches(String keyspace, String table) {
            if (resource.equals("*")) {
                return true;
            }
            int dot = resource.indexOf('.');
            String ksPattern = dot < 0 ? resource : resource.substring(0, dot);
            if (!glob(ksPattern, keyspace)) {
                return false;
            }
            // a keyspace grant covers its tables; a table grant covers only matching tables
            return dot < 0 || (table != null && glob(resource.substring(dot + 1), table));
        }

        /** Whether the resource pattern covers the keyspace or some of its tables. */
        boolean matchesKeyspace(String keyspace) {
            int dot = resource.indexOf('.');
            return resource.equals("*") || glob(dot < 0 ? resource : resource.substring(0, dot), keyspace);
        }
    }

    public AccessPolicy {
        grants = List.copyOf(grants);
    }

    /**
     * Whether the action is allowed on the keyspace (table null) or table.
     *
     * @param keyspace the keyspace, or null for statements on no keyspace (all keyspaces)
     */
    public boolean allows(Action action, String keyspace, String table) {
        for (Grant g : grants) {
            if (keyspace == null ? g.actions().contains(action) && g.resource().equals("*")
                    : g.covers(action, keyspace, table)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the token may see the table in schema listings (system_schema rows, DESCRIBE, schema events): some
     * action is allowed on it, through a grant on it, its keyspace or every keyspace.
     */
    public boolean sees(String keyspace, String table) {
        requireNonNull(keyspace, "keyspace is null");
        requireNonNull(table, "table is null");
        if (this == ALL) {
            return true;
        }
        for (Grant g : grants) {
            if (!g.actions().isEmpty() && g.matches(keyspace, table)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the token may see the keyspace in schema listings: some action is allowed on the keyspace itself,
     * or some grant names tables of it ({@code SELECT:app.orders} sees keyspace {@code app}, since drivers need its
     * row to place the table, but of its tables only {@code orders}). The system keyspaces are the CQL layer's
     * business: this class knows only grants.
     */
    public boolean seesKeyspace(String keyspace) {
        requireNonNull(keyspace, "keyspace is null");
        if (this == ALL) {
            return true;
        }
        for (Grant g : grants) {
            if (!g.actions().isEmpty() && g.matchesKeyspace(keyspace)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses grants written as {@code ACTION[|ACTION...]:RESOURCE}; {@code ALL} stands for every action.
     *
     * @throws IllegalArgumentException with a message naming the bad grant
     */
    public static AccessPolicy parse(List<String> written) {
        List<Grant> grants = new ArrayList<>();
        for (String w : written) {
            int colon = w == null ? -1 : w.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("permission '" + w + "' must be ACTION:RESOURCE, e.g. SELECT:app.users");
            }
            EnumSet<Action> actions = EnumSet.noneOf(Action.class);
            for (String a : w.substring(0, colon).split("\\|")) {
                String name = a.strip().toUpperCase(Locale.ROOT);
                if (name.equals("ALL")) {
                    actions.addAll(EnumSet.allOf(Action.class));
                    continue;
                }
                try {
                    actions.add(Action.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("permission '" + w + "': unknown action '" + a
                            + "' (SELECT, MODIFY, CREATE, ALTER, DROP, DESCRIBE or ALL)");
                }
            }
            grants.add(new Grant(actions, w.substring(colon + 1).strip()));
        }
        return new AccessPolicy(grants);
    }

    /** The grants in their written form. */
    public List<String> written() {
        List<String> out = new ArrayList<>();
        for (Grant g : grants) {
            StringBuilder b = new StringBuilder();
            EnumSet<Action> ordered = EnumSet.noneOf(Action.class);
            ordered.addAll(g.actions());
            for (Action a : ordered) {
                b.append(b.length() == 0 ? "" : "|").append(a);
            }
            out.add(b + ":" + g.resource());
        }
        return out;
    }

    private static boolean glob(String pattern, String name) {
        // patterns hold only name characters and *, so * is the one metacharacter to translate
        return pattern.indexOf('*') < 0 ? pattern.equals(name) : name.matches(pattern.replace("*", "[A-Za-z0-9_]*"));
    }
}
