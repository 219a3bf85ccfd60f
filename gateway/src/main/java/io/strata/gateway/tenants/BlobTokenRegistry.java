package io.strata.gateway.tenants;

import static java.util.Objects.requireNonNull;

import io.strata.storage.engine.layout.Blobs;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.blob.BlobStore.PutMode;
import io.strata.storage.spi.blob.NoSuchBlobException;
import io.strata.tenancy.core.IssuedToken;
import io.strata.tenancy.core.TenantNames;
import io.strata.tenancy.core.TokenRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Issued tokens in the shared data store, one immutable blob per token ({@value #PREFIX}{@code <tenant>/<jti>}),
 * so every gateway node lists the same tokens. Records of tokens expired for more than a day are deleted when a
 * listing meets them: an expired token opens nothing, and revocations of it no longer matter. Thread-safe.
 */
public final class BlobTokenRegistry implements TokenRegistry {
    static final String PREFIX = "service/tokens/";
    private static final Logger LOG = Logger.getLogger(BlobTokenRegistry.class);
    private static final Duration KEEP_EXPIRED = Duration.ofDays(1);

    private final BlobStore store;

    public BlobTokenRegistry(BlobStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    @Override
    public void record(IssuedToken token) {
        requireNonNull(token, "token is null");
        Blobs.join(store.put(key(token.tenant(), token.tokenId()), encode(token), PutMode.CREATE_IF_ABSENT));
    }

    @Override
    public Optional<IssuedToken> find(String tenant, String tokenId) {
        if (!TenantNames.isValid(tenant) || !validId(tokenId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(decode(Blobs.join(store.readAll(key(tenant, tokenId)))));
        } catch (NoSuchBlobException absent) {
            return Optional.empty();
        }
    }

    @Override
    public List<IssuedToken> list(String tenant, Instant now) {
        TenantNames.requireValid(tenant);
        List<IssuedToken> out = new ArrayList<>();
        String prefix = PREFIX + tenant + "/";
        String after = null;
        while (true) {
            List<BlobStore.BlobInfo> page = Blobs.join(store.list(prefix, after, 1000));
            for (BlobStore.BlobInfo info : page) {
                if (!validId(info.key().substring(prefix.length()))) {
                    continue; // not a record of ours: a store's in-flight temporary (<key>-<uuid>) or a foreign object
                }
                IssuedToken t;
                try {
                    t = decode(Blobs.join(store.readAll(info.key())));
                } catch (NoSuchBlobException deleted) {
                    continue;
                }
                if (t.expiresAt().isAfter(now)) {
                    out.add(t);
                } else if (t.expiresAt().plus(KEEP_EXPIRED).isBefore(now)) {
                    store.delete(List.of(info.key())).exceptionally(e -> {
                        LOG.debugf(e, "could not delete the expired token record %s", info.key());
                        return null;
                    });
                }
            }
            if (page.size() < 1000) {
                break;
            }
            after = page.get(page.size() - 1).key();
        }
        out.sort(Comparator.comparing(IssuedToken::issuedAt).thenComparing(IssuedToken::tokenId));
        return out;
    }

    private static boolean validId(String tokenId) {
        // jti values of this service are UUIDs; anything else cannot name a stored record (and must not make a key)
        return tokenId != null && tokenId.matches("[A-Za-z0-9-]{1,64}");
    }

    private static String key(String tenant, String tokenId) {
        if (!validId(tokenId)) {
            throw new IllegalArgumentException("token id must be 1 to 64 letters, digits or '-': " + tokenId);
        }
        return PREFIX + tenant + "/" + tokenId;
    }

    static byte[] encode(IssuedToken t) {
        StringBuilder b = new StringBuilder()
                .append("tokenId=").append(t.tokenId()).append('\n')
                .append("tenant=").append(t.tenant()).append('\n')
                .append("subject=").append(oneLine(t.subject())).append('\n')
                .append("tenantAdmin=").append(t.tenantAdmin()).append('\n')
                .append("issuedAt=").append(t.issuedAt()).append('\n')
                .append("expiresAt=").append(t.expiresAt()).append('\n')
                .append("issuedBy=").append(oneLine(t.issuedBy())).append('\n');
        if (t.permissions() != null) {
            // grants never contain commas (resources are names and '*', actions are words and '|')
            b.append("permissions=").append(String.join(",", t.permissions())).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    static IssuedToken decode(byte[] content) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                f.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        try {
            String p = f.get("permissions");
            List<String> permissions = p == null ? null : p.isEmpty() ? List.of() : Arrays.asList(p.split(","));
            return new IssuedToken(f.get("tokenId"), f.get("tenant"), f.get("subject"), permissions,
                    Boolean.parseBoolean(f.get("tenantAdmin")), Instant.parse(f.get("issuedAt")),
                    Instant.parse(f.get("expiresAt")), f.get("issuedBy"));
        } catch (RuntimeException e) {
            throw new IllegalStateException("corrupt token record: " + f.keySet(), e);
        }
    }
}
