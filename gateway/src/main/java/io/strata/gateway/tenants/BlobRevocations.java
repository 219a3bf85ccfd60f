package io.strata.gateway.tenants;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.PreconditionFailedException;
import io.strata.tenancy.core.Revocation;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Revoked credentials in the shared storage ({@value #PREFIX}{@code <tenant>/<sequence>}, each written
 * create-if-absent so concurrent revocations on several nodes all land), held in memory and refreshed every
 * {@code refresh} by a background thread, so that checking a request against them costs no I/O and a revocation
 * made on any node takes effect everywhere within about {@code refresh}. Revocations are never removed (they are
 * tiny); a revoked subject's later tokens are unaffected.
 *
 * <p>Thread-safe.
 */
public final class BlobRevocations implements AutoCloseable {
    static final String PREFIX = "service/revocations/";
    private static final Logger LOG = Logger.getLogger(BlobRevocations.class);
    private static final java.util.regex.Pattern SEQUENCE = java.util.regex.Pattern.compile("\\d{20}");

    private final BlobStore store;
    private final Clock clock;
    private final List<Revocation> known = new CopyOnWriteArrayList<>();
    private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService refresher;

    public BlobRevocations(BlobStore store, Clock clock, Duration refresh) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        refreshNow();
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-revocations");
            t.setDaemon(true);
            return t;
        });
        long ms = refresh.toMillis();
        refresher.scheduleWithFixedDelay(() -> {
            try {
                refreshNow();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not refresh revocations; keeping the %d known", known.size());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Whether the caller's credential is revoked, from memory. */
    public boolean revoked(TenantContext caller) {
        for (Revocation r : known) {
            if (r.covers(caller)) {
                return true;
            }
        }
        return false;
    }

    /** Revokes and makes it known on this node at once. */
    public Revocation revoke(String tenant, String tokenId, String subject) {
        TenantNames.requireValid(tenant);
        Revocation r = new Revocation(tenant, tokenId == null ? "" : tokenId, subject == null ? "" : subject,
                clock.instant());
        for (int attempt = 0; attempt < 10; attempt++) {
            String key = PREFIX + tenant + "/" + String.format("%020d", next(tenant));
            try {
                Blobs.join(store.put(key, encode(r), PutMode.CREATE_IF_ABSENT));
                seen.add(key);
                known.add(r);
                return r;
            } catch (PreconditionFailedException raced) {
                // another node took this sequence number
            }
        }
        throw new IllegalStateException("could not record the revocation: too many concurrent revocations");
    }

    /** The tenant's revocations, oldest first. */
    public List<Revocation> list(String tenant) {
        return known.stream().filter(r -> r.tenant().equals(tenant)).toList();
    }

    private long next(String tenant) {
        List<BlobStore.BlobInfo> keys = listAll(PREFIX + tenant + "/");
        if (keys.isEmpty()) {
            return 1;
        }
        String last = keys.get(keys.size() - 1).key();
        return Long.parseLong(last.substring(last.lastIndexOf('/') + 1)) + 1;
    }

    void refreshNow() {
        for (BlobStore.BlobInfo info : listAll(PREFIX)) {
            if (seen.add(info.key())) {
                known.add(decode(Blobs.join(store.readAll(info.key()))));
            }
        }
    }

    /** The revocation records under {@code prefix}: keys ending in a 20-digit sequence number, nothing else. */
    private List<BlobStore.BlobInfo> listAll(String prefix) {
        List<BlobStore.BlobInfo> out = new ArrayList<>();
        String after = null;
        while (true) {
            List<BlobStore.BlobInfo> page = Blobs.join(store.list(prefix, after, 1000));
            for (BlobStore.BlobInfo info : page) {
                // a store's in-flight temporary (S3Proxy's filesystem store lists <key>-<uuid>) is no record
                if (SEQUENCE.matcher(info.key()).region(info.key().lastIndexOf('/') + 1, info.key().length()).matches()) {
                    out.add(info);
                }
            }
            if (page.size() < 1000) {
                return out;
            }
            after = page.get(page.size() - 1).key();
        }
    }

    static byte[] encode(Revocation r) {
        return ("tenant=" + r.tenant() + "\ntokenId=" + r.tokenId() + "\nsubject=" + r.subject() + "\nat=" + r.at()
                + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static Revocation decode(byte[] content) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                f.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return new Revocation(f.get("tenant"), f.getOrDefault("tokenId", ""), f.getOrDefault("subject", ""),
                Instant.parse(f.get("at")));
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
