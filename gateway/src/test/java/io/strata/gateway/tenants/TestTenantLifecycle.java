package io.strata.gateway.tenants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.storage.spi.testing.InMemoryBlobStore;
import io.strata.tenancy.AuthenticationException;
import io.strata.tenancy.Authenticator;
import io.strata.tenancy.core.AccessPolicy;
import io.strata.tenancy.core.IssuedToken;
import io.strata.tenancy.core.TenantContext;
import io.strata.tenancy.core.TenantDirectoryException;
import io.strata.tenancy.core.TenantRecord;
import io.strata.tenancy.core.TenantState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A deleted tenant's name stays taken for the retention window, then may be created again as a new incarnation
 * whose predecessor's tokens open nothing; open connections of a suspended tenant are withdrawn; the token registry
 * keeps what it is told, never the token.
 */
final class TestTenantLifecycle {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-01T00:00:00.123Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void aDeletedNameIsHeldForTheRetentionWindowThenReusableAsANewIncarnation() {
        InMemoryBlobStore store = new InMemoryBlobStore();
        BlobTenantDirectory tenants = new BlobTenantDirectory(store, clock, Duration.ZERO, Duration.ofDays(35));
        TenantRecord first = tenants.create("acme");
        assertThat(first.incarnation()).isEqualTo(1);
        Instant oldTokenIssued = now.get().minusSeconds(1);
        advance(Duration.ofDays(1));
        tenants.transition("acme", TenantState.DELETED);
        advance(Duration.ofDays(34));
        assertThatThrownBy(() -> tenants.create("acme")).isInstanceOf(TenantDirectoryException.AlreadyExists.class)
                .hasMessageContaining("retention window");
        advance(Duration.ofDays(1));
        TenantRecord second = tenants.create("acme");
        assertThat(second.incarnation()).isEqualTo(2);
        assertThat(second.state()).isEqualTo(TenantState.ACTIVE);
        // read back from storage by another node
        TenantRecord seen = new BlobTenantDirectory(store, clock, Duration.ZERO).find("acme").orElseThrow();
        assertThat(seen).isEqualTo(second);
        assertThat(seen.issuedBeforeIncarnation(oldTokenIssued)).isTrue();
        assertThat(seen.issuedBeforeIncarnation(now.get())).isFalse();
        // a first incarnation accepts tokens minted before it existed (offline minting may come first)
        assertThat(first.issuedBeforeIncarnation(oldTokenIssued)).isFalse();
        // without a hold (the default), a deleted name is never reused
        BlobTenantDirectory forever = new BlobTenantDirectory(new InMemoryBlobStore(), clock, Duration.ZERO);
        forever.create("x");
        forever.transition("x", TenantState.DELETED);
        advance(Duration.ofDays(3650));
        assertThatThrownBy(() -> forever.create("x")).isInstanceOf(TenantDirectoryException.AlreadyExists.class);
    }

    @Test
    void tokensOfAnEarlierIncarnationAreRefusedAndSuspensionWithdrawsOpenConnections() throws Exception {
        BlobTenantDirectory tenants = new BlobTenantDirectory(new InMemoryBlobStore(), clock, Duration.ZERO,
                Duration.ofDays(1));
        tenants.create("acme");
        Instant before = now.get();
        AtomicReference<Instant> issuedAt = new AtomicReference<>(before);
        Authenticator tokens = (user, password) -> new TenantContext("acme", "app", AccessPolicy.ALL,
                now.get().plusSeconds(3600), "jti-1", issuedAt.get());
        DirectoryAuthenticator auth = new DirectoryAuthenticator(tokens, tenants);
        TenantContext open = auth.authenticate("token", "t");
        assertThat(auth.withdrawn(open)).isNull();
        tenants.transition("acme", TenantState.SUSPENDED);
        assertThat(auth.withdrawn(open)).contains("suspended");
        tenants.transition("acme", TenantState.DELETED);
        assertThat(auth.withdrawn(open)).contains("deleted");
        advance(Duration.ofDays(2));
        tenants.create("acme");
        assertThatThrownBy(() -> auth.authenticate("token", "t")).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("earlier tenant");
        issuedAt.set(now.get());
        assertThat(auth.authenticate("token", "t").tenantId()).isEqualTo("acme");
    }

    @Test
    void theRegistryKeepsIssuedTokensUntilTheyExpire() {
        InMemoryBlobStore store = new InMemoryBlobStore();
        BlobTokenRegistry registry = new BlobTokenRegistry(store);
        IssuedToken scoped = new IssuedToken("11111111-2222-3333-4444-555555555555", "acme", "app",
                List.of("SELECT:app", "SELECT|MODIFY:app.orders"), false, now.get(), now.get().plusSeconds(60), "ops");
        IssuedToken admin = new IssuedToken("99999999-2222-3333-4444-555555555555", "acme", "boss", null, true,
                now.get(), now.get().plusSeconds(3600), "ops");
        registry.record(scoped);
        registry.record(admin);
        assertThat(registry.list("acme", now.get())).containsExactly(scoped, admin);
        assertThat(registry.find("acme", admin.tokenId())).contains(admin);
        assertThat(registry.find("acme", "../../etc")).isEmpty();
        assertThat(registry.find("other", admin.tokenId())).isEmpty();
        advance(Duration.ofSeconds(61));
        assertThat(registry.list("acme", now.get())).containsExactly(admin);
        advance(Duration.ofDays(2));
        assertThat(registry.list("acme", now.get())).isEmpty();
        // records expired over a day ago are deleted as listings meet them
        assertThat(registry.find("acme", scoped.tokenId())).isEmpty();
    }

    /**
     * S3Proxy's filesystem store lists an object it is writing as {@code <key>-<uuid>}, and a quorum put returns
     * while the third zone still writes: a CI run once failed a gateway start on such a name. Stray names under the
     * service records' prefixes are ignored, never parsed.
     */
    @Test
    void inFlightTemporariesOfAStoreAreNotRecords() throws Exception {
        InMemoryBlobStore store = new InMemoryBlobStore();
        BlobTenantDirectory tenants = new BlobTenantDirectory(store, clock, Duration.ZERO);
        tenants.create("acme");
        String temp = "-74653719-4a6e-4660-8b9a-6d7f9d6b61cf";
        byte[] junk = "half-written".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        put(store, BlobTenantDirectory.PREFIX + "acme/00000000000000000001" + temp, junk);
        put(store, BlobTenantDirectory.PREFIX + "acme/00000000000000000002" + temp, junk);
        BlobTenantDirectory other = new BlobTenantDirectory(store, clock, Duration.ZERO);
        assertThat(other.list()).extracting(TenantRecord::name).containsExactly("acme");
        assertThat(other.find("acme").orElseThrow().state()).isEqualTo(TenantState.ACTIVE);
        assertThat(other.transition("acme", TenantState.SUSPENDED).state()).isEqualTo(TenantState.SUSPENDED);

        BlobTokenRegistry registry = new BlobTokenRegistry(store);
        IssuedToken token = new IssuedToken("11111111-2222-3333-4444-555555555555", "acme", "app", null, false,
                now.get(), now.get().plusSeconds(60), "ops");
        registry.record(token);
        put(store, BlobTokenRegistry.PREFIX + "acme/" + token.tokenId() + temp, junk);
        assertThat(registry.list("acme", now.get())).containsExactly(token);

        put(store, BlobRevocations.PREFIX + "acme/00000000000000000001" + temp, junk);
        try (BlobRevocations revocations = new BlobRevocations(store, clock, Duration.ofMinutes(1))) {
            revocations.revoke("acme", token.tokenId(), null);
            assertThat(revocations.list("acme")).hasSize(1);
        }
    }

    private static void put(InMemoryBlobStore store, String key, byte[] bytes) {
        store.put(key, bytes, io.strata.storage.spi.blob.BlobStore.PutMode.OVERWRITE).toCompletableFuture().join();
    }
}
