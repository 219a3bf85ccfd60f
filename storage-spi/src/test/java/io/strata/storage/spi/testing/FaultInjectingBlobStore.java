package io.strata.storage.spi.testing;

import io.strata.storage.spi.StorageException;
import io.strata.storage.spi.blob.BlobStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Wraps a store and fails every operation while {@link #down(boolean)} is on: an unreachable zone. */
public final class FaultInjectingBlobStore implements BlobStore {
    private final BlobStore delegate;
    private volatile boolean down;

    public FaultInjectingBlobStore(BlobStore delegate) {
        this.delegate = delegate;
    }

    public void down(boolean isDown) {
        this.down = isDown;
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
        return guard(() -> delegate.put(key, content, mode));
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
