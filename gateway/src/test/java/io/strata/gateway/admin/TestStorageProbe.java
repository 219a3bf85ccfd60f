package io.strata.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.storage.engine.replication.ReplicatedBlobStore;
import io.strata.storage.spi.blob.BlobStore.BlobInfo;
import io.strata.storage.spi.blob.BlobStore;
import io.strata.storage.spi.testing.FaultInjectingBlobStore;
import io.strata.storage.spi.testing.InMemoryBlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The storage readiness probe over three replicated zones: one zone down is fine, a lost quorum is not. */
final class TestStorageProbe {
    private final FaultInjectingBlobStore a = new FaultInjectingBlobStore(new InMemoryBlobStore());
    private final FaultInjectingBlobStore b = new FaultInjectingBlobStore(new InMemoryBlobStore());
    private final FaultInjectingBlobStore c = new FaultInjectingBlobStore(new InMemoryBlobStore());
    private final MutableClock clock = new MutableClock();

    private StorageProbe probe(BlobStore store) {
        return new StorageProbe(store, "gw-0/x", clock, Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    @Test
    void writableWithAllZonesAndWithOneDownButNotWithoutAQuorum() {
        StorageProbe probe = probe(new ReplicatedBlobStore(List.of(a, b, c)));
        assertThat(probe.key()).isEqualTo("_health/gw-0_x");
        assertThat(probe.check().writable()).isTrue();

        a.down(true);
        clock.advance(Duration.ofSeconds(6));
        assertThat(probe.check().writable()).isTrue();

        b.down(true);
        clock.advance(Duration.ofSeconds(6));
        StorageProbe.Result lost = probe.check();
        assertThat(lost.writable()).isFalse();
        assertThat(lost.error()).isNotBlank();

        b.down(false);
        clock.advance(Duration.ofSeconds(6));
        assertThat(probe.check().writable()).isTrue();
    }

    @Test
    void aResultIsReusedWithinTheInterval() {
        AtomicInteger puts = new AtomicInteger();
        BlobStore counting = new CountingStore(new InMemoryBlobStore(), puts);
        StorageProbe probe = probe(counting);

        probe.check();
        probe.check();
        clock.advance(Duration.ofSeconds(4));
        probe.check();
        assertThat(puts).hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        probe.check();
        assertThat(puts).hasValue(2);
    }

    @Test
    void aProbeWithoutAnswerCountsAsFailedAfterTheTimeout() {
        BlobStore hanging = new CountingStore(new InMemoryBlobStore(), new AtomicInteger()) {
            @Override
            public CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
                return new CompletableFuture<>();
            }
        };
        StorageProbe probe = new StorageProbe(hanging, "n", clock, Duration.ofSeconds(5), Duration.ofMillis(100));

        StorageProbe.Result r = probe.check();
        assertThat(r.writable()).isFalse();
        assertThat(r.error()).contains("no answer");
    }

    /** Counts puts; otherwise the delegate. */
    static class CountingStore implements BlobStore {
        private final BlobStore delegate;
        private final AtomicInteger puts;

        CountingStore(BlobStore delegate, AtomicInteger puts) {
            this.delegate = delegate;
            this.puts = puts;
        }

        @Override
        public CompletionStage<java.util.Optional<BlobInfo>> head(String key) {
            return delegate.head(key);
        }

        @Override
        public CompletionStage<byte[]> read(String key, long offset, int length) {
            return delegate.read(key, offset, length);
        }

        @Override
        public CompletionStage<byte[]> readAll(String key) {
            return delegate.readAll(key);
        }

        @Override
        public CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
            puts.incrementAndGet();
            return delegate.put(key, content, mode);
        }

        @Override
        public CompletionStage<List<BlobInfo>> list(String prefix, String startAfter, int max) {
            return delegate.list(prefix, startAfter, max);
        }

        @Override
        public CompletionStage<Void> delete(java.util.Collection<String> keys) {
            return delegate.delete(keys);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
