package io.strata.cql.session;

import static java.util.Objects.requireNonNull;

import io.strata.tenancy.core.TenantContext;

/**
 * The per-connection state the CQL layer needs: who is connected (fixed after authentication), the
 * negotiated protocol version and the current keyspace ({@code USE}). One instance per connection;
 * requests of one connection may run concurrently, so the keyspace is volatile (USE is last-wins,
 * as in Cassandra).
 */
public final class ClientState {
    private final TenantContext tenant;
    private final int protocolVersion;
    private final java.net.InetAddress client;
    private volatile String keyspace;

    public ClientState(TenantContext tenant, int protocolVersion) {
        this(tenant, protocolVersion, java.net.InetAddress.getLoopbackAddress());
    }

    /**
     * @param client the client's address (shown in traces)
     */
    public ClientState(TenantContext tenant, int protocolVersion, java.net.InetAddress client) {
        this.tenant = requireNonNull(tenant, "tenant is null");
        this.protocolVersion = protocolVersion;
        this.client = requireNonNull(client, "client is null");
    }

    public TenantContext tenant() {
        return tenant;
    }

    public java.net.InetAddress client() {
        return client;
    }

    public int protocolVersion() {
        return protocolVersion;
    }

    /** The current keyspace, or null before USE. */
    public String keyspace() {
        return keyspace;
    }

    public void keyspace(String keyspace) {
        this.keyspace = keyspace;
    }
}
