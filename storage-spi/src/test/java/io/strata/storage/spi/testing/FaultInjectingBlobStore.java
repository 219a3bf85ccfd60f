package io.strata.storage.spi.testing;

import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.BlobStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Wraps a store and fails every operation while {@link #down(boolean)} is on: an unreachable zone; with
 * {@link #putLatency} each put completes that long after it was stored, as an object store's PUT does.
 */
public final class FaultInjectingBlobStore implements BlobStore {
    private static final java.util.concurrent.ScheduledExecutorService LATER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "injected-latency");
                t.setDaemon(true);
                return t;
            });
    private final BlobStore delegate;
    private volatile boolean down;
    private volatile long putLatencyMillis;
    private final java.util.concurrent.atomic.AtomicInteger putsInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxPutsInFlight = new java.util.concurrent.atomic.AtomicInteger();

    public FaultInjectingBlobStore(BlobStore delegate) {
        this.delegate = delegate;
    }

    public void down(boolean isDown) {
        this.down = isDown;
    }

    /** Every later put completes {@code millis} after it was stored. */
    public void putLatency(long millis) {
        this.putLatencyMillis = millis;
    }

    /** The most puts that were in flight at once (with a put latency set). */
    public int maxPutsInFlight() {
        return maxPutsInFlight.get();
    }

    private <T> CompletionStage<T> guard(Supplier<CompletionStage<T>> op) {
        if (down) {
            return CompletableFuture.failedFuture(new StorageException("zone unreachable (injected fault)"));
        }
        return op.get();
    }

    @Override
    public CompletionStage<Optional<BlobInfo>> head(String key) {
        return guard(() -> delegate.head(key));
    }

    @Override
    public CompletionStage<byte[]> read(String key, long offset, int length) {
        return guard(() -> delegate.read(key, offset, length));
    }

    @Override
    public CompletionStage<byte[]> readAll(String key) {
        return guard(() -> delegate.readAll(key));
    }

    @Override
    public CompletionStage<BlobInfo> put(String key, byte[] content, PutMode mode) {
        long latency = putLatencyMillis;
        if (latency == 0) {
            return guard(() -> delegate.put(key, content, mode));
        }
        maxPutsInFlight.accumulateAndGet(putsInFlight.incrementAndGet(), Math::max);
        CompletableFuture<BlobInfo> later = new CompletableFuture<>();
        guard(() -> delegate.put(key, content, mode)).whenComplete((v, e) -> LATER.schedule(() -> {
            putsInFlight.decrementAndGet();
            if (e != null) {
                later.completeExceptionally(e);
            } else {
                later.complete(v);
            }
        }, latency, java.util.concurrent.TimeUnit.MILLISECONDS));
        return later;
    }

    @Override
    public CompletionStage<List<BlobInfo>> list(String prefix, String startAfter, int max) {
        return guard(() -> delegate.list(prefix, startAfter, max));
    }

    @Override
    public CompletionStage<Void> delete(Collection<String> keys) {
        return guard(() -> delegate.delete(keys));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
