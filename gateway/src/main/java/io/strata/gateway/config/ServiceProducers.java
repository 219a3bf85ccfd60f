package io.strata.gateway.config;

import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.session.CqlRequestHandler;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.schema.SchemaEvents;
import io.strata.cql.system.NodeInfo;
import io.strata.gateway.transport.CqlServerLifecycle;
import jakarta.enterprise.inject.Instance;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.Authenticator;
import io.strata.tenancy.DevTenantBootstrap;
import io.strata.tenancy.JwtAuthenticator;
import io.strata.tenancy.SigningKeys;
import io.strata.tenancy.TokenSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The only place that knows which implementation backs each core interface (storage is assembled in
 * {@code io.strata.gateway.storage}): it builds the token authenticator (creating the dev tenant's token on
 * first start) and assembles the CQL request handler. Core modules stay free of CDI.
 */
@Singleton
public class ServiceProducers {
    private static final Logger LOG = Logger.getLogger(ServiceProducers.class);
    /** The Cassandra release drivers are told they talk to: 4.0 semantics (virtual tables, protocol v5). */
    static final String RELEASE_VERSION = "5.0.9";

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    SchemaEvents schemaEvents() {
        return new LocalSchemaEvents();
    }

    @Produces
    @Singleton
    SchemaService schemaService(StorageEngine engine, SchemaEvents events) {
        return new SchemaService(engine, events);
    }

    @Produces
    @Singleton
    RequestHandler requestHandler(StorageEngine engine, SchemaService schemas, NodeConfig node, StorageConfig storage,
            Clock clock, @ConfigProperty(name = "strata.cql.host", defaultValue = "0.0.0.0") String host,
            Instance<CqlServerLifecycle> server) {
        Path data = storage.local().path().toAbsolutePath().normalize();
        UUID hostId = UUID.nameUUIDFromBytes(data.toString().getBytes(StandardCharsets.UTF_8));
        InetAddress address = advertised(host);
        // The bound port is known only once the server listens (port 0 picks one), hence the supplier.
        return CqlRequestHandler.assemble(engine, schemas, () -> new NodeInfo(node.clusterName(), node.datacenter(),
                node.rack(), hostId, address, server.get().port(), RELEASE_VERSION, List.of(Long.toString(Long.MIN_VALUE))),
                clock, node.maxPreparedStatements(), List.of());
    }

    @Produces
    @Singleton
    Authenticator authenticator(AuthConfig auth, StorageConfig storage, NodeConfig node, Clock clock,
            @ConfigProperty(name = "strata.cql.host", defaultValue = "0.0.0.0") String host,
            @ConfigProperty(name = "strata.cql.port", defaultValue = "9042") int port) {
        TokenSettings settings = TokenSettings.defaults().withIssuer(auth.issuer());
        if (auth.audience().isPresent()) {
            settings = settings.withAudience(auth.audience().get());
        }
        Path data = storage.local().path().toAbsolutePath().normalize();
        try {
            SigningKeys keys;
            if (auth.publicKey().isPresent()) {
                keys = SigningKeys.verifyOnly(auth.publicKey().get());
            } else if (auth.devTenant()) {
                DevTenantBootstrap.Result dev = new DevTenantBootstrap(data, settings, clock)
                        .ensure(advertised(host).getHostAddress(), port, node.datacenter());
                LOG.info(dev.message());
                keys = dev.keys();
            } else {
                keys = SigningKeys.loadOrGenerate(auth.keysPath().orElse(data.resolve(DevTenantBootstrap.KEYS_DIR)));
            }
            return new JwtAuthenticator(keys, settings, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up token authentication: " + e.getMessage(), e);
        }
    }

    /** The address drivers are told to use: the bound one, or loopback when bound to every interface. */
    static InetAddress advertised(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("strata.cql.host '" + host + "' does not resolve", e);
        }
    }
}
