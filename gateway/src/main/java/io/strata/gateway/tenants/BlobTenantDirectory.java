package io.strata.gateway.tenants;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.NoSuchBlobException;
import io.strata.storage.spi.blob.PreconditionFailedException;
import io.strata.tenancy.core.TenantDirectory;
import io.strata.tenancy.core.TenantDirectoryException;
import io.strata.tenancy.core.TenantNames;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant directory in the shared, replicated data store, so every gateway node over the same storage sees the
 * same tenants. Like the engine's manifests, each tenant is a chain of immutable versions
 * ({@value #PREFIX}{@code <name>/<version>}, the highest is current), each written create-if-absent: of two racing
 * creations or changes exactly one wins the next version and the loser decides again on the winner's (replicated
 * stores offer no in-place compare-and-set). Old versions stay as the tenant's history; they are a few hundred
 * bytes each. Lookups for logins are cached for {@code cacheTime}, which bounds how
 * long another node's suspension takes to reach this one; this node's own changes apply at once.
 *
 * <p>Thread-safe.
 */
public final class BlobTenantDirectory implements TenantDirectory {
    static final String PREFIX = "service/tenants/";
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("\\d{20}");
    private static final int ATTEMPTS = 5;

    private final BlobStore store;
    private final Clock clock;
    private final Duration cacheTime;
    private final Duration nameHold;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final java.util.Set<String> refreshing = ConcurrentHashMap.newKeySet();

    private record Cached(Optional<TenantRecord> tenant, Instant until) {}

    /** A directory where a deleted tenant's name is never taken again. */
    public BlobTenantDirectory(BlobStore store, Clock clock, Duration cacheTime) {
        this(store, clock, cacheTime, null);
    }

    /**
     * @param nameHold how long a deleted tenant's name stays taken (the data retention window: its data is gone
     *     after it); null for ever
     */
    public BlobTenantDirectory(BlobStore store, Clock clock, Duration cacheTime, Duration nameHold) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.cacheTime = requireNonNull(cacheTime, "cacheTime is null");
        this.nameHold = nameHold;
    }

    @Override
    public Optional<TenantRecord> find(String name) {
        if (!TenantNames.isValid(name)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Cached c = cache.get(name);
        if (c != null && now.isBefore(c.until())) {
            return c.tenant();
        }
        Optional<TenantRecord> found = read(name).map(Versioned::tenant);
        cache.put(name, new Cached(found, now.plus(cacheTime)));
        return found;
    }

    @Override
    public Optional<TenantRecord> findCached(String name) {
        Cached c = cache.get(name);
        if (c == null) {
            return find(name);
        }
        if (!clock.instant().isBefore(c.until()) && refreshing.add(name)) {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    cache.put(name, new Cached(read(name).map(Versioned::tenant), clock.instant().plus(cacheTime)));
                } finally {
                    refreshing.remove(name);
                }
            });
        }
        return c.tenant();
    }

    @Override
    public List<TenantRecord> list() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        String after = null;
        while (true) {
            List<BlobStore.BlobInfo> page = Blobs.join(store.list(PREFIX, after, 1000));
            for (BlobStore.BlobInfo info : page) {
                String rest = info.key().substring(PREFIX.length());
                int slash = rest.indexOf('/');
                if (slash > 0) {
                    names.add(rest.substring(0, slash));
                }
            }
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        List<TenantRecord> out = new ArrayList<>();
        for (String name : names) {
            read(name).ifPresent(v -> out.add(v.tenant()));
        }
        return out;
    }

    @Override
    public TenantRecord create(String name) {
        TenantNames.requireValid(name);
        Optional<Versioned> existing = read(name);
        Instant now = clock.instant();
        TenantRecord tenant;
        long version;
        if (existing.isPresent()) {
            TenantRecord old = existing.get().tenant();
            if (!reusable(old, now)) {
                throw new TenantDirectoryException.AlreadyExists(old);
            }
            tenant = new TenantRecord(name, TenantState.ACTIVE, now, now, old.incarnation() + 1);
            version = existing.get().version() + 1;
        } else {
            tenant = new TenantRecord(name, TenantState.ACTIVE, now, now);
            version = 1;
        }
        try {
            Blobs.join(store.put(key(name, version), encode(tenant), PutMode.CREATE_IF_ABSENT));
        } catch (PreconditionFailedException raced) {
            throw new TenantDirectoryException.AlreadyExists(read(name).map(Versioned::tenant).orElse(tenant));
        }
        remember(tenant);
        return tenant;
    }

    /** A deleted tenant's name is free again once its data is gone: after the retention window. */
    private boolean reusable(TenantRecord old, Instant now) {
        return old.state() == TenantState.DELETED && nameHold != null && !old.changedAt().plus(nameHold).isAfter(now);
    }

    @Override
    public TenantRecord transition(String name, TenantState next) {
        requireNonNull(next, "next is null");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Versioned current = read(name).orElseThrow(() -> new TenantDirectoryException.NotFound(name));
            if (current.tenant().state() == next) {
                return current.tenant();
            }
            if (!current.tenant().state().canBecome(next)) {
                throw new TenantDirectoryException.InvalidTransition(current.tenant(), next);
            }
            TenantRecord changed = current.tenant().withState(next, clock.instant());
            try {
                Blobs.join(store.put(key(name, current.version() + 1), encode(changed), PutMode.CREATE_IF_ABSENT));
                remember(changed);
                return changed;
            } catch (PreconditionFailedException raced) {
                // another node wrote the next version first: decide again on it
            }
        }
        throw new IllegalStateException("tenant '" + name + "' kept changing under " + ATTEMPTS + " attempts");
    }

    private void remember(TenantRecord tenant) {
        cache.put(tenant.name(), new Cached(Optional.of(tenant), clock.instant().plus(cacheTime)));
    }

    private record Versioned(TenantRecord tenant, long version) {}

    private static String key(String name, long version) {
        return PREFIX + name + "/" + String.format("%020d", version);
    }

    /** The highest version of the tenant, if any. */
    private Optional<Versioned> read(String name) {
        String prefix = PREFIX + name + "/";
        String last = null;
        String after = null;
        while (true) {
            List<BlobStore.BlobInfo> page = Blobs.join(store.list(prefix, after, 1000));
            for (BlobStore.BlobInfo info : page) {
                // only <prefix><20 digits> is a version: a store's in-flight temporary (S3Proxy's filesystem store
                // lists <key>-<uuid> while it writes) or any foreign object is not
                if (VERSION.matcher(info.key()).region(prefix.length(), info.key().length()).matches()) {
                    last = info.key();
                }
            }
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        if (last == null) {
            return Optional.empty();
        }
        try {
            long version = Long.parseLong(last.substring(prefix.length()));
            return Optional.of(new Versioned(decode(Blobs.join(store.readAll(last))), version));
        } catch (NoSuchBlobException gone) {
            return Optional.empty();
        }
    }

    static byte[] encode(TenantRecord t) {
        return ("name=" + t.name() + "\nstate=" + t.state() + "\ncreated=" + t.createdAt() + "\nchanged="
                + t.changedAt() + "\nincarnation=" + t.incarnation() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static TenantRecord decode(byte[] content) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        try {
            return new TenantRecord(fields.get("name"), TenantState.valueOf(fields.get("state")),
                    Instant.parse(fields.get("created")), Instant.parse(fields.get("changed")),
                    Integer.parseInt(fields.getOrDefault("incarnation", "1")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("corrupt tenant record: " + fields, e);
        }
    }
}
