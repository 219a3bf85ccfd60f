package io.strata.cql.schema;

import java.util.Map;
import java.util.TreeMap;

/**
 * How a keyspace's replication is shown to clients. Every keyspace is kept in three zones whatever its
 * replication says; Amazon Keyspaces' {@code SingleRegionStrategy} (kept as given, and shown so in
 * {@code system_schema_mcs}) is shown everywhere else as what Strata does, three replicas, in a class
 * drivers know ({@code SimpleStrategy}), so drivers' token maps build and a DESCRIBE pastes back into
 * Strata or Cassandra. Stateless.
 */
public final class Replication {
    public static final String SINGLE_REGION = "SingleRegionStrategy";
    public static final String SIMPLE = "org.apache.cassandra.locator.SimpleStrategy";
    public static final String NETWORK_TOPOLOGY = "org.apache.cassandra.locator.NetworkTopologyStrategy";
    private static final String LOCATOR = "org.apache.cassandra.locator.";

    private Replication() {}

    /** The replication shown in system_schema.keyspaces and DESCRIBE (class fully qualified, sorted). */
    public static Map<String, String> asShown(Map<String, String> replication) {
        if (SINGLE_REGION.equals(replication.get("class"))) {
            return new TreeMap<>(Map.of("class", SIMPLE, "replication_factor", "3"));
        }
        return new TreeMap<>(replication);
    }

    /** A strategy class as DESCRIBE writes it: Cassandra's own classes without their package. */
    public static String shortClassName(String cls) {
        return cls.startsWith(LOCATOR) ? cls.substring(LOCATOR.length()) : cls;
    }
}
