package io.strata.gateway.config;

import io.strata.cql.schema.LocalSchemaEvents;
import io.strata.cql.schema.SchemaEvents;
import io.strata.cql.schema.SchemaService;
import io.strata.cql.session.CqlRequestHandler;
import io.strata.cql.exec.AccessGuard;
import io.strata.cql.session.PagingKey;
import io.strata.cql.session.PreparedCacheLimits;
import io.strata.cql.session.RequestHandler;
import io.strata.cql.system.NodeInfo;
import io.strata.gateway.audit.AuditGuard;
import io.strata.gateway.audit.AuditLog;
import io.strata.gateway.storage.StorageAssembly;
import io.strata.gateway.tenants.BlobRevocations;
import io.strata.gateway.tenants.BlobTenantDirectory;
import io.strata.gateway.tenants.DirectoryAuthenticator;
import io.strata.gateway.transport.CqlServerLifecycle;
import io.strata.storage.spi.StorageEngine;
import io.strata.tenancy.Authenticator;
import io.strata.tenancy.DevTenantBootstrap;
import io.strata.tenancy.IssuerKeys;
import io.strata.tenancy.JwtAuthenticator;
import io.strata.tenancy.RemoteJwks;
import io.strata.tenancy.SigningKeys;
import io.strata.tenancy.TokenLimits;
import io.strata.tenancy.TokenSettings;
import io.strata.tenancy.TrustedIssuer;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
    static final java.time.Duration TENANT_CACHE_TIME = java.time.Duration.ofSeconds(5);

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
    SchemaService schemaService(StorageEngine engine, SchemaEvents events, Clock clock, StorageConfig storageConfig,
            @ConfigProperty(name = "strata.restore.max-concurrent", defaultValue = "4") int maxConcurrent,
            @ConfigProperty(name = "strata.restore.poll-interval", defaultValue = "1s") java.time.Duration poll) {
        // the restore window is the history storage keeps (strata.storage.engine.retention, Keyspaces' 35 days): one
        // setting, so the two can never disagree; Keyspaces' concurrent-restore limit is 4; see docs/recovery.md
        return new SchemaService(engine, events, clock, new io.strata.cql.schema.Restores.Options(
                storageConfig.engine().retention(), maxConcurrent, poll));
    }

    /** Restores and on-demand backups, for the admin API (RESTORE TABLE runs in the CQL executor). */
    @Produces
    @Singleton
    io.strata.cql.exec.ddl.Recovery recovery(SchemaService schemas) {
        return new io.strata.cql.exec.ddl.Recovery(schemas);
    }

    @Produces
    @Singleton
    RequestHandler requestHandler(StorageEngine engine, SchemaService schemas, NodeConfig node, StorageConfig storage,
            Clock clock, @ConfigProperty(name = "strata.cql.host", defaultValue = "0.0.0.0") String host,
            @ConfigProperty(name = "strata.cql.paging-key") Optional<String> pagingKey,
            @ConfigProperty(name = "strata.cql.paging-key-previous") Optional<String> previousPagingKey,
            @ConfigProperty(name = "strata.cql.prepared.per-tenant-bytes", defaultValue = "16777216") long perTenant,
            @ConfigProperty(name = "strata.cql.prepared.global-bytes", defaultValue = "268435456") long global,
            Instance<CqlServerLifecycle> server, AuditLog audit, io.strata.gateway.capacity.CapacityConfig capacity,
            io.strata.tenancy.capacity.CapacityMeter meter, io.micrometer.core.instrument.MeterRegistry metrics,
            io.strata.gateway.billing.BillingConfig billing, Instance<io.strata.gateway.billing.UsageLedger> ledger) {
        Path data = storage.local().path().toAbsolutePath().normalize();
        UUID hostId = UUID.nameUUIDFromBytes(data.toString().getBytes(StandardCharsets.UTF_8));
        InetAddress address = advertised(host);
        // The bound port is known only once the server listens (port 0 picks one), hence the supplier.
        return CqlRequestHandler.assemble(engine, schemas, () -> new NodeInfo(node.clusterName(), node.datacenter(),
                node.rack(), hostId, address, server.get().port(), RELEASE_VERSION, List.of(Long.toString(Long.MIN_VALUE))),
                clock, guards(audit, capacity, meter, metrics, billing.enabled() ? ledger.get() : null, engine),
                pagingKey(pagingKey, previousPagingKey, data),
                PreparedCacheLimits.of(perTenant, global), capacity.modeSwitchWait());
    }

    /** Access first (a denied request consumes no capacity), then capacity, the ledger, the audit trail, metrics. */
    private static List<io.strata.cql.exec.PlanGuard> guards(AuditLog audit,
            io.strata.gateway.capacity.CapacityConfig capacity, io.strata.tenancy.capacity.CapacityMeter meter,
            io.micrometer.core.instrument.MeterRegistry metrics, io.strata.gateway.billing.UsageLedger ledger,
            StorageEngine engine) {
        List<io.strata.cql.exec.PlanGuard> guards = new ArrayList<>();
        guards.add(new AccessGuard());
        if (capacity.enabled()) {
            guards.add(new io.strata.gateway.capacity.CapacityGuard(meter, capacity.throttleResponse()));
        }
        if (ledger != null) {
            guards.add(new io.strata.gateway.billing.LedgerGuard(ledger));
        }
        if (audit.enabled()) {
            guards.add(new AuditGuard(audit));
        }
        guards.add(new io.strata.gateway.capacity.TableMetrics(metrics, engine));
        return guards;
    }

    /** The capacity meter: Bucket4j buckets in this process (a cluster plugs a distributed backend in here). */
    @Produces
    @Singleton
    io.strata.tenancy.capacity.CapacityMeter capacityMeter(io.strata.gateway.capacity.CapacityConfig c) {
        io.strata.gateway.capacity.CapacityConfig.check(c);
        io.strata.tenancy.capacity.CapacityLimits limits = new io.strata.tenancy.capacity.CapacityLimits(
                c.onDemandInitialReadUnits(), c.onDemandInitialWriteUnits(), java.time.Duration.ofMinutes(30), c.burst(),
                c.partitionReadUnits(), c.partitionWriteUnits(), c.accountReadUnits(), c.accountWriteUnits());
        return new io.strata.tenancy.capacity.CapacityMeter(limits, new io.strata.tenancy.capacity.LocalBuckets(
                System::nanoTime, java.time.Duration.ofMinutes(10).toNanos()), System::nanoTime);
    }

    /**
     * The key that seals paging states: {@code strata.cql.paging-key} (base64, at least 32 bytes; the same on every
     * node, from a secret store), or else a key generated once into {@code <data>/keys/paging.key}, which serves one
     * node (several nodes need the configured key, or a page begun on one fails on another).
     */
    static PagingKey pagingKey(Optional<String> configured, Optional<String> previous, Path data) {
        try {
            if (configured.isPresent()) {
                byte[][] old = previous.map(p -> new byte[][] {Base64.getDecoder().decode(p.strip())})
                        .orElse(new byte[0][]);
                return PagingKey.of(Base64.getDecoder().decode(configured.get().strip()), old);
            }
            Path file = data.resolve(DevTenantBootstrap.KEYS_DIR).resolve("paging.key");
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new java.security.SecureRandom().nextBytes(fresh);
                // owner-only and never half-written, like the signing keys beside it
                io.strata.storage.spi.PrivateFiles.write(file, Base64.getEncoder().encode(fresh));
                LOG.infof("Generated the paging-state key in %s (set strata.cql.paging-key on every node of a cluster)",
                        file);
            }
            return PagingKey.of(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the paging-state key: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("strata.cql.paging-key must be base64 of at least "
                    + PagingKey.MIN_BYTES + " bytes: " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    @jakarta.enterprise.inject.Typed(JwtAuthenticator.class)
    JwtAuthenticator jwtAuthenticator(AuthConfig auth, StorageConfig storage, NodeConfig node, Clock clock,
            @ConfigProperty(name = "strata.cql.host", defaultValue = "0.0.0.0") String host,
            @ConfigProperty(name = "strata.cql.port", defaultValue = "9042") int port) {
        Path data = storage.local().path().toAbsolutePath().normalize();
        return buildAuthenticator(auth, auth.devTenant(storage.type()), data, advertised(host).getHostAddress(), port,
                node.datacenter(), clock);
    }

    /**
     * The tenants operators created, in the shared storage; the local default creates {@code dev}. Another node's
     * suspension reaches this one's logins within {@link #TENANT_CACHE_TIME}.
     */
    @Produces
    @Singleton
    TenantDirectory tenantDirectory(StorageAssembly storage, AuthConfig auth, StorageConfig storageConfig, Clock clock) {
        // a deleted tenant's name is free again once its data is gone: after the storage retention window
        BlobTenantDirectory directory = new BlobTenantDirectory(storage.blobs(), clock, TENANT_CACHE_TIME,
                storageConfig.engine().retention());
        if (auth.devTenant(storageConfig.type()) && directory.find(DevTenantBootstrap.DEV_TENANT).isEmpty()) {
            try {
                directory.create(DevTenantBootstrap.DEV_TENANT);
                LOG.infof("Created tenant '%s' (strata.auth.dev-tenant)", DevTenantBootstrap.DEV_TENANT);
            } catch (TenantDirectoryException.AlreadyExists raced) {
                // another node created it first
            }
        }
        return directory;
    }

    /**
     * CQL logins need a valid token (the same issuers and limits as the admin API) of an active tenant; each is
     * audited.
     */
    @Produces
    @Singleton
    Authenticator authenticator(JwtAuthenticator tokens, TenantDirectory tenants, AuditLog audit,
            BlobRevocations revocations) {
        return new DirectoryAuthenticator(tokens, tenants, audit, revocations);
    }

    /** Tokens issued through the admin API, shared by every node. */
    @Produces
    @Singleton
    io.strata.tenancy.core.TokenRegistry tokenRegistry(StorageAssembly storage) {
        return new io.strata.gateway.tenants.BlobTokenRegistry(storage.blobs());
    }

    /**
     * Strata's own token issuer for the admin API's token endpoint: present when this node holds the signing key
     * pair (not when only a public key or external issuers are configured).
     */
    @Produces
    @Singleton
    TokenMint tokenMint(AuthConfig auth, StorageConfig storage, Clock clock, JwtAuthenticator ensureKeysExist) {
        if (!auth.ownIssuer() || auth.publicKey().isPresent()) {
            return new TokenMint(null);
        }
        Path data = storage.local().path().toAbsolutePath().normalize();
        try {
            SigningKeys keys = SigningKeys.loadOrGenerate(auth.keysPath().orElse(data.resolve(DevTenantBootstrap.KEYS_DIR)));
            TokenLimits limits = new TokenLimits(auth.clockSkew(), auth.maxTokenLifetime());
            return new TokenMint(new io.strata.tenancy.TokenIssuer(keys, new TokenSettings(auth.issuer(), auth.audience(),
                    limits), clock));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing keys: " + e.getMessage(), e);
        }
    }

    /** The issuer of tokens through the admin API, or none (then tokens come from the identity provider). */
    public record TokenMint(io.strata.tenancy.TokenIssuer issuer) {}

    /** Drops deleted tenants' schemas; a sweep at start-up completes purges a crash interrupted. */
    @Produces
    @Singleton
    io.strata.gateway.tenants.TenantPurger tenantPurger(TenantDirectory tenants, SchemaService schemas) {
        return new io.strata.gateway.tenants.TenantPurger(tenants, schemas);
    }

    void sweepDeletedTenants(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start,
            io.strata.gateway.tenants.TenantPurger purger) {
        purger.sweep();
    }

    /** Revoked tokens and subjects, shared by every node; a revocation reaches them within 2 s. */
    @Produces
    @Singleton
    BlobRevocations revocations(StorageAssembly storage, Clock clock) {
        return new BlobRevocations(storage.blobs(), clock, java.time.Duration.ofSeconds(2));
    }

    void closeRevocations(@jakarta.enterprise.inject.Disposes BlobRevocations revocations) {
        revocations.close();
    }

    /**
     * Assembles the trusted issuers of {@code auth}: Strata's own (key pair, creating the dev tenant's token
     * if asked, or a PEM public key) and every {@code strata.auth.issuers.<name>}.
     *
     * @throws IllegalArgumentException on a configuration that cannot work (named by its key)
     * @throws UncheckedIOException if key files cannot be read or written
     */
    static JwtAuthenticator buildAuthenticator(AuthConfig auth, boolean devTenant, Path data, String host, int port,
            String datacenter, Clock clock) {
        TokenLimits limits = new TokenLimits(auth.clockSkew(), auth.maxTokenLifetime());
        TokenSettings settings = new TokenSettings(auth.issuer(), auth.audience(), limits);
        List<TrustedIssuer> issuers = new ArrayList<>();
        try {
            if (auth.ownIssuer()) {
                SigningKeys keys;
                if (auth.publicKey().isPresent()) {
                    keys = SigningKeys.verifyOnly(auth.publicKey().get());
                } else if (devTenant) {
                    DevTenantBootstrap.Result dev = new DevTenantBootstrap(data, settings, clock)
                            .ensure(host, port, datacenter);
                    LOG.info(dev.message());
                    keys = dev.keys();
                } else {
                    keys = SigningKeys.loadOrGenerate(auth.keysPath().orElse(data.resolve(DevTenantBootstrap.KEYS_DIR)));
                }
                issuers.add(TrustedIssuer.own(settings, keys));
            }
            for (Map.Entry<String, AuthConfig.Issuer> entry : new TreeMap<>(auth.issuers()).entrySet()) {
                issuers.add(externalIssuer(entry.getKey(), entry.getValue(), auth.audience(), clock));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up token authentication: " + e.getMessage(), e);
        }
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("no trusted token issuer: strata.auth.own-issuer is false and no"
                    + " strata.auth.issuers.<name>.issuer is configured");
        }
        for (TrustedIssuer issuer : issuers) {
            LOG.infof("Accepting tokens from issuer '%s' (%s) for audience '%s', keys %s", issuer.issuer(),
                    issuer.name(), issuer.audience(), describe(issuer.keys()));
        }
        return new JwtAuthenticator(issuers, limits, clock);
    }

    private static TrustedIssuer externalIssuer(String name, AuthConfig.Issuer config, String defaultAudience,
            Clock clock) throws IOException {
        String prefix = "strata.auth.issuers." + name;
        if (config.jwksUrl().isPresent() == config.publicKey().isPresent()) {
            throw new IllegalArgumentException("set exactly one of " + prefix + ".jwks-url and " + prefix + ".public-key");
        }
        IssuerKeys keys;
        try {
            keys = config.jwksUrl().isPresent()
                    ? RemoteJwks.of(config.jwksUrl().get(), config.jwksCacheDuration(), config.jwksMinRefreshInterval(),
                            clock)
                    : IssuerKeys.of(SigningKeys.verifyOnly(config.publicKey().get()));
            return new TrustedIssuer(name, config.issuer(), config.audience().orElse(defaultAudience), keys);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + ": " + e.getMessage(), e);
        }
    }

    private static String describe(IssuerKeys keys) {
        // IssuerKeys is sealed: these are the only two shapes
        return keys instanceof IssuerKeys.Fixed fixed ? fixed.keys().toString() : "JWKS " + ((RemoteJwks) keys).url();
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
