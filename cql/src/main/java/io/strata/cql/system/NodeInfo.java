package io.strata.cql.system;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.util.List;
import java.util.UUID;

/**
 * What system.local says about this gateway. Strata reports itself as one Cassandra node owning the
 * whole Murmur3 ring (every gateway is a coordinator for every token); later, several gateways appear
 * in system.peers with a share of the tokens each.
 */
public record NodeInfo(
        String clusterName,
        String datacenter,
        String rack,
        UUID hostId,
        InetAddress address,
        int nativePort,
        String releaseVersion,
        List<String> tokens) {
    public static final String CQL_VERSION = "3.4.7";
    public static final String PARTITIONER = "org.apache.cassandra.dht.Murmur3Partitioner";
    /** The internode port system.local and DESCRIBE CLUSTER report (Cassandra's default; Strata has no gossip). */
    public static final int STORAGE_PORT = 7000;

    public NodeInfo {
        requireNonNull(clusterName, "clusterName is null");
        requireNonNull(datacenter, "datacenter is null");
        requireNonNull(rack, "rack is null");
        requireNonNull(hostId, "hostId is null");
        requireNonNull(address, "address is null");
        requireNonNull(releaseVersion, "releaseVersion is null");
        tokens = List.copyOf(tokens);
    }
}
